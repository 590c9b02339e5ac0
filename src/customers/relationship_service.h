#pragma once
// Related parties (关联方): who stands beside a customer — spouse, guarantor, co-borrower,
// shareholder (with a share), legal representative, actual controller, emergency contact. The
// counterpart is another customer or a person who is not a customer (a name, and optionally a
// mobile phone and a resident ID number, both encrypted and shown masked). A link
// is visible from both sides: "B is A's guarantor" shows on A as an outgoing link and on B as an
// incoming one.
//
// Thread-safe; blocks on the database.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/principal.h"
#include "core/clock.h"
#include "crypto/field_cipher.h"
#include "customers/customer_service.h"
#include "runtime/event_log.h"
#include "storage/db.h"

namespace oc::customers {

enum class RelationRole {
  kSpouse,               // 配偶
  kGuarantor,            // 担保人
  kCoBorrower,           // 共同借款人
  kShareholder,          // 股东
  kLegalRepresentative,  // 法定代表人
  kActualController,     // 实际控制人
  kEmergencyContact,     // 紧急联系人
};
std::string_view RelationRoleName(RelationRole role);
std::optional<RelationRole> RelationRoleFromName(std::string_view name);
Message RelationRoleLabel(RelationRole role);  // 担保人 / Guarantor

struct NewRelation {
  RelationRole role = RelationRole::kGuarantor;
  std::optional<CustomerId> related_customer_id;  // either this …
  std::string person_name;                     // … or a person who is not a customer
  std::string person_phone;                    // optional, mainland mobile
  std::string person_id_number;                // optional, resident ID number (GB 11643)
  std::string share_percent;                   // shareholders only: "35.5" (0 < s ≤ 100)
  std::string note;
};

class RelationshipService {
 public:
  RelationshipService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                      const runtime::EventLog& events, const crypto::FieldCipher& cipher,
                      CustomerService& customers);

  // Links a related party to `customer_id`. Returns the link as List shows it.
  // Errors: kPermissionDenied without customer.write; kNotFound when the customer is not
  // visible; kInvalidArgument naming the field (related_customer_id: self_link, or
  // unknown_customer when it does not exist or is outside the caller's scope; person_name required
  // when there is no customer; share_percent required for shareholders and out of range or not
  // allowed otherwise (not_applicable); person_phone invalid; person_id_number with the codes of
  // ResidentIdNumber::Parse, or not_applicable beside a customer); kAlreadyExists when the same
  // link exists: the same role to the same customer, or to the person with the same ID number.
  // The audit entry names the person, never their ID number or phone.
  Result<boost::json::object> Add(const auth::Principal& principal, const audit::Actor& actor,
                                  CustomerId customer_id, const NewRelation& input);
  Result<boost::json::object> Add(storage::UnitOfWork& unit, const auth::Principal& principal,
                                  const audit::Actor& actor, CustomerId customer_id,
                                  const NewRelation& input);

  // Both directions: {id, role, direction: "outgoing"|"incoming", customer_id, counterpart:
  // {customer_id?, name, phone (masked), id_number (masked)}, share_percent?, note, created_at}.
  // A counterpart customer outside the caller's scope shows its id only.
  Result<std::vector<boost::json::object>> List(const auth::Principal& principal,
                                                CustomerId customer_id);

  // Removes a link seen from either side; the caller must see both ends. Errors: kNotFound
  // (also when the other end is outside the caller's scope); kPermissionDenied.
  Status Remove(const auth::Principal& principal, const audit::Actor& actor, CustomerId customer_id,
                RelationId relation_id);
  Status Remove(storage::UnitOfWork& unit, const auth::Principal& principal,
                const audit::Actor& actor, CustomerId customer_id, RelationId relation_id);

 private:
  Result<std::vector<boost::json::object>> ListIn(storage::Tx& tx, const auth::Principal& principal,
                                                  CustomerId customer_id);

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const runtime::EventLog& events_;
  const crypto::FieldCipher& cipher_;
  CustomerService& customers_;
};

}  // namespace oc::customers

#pragma once
// Customers (客户): intake with validation and standardisation, the one record per person or
// company (duplicates are refused, naming the existing customer), personal data encrypted at
// rest and masked on the way out, ownership by an account manager and visibility by data scope.
//
// Records are metadata-driven: the fields are those of the customer entity (built-in and custom,
// see customer_entity.h and forms/), so a customer travels as a flat JSON object. This service
// adds what is specific to customers on top of the generic record codec: the individual and
// enterprise variants, identity documents, the owner and department, duplicates, unmasking and
// reassignment.
//
// Visibility: a customer outside the caller's data scope is reported as kNotFound, exactly like
// a customer that does not exist, so ids cannot be probed.
//
// Each use case that changes something comes in two forms: one that takes part in the caller's
// unit of work (storage/unit_of_work.h), and one that runs in a unit of its own.
//
// Thread-safe; blocks on the database: call from worker threads.

#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/principal.h"
#include "auth/rate_limiter.h"
#include "core/clock.h"
#include "crypto/field_cipher.h"
#include "customers/ids.h"
#include "forms/entity_registry.h"
#include "forms/record_codec.h"
#include "forms/record_query.h"
#include "runtime/event_log.h"
#include "storage/db.h"
#include "storage/unit_of_work.h"

namespace oc::customers {

struct CustomerPage {
  std::vector<boost::json::object> items;
  std::optional<std::string> next_cursor;
  // How many customers the caller's scope and the filters select, over all pages.
  int64_t total = 0;
};

// What FillPendingPhoneTails did: tails computed, and rows whose phones did not decrypt.
struct PhoneTailFill {
  int64_t filled = 0;
  int64_t unreadable = 0;
};

// What keeps the registry from serving as an oracle for masked personal data: every exact lookup
// by a personal value tests one guess, and every duplicate found names another manager's
// customer, so both are counted per user (and audited) and refused beyond a rate. Lenders need
// both (来电查询, 撞单), just not by the thousand.
struct CustomerSafeguards {
  auth::RateLimit pii_lookups{
      .bucket = "pii_lookup", .max_events = 60, .window = std::chrono::hours(1)};
  auth::RateLimit duplicate_findings{
      .bucket = "duplicate_finding", .max_events = 30, .window = std::chrono::hours(1)};
};

// The outcome of one input of a batch create: the new id, or why it was refused.
struct BatchItemResult {
  std::optional<CustomerId> id;
  std::optional<Error> error;
};

class CustomerService {
 public:
  CustomerService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                  const runtime::EventLog& events, forms::EntityRegistry& registry,
                  const crypto::FieldCipher& cipher, CustomerSafeguards safeguards = {});

  // Registers the customer entity's built-in fields (idempotent; run at start-up).
  Status RegisterEntity();

  // Creates a customer from the flat JSON `input` (any field of the entity, plus optional
  // "owner_id": another account manager, which needs customer.reassign). The owner's department
  // becomes the customer's. Identity: for an individual with a resident ID card the number is
  // checked (GB 11643) and standardised, 15-digit numbers converted, and birth date and gender
  // derived from it or checked against it. An individual's phone is a mobile (else
  // invalid_mobile); an enterprise's phone and contact phone may be landlines. An enterprise
  // gives its credit code or, while it is pending, credit_code_pending_reason (2–200
  // characters, else too_short or too_long), which is cleared once a code is given; with
  // neither, credit_code is required.
  // Returns the customer as Get would.
  // Errors: kPermissionDenied without customer.write; kInvalidArgument with every bad field
  // (codes of the record codec, plus required, not_applicable for a field of the other customer
  // type, mismatch_id_number, unknown_owner, out_of_scope for an owner whose customers the
  // caller may not see); kAlreadyExists when a live customer has the same
  // ID number or credit code — field "id_number" or "credit_code", code "duplicate", extension
  // "existing_id" and "existing_owner_name" (given even when that customer is outside the
  // caller's scope: staff settle a 撞单 with its manager), "may_open", and "existing_name" only
  // when the caller may open it. Each such finding is audited ("customer.duplicate_found") and
  // counted: beyond CustomerSafeguards::duplicate_findings a create or change that carries an ID
  // number or credit code is kResourceExhausted (with retry_after) before anything is looked up.
  Result<boost::json::object> Create(const auth::Principal& principal, const audit::Actor& actor,
                                     const boost::json::object& input);
  Result<boost::json::object> Create(storage::UnitOfWork& unit, const auth::Principal& principal,
                                     const audit::Actor& actor, const boost::json::object& input);

  // Creates many customers in one transaction per call, for imports and bulk loads: each input is
  // validated as in Create, and the valid ones are written together (one commit). Results are in
  // input order; an input that fails does not stop the others.
  // Errors (whole batch): kPermissionDenied; kInvalidArgument ("items", "too_many") for more than
  // 20,000 inputs; storage errors.
  Result<std::vector<BatchItemResult>> CreateBatch(const auth::Principal& principal,
                                                   const audit::Actor& actor,
                                                   const std::vector<boost::json::object>& inputs);

  // The customer with masked personal data, plus "owner_name" and "department_name" for display.
  // Errors: kNotFound (absent, deleted or out of scope),
  // kPermissionDenied without customer.read.
  Result<boost::json::object> Get(const auth::Principal& principal, CustomerId id);

  // Applies the fields in `patch` if the stored version is `expected_version`. The type, owner
  // and department cannot be patched (owner: Reassign). Needs customer.write, or
  // customer.classify for a patch of risk_level and status alone.
  // Errors: as Get; kAborted on a stale version (nothing changed); kInvalidArgument as Create,
  // and "required" for a patch that would clear what the customer's type needs (the ID number
  // or phone of an individual, the credit code of an enterprise that gives no pending reason);
  // kAlreadyExists as Create.
  Result<boost::json::object> Update(const auth::Principal& principal, const audit::Actor& actor,
                                     CustomerId id, const boost::json::object& patch,
                                     int64_t expected_version);
  Result<boost::json::object> Update(storage::UnitOfWork& unit, const auth::Principal& principal,
                                     const audit::Actor& actor, CustomerId id,
                                     const boost::json::object& patch, int64_t expected_version);

  // Soft delete: the record stays for its history, leaves every list, and frees its ID number
  // for a new record. The reason (2 to 200 characters, trimmed) goes into the audit trail.
  // Errors: kPermissionDenied without customer.delete; kInvalidArgument on "reason" (required,
  // too_short, too_long); as Get.
  Status Delete(const auth::Principal& principal, const audit::Actor& actor, CustomerId id,
                std::string_view reason);
  Status Delete(storage::UnitOfWork& unit, const auth::Principal& principal,
                const audit::Actor& actor, CustomerId id, std::string_view reason);

  // A page of customers in the caller's scope. Parameters: every filterable field of the entity
  // (see forms/record_query.h: name=…, name.prefix=…, created_at.from=…, tags=…, sort=…,
  // limit=…, cursor=…), plus `q` (name prefix) and `id_number` (exact, by blind index). Personal
  // data is masked unless the caller holds pii.unmask, and the birth date is then narrowed by
  // whole years only. One exact lookup of personal data per request, audited ("pii.lookup", the
  // field but never the value) and counted against CustomerSafeguards::pii_lookups.
  // `phone_tail` (exactly 4 digits) finds the customers whose display_phone ends in them; being
  // what the mask shows, it is no lookup of personal data. Each item adds "display_phone": an
  // individual's masked phone, an enterprise's masked contact phone or else its phone, or null.
  // `total` counts the customers of every page.
  // Errors: kInvalidArgument naming the parameter (phone_tail: invalid_phone_tail, one_value);
  // kPermissionDenied; kResourceExhausted with retry_after beyond the lookup rate.
  Result<CustomerPage> List(const auth::Principal& principal, const audit::Actor& actor,
                            const forms::QueryParams& params);

  // The stored values of the named masked fields (sensitive ones, and dates shown as their year).
  // Audited as "pii.unmask" with the field names; a refusal is audited too ("pii.unmask_denied").
  // Errors: kPermissionDenied without pii.unmask; kInvalidArgument for a field that is not
  // masked; as Get.
  Result<boost::json::object> Unmask(const auth::Principal& principal, const audit::Actor& actor,
                                     CustomerId id, const std::vector<std::string>& fields);
  Result<boost::json::object> Unmask(storage::UnitOfWork& unit, const auth::Principal& principal,
                                     const audit::Actor& actor, CustomerId id,
                                     const std::vector<std::string>& fields);

  // Moves customers to another account manager (and the manager's department). All or nothing;
  // at most 500 at a time; each move audited.
  // Errors: kPermissionDenied without customer.reassign; kInvalidArgument for an unknown or
  // disabled new owner, or one outside the caller's scope ("owner_id"), or too many ids ("ids");
  // kNotFound naming the first id that is absent or out of scope.
  Status Reassign(const auth::Principal& principal, const audit::Actor& actor,
                  const std::vector<CustomerId>& ids, auth::UserId new_owner);
  Status Reassign(storage::UnitOfWork& unit, const auth::Principal& principal,
                  const audit::Actor& actor, const std::vector<CustomerId>& ids,
                  auth::UserId new_owner);

  // The account managers the caller may hand customers to, for pickers: active users who may
  // own customers (customer.write) in a department within the caller's customer scope, the
  // caller included; `query` matches the start of the display name or username. Each:
  // {id, username, display_name, department: {id, name, path_names}, roles: [{key, name}]}, by
  // display name, at most `limit` (1–100).
  // Errors: kPermissionDenied without customer.read; kInvalidArgument on "limit".
  Result<std::vector<boost::json::object>> AssignableOwners(const auth::Principal& principal,
                                                            std::string_view query, int limit,
                                                            std::string_view language);

  // Whether the caller may give `user` work about customers (a to-do): an active user in a
  // department within the caller's customer scope, the caller included. Errors: kNotFound
  // otherwise, alike for a user who does not exist and one out of reach.
  Status CheckAssignable(storage::Tx& tx, const auth::Principal& principal, auth::UserId user);

  // Whether the customer exists, is live and is in the caller's scope (for the related-party,
  // follow-up and timeline services). Errors: kNotFound otherwise.
  Status CheckVisible(storage::Tx& tx, const auth::Principal& principal, CustomerId id);

  // Computes phone_tail for the customers customers_0007 marked pending: those stored before the
  // column existed, whose phones only the field cipher can read. Run at start-up, before
  // serving. Resumable and idempotent, so nodes starting together or a start-up cut short do no
  // harm. A customer whose phones do not decrypt (a key rotated out of the configuration) keeps
  // its mark, is counted as unreadable, and is tried again at the next start.
  // Errors: storage errors.
  Result<PhoneTailFill> FillPendingPhoneTails();

  // The customer's display name, when it exists (for related parties).
  Result<std::optional<std::string>> NameOf(storage::Tx& tx, CustomerId id);

  // The names of those of `ids` that exist (deleted ones too: the trail names them) and are in
  // the caller's scope, for naming customers where ids are recorded.
  Result<std::map<CustomerId, std::string>> NamesOf(const auth::Principal& principal,
                                                    const std::vector<CustomerId>& ids);
  Result<std::map<CustomerId, std::string>> NamesOf(storage::Tx& tx,
                                                    const auth::Principal& principal,
                                                    const std::vector<CustomerId>& ids);

  // The customer entity as it is defined now (built-in and custom fields).
  Result<std::shared_ptr<const forms::EntityDef>> Entity();

 private:
  struct Prepared;
  Result<Prepared> Prepare(const auth::Principal& principal, const audit::Actor& actor,
                           const forms::EntityDef& entity, const boost::json::object& input);
  // Inserts a prepared customer and names it in its audit entry; the caller appends the entry.
  Result<CustomerId> Insert(storage::Tx& tx, Prepared& prepared);
  Result<boost::json::object> Load(storage::Tx& tx, const auth::Principal& principal,
                                   const forms::EntityDef& entity, CustomerId id,
                                   forms::OutputMode mode);
  // kAlreadyExists on `field` naming the existing customer's manager, and the customer when the
  // caller may open it (see Create).
  Result<Error> Duplicate(storage::Tx& tx, const auth::Principal& principal, std::string_view field,
                          CustomerId existing_id) const;
  // The department of `owner_id` as a new owner: an active user within the caller's scope.
  // Errors: kInvalidArgument on owner_id (unknown_owner, out_of_scope).
  Result<auth::DepartmentId> OwnerDepartment(storage::Tx& tx, const auth::Principal& principal,
                                             auth::UserId owner_id);
  // kAlreadyExists naming the live customer (other than `except_id`) that already has the ID
  // number or credit code in `values`.
  Status CheckNoDuplicate(storage::Tx& tx, const auth::Principal& principal,
                          const forms::RecordValues& values, std::optional<CustomerId> except_id);
  // Counts and audits one exact lookup by personal data, or refuses it beyond the rate.
  Status RecordLookup(const auth::Principal& principal, const audit::Actor& actor,
                      std::string_view field);
  // Refuses, before any lookup, a caller who has found too many duplicates lately.
  Status CheckDuplicateBudget(storage::Tx& tx, const auth::Principal& principal);
  // Counts and audits a duplicate finding, whatever becomes of `unit`; returns `found`.
  Error RecordDuplicateFinding(storage::UnitOfWork& unit, const auth::Principal& principal,
                               const audit::Actor& actor, Error found);

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const runtime::EventLog& events_;
  forms::EntityRegistry& registry_;
  const crypto::FieldCipher& cipher_;
  CustomerSafeguards safeguards_;
  auth::RateLimiter limiter_;
};

}  // namespace oc::customers

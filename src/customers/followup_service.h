#pragma once
// Follow-up records (沟通记录) and the customer timeline.
//
// A follow-up is what an account manager did with a customer — a call, a visit, a WeChat
// conversation — what came of it, and when to follow up next. The timeline merges, newest first,
// the follow-ups, the to-dos about the customer and every recorded change of the customer (from
// the audit trail: field changes, reassignments, related parties); later modules add
// applications, loans and alerts.
//
// Thread-safe; blocks on the database.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/principal.h"
#include "core/clock.h"
#include "core/date.h"
#include "core/time_zone.h"
#include "customers/customer_service.h"
#include "runtime/event_log.h"
#include "storage/db.h"

namespace oc::customers {

// How staff reached the customer (沟通方式).
enum class FollowUpChannel { kPhone, kVisit, kWechat, kEmail, kOther };

// The stored and API name: "phone", "visit", "wechat", "email", "other".
std::string_view FollowUpChannelName(FollowUpChannel channel);
// The channel named `name`, or nullopt.
std::optional<FollowUpChannel> FollowUpChannelFromName(std::string_view name);

struct NewFollowUp {
  std::string channel;  // a FollowUpChannelName, as the client sent it
  std::string content;
  std::string outcome;
  std::string next_followup_date;  // "YYYY-MM-DD" or empty
};

struct TimelinePage {
  std::vector<boost::json::object> items;  // {kind, at, actor, …}
  std::optional<std::string> next_cursor;
};

// What an account manager's workbench counts, over the customers they own.
struct Agenda {
  Date business_date;                    // today in the zone
  int64_t my_customers = 0;              // live customers owned by the caller
  int64_t followups_due_today = 0;       // customers whose latest follow-up set today as the next
  int64_t followups_overdue = 0;         // … set an earlier day, with nothing recorded since
  int64_t new_customers_this_month = 0;  // created since the 1st, in the zone
};

class FollowUpService {
 public:
  // `zone` decides what "today" is for next_followup_date.
  FollowUpService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                  const runtime::EventLog& events, CustomerService& customers, TimeZone zone = {});

  // Records a follow-up. Errors: kPermissionDenied without followup.write; kNotFound when the
  // customer is not visible; kInvalidArgument naming the field (channel unknown, content
  // required or longer than 2,000 characters, outcome longer than 500, next_followup_date not a
  // date or before today in the zone).
  Result<boost::json::object> Add(const auth::Principal& principal, const audit::Actor& actor,
                                  CustomerId customer_id, const NewFollowUp& input);
  Result<boost::json::object> Add(storage::UnitOfWork& unit, const auth::Principal& principal,
                                  const audit::Actor& actor, CustomerId customer_id,
                                  const NewFollowUp& input);

  // Newest first. Errors: as Add for visibility.
  Result<std::vector<boost::json::object>> List(const auth::Principal& principal,
                                                CustomerId customer_id);

  // The caller's agenda; zeros (and the date) for a caller without customer.read.
  Result<Agenda> AgendaOf(const auth::Principal& principal);

  // A page of the merged timeline, newest first. `cursor` comes from the previous page.
  // Errors: kInvalidArgument for a bad cursor or a limit outside 1–200; as List.
  // Changes carry names where the trail keeps ids and codes: "action_label"; per change
  // "before_display"/"after_display" (owner, department, related customer) and "field_label"
  // (a relation's role); "summary" for related parties added and removed. In `language`.
  Result<TimelinePage> Timeline(const auth::Principal& principal, CustomerId customer_id,
                                const std::string& cursor, int limit,
                                std::string_view language = "zh-CN");

 private:
  Status Describe(storage::Tx& tx, std::vector<boost::json::object>& items,
                  std::string_view language) const;

  storage::Db& db_;
  const Clock& clock_;
  const audit::AuditLog& audit_;
  const runtime::EventLog& events_;
  CustomerService& customers_;
  const TimeZone zone_;
};

}  // namespace oc::customers

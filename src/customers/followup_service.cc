#include "customers/followup_service.h"

#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <set>

#include "audit/action.h"
#include "core/text_normalize.h"
#include "crypto/encoding.h"
#include "customers/relationship_service.h"
#include "forms/record_codec.h"
#include "runtime/todo_service.h"

namespace oc::customers {

namespace {

namespace json = boost::json;
using storage::Tx;

constexpr std::array<std::pair<FollowUpChannel, std::string_view>, 5> kChannels = {{
    {FollowUpChannel::kPhone, "phone"},
    {FollowUpChannel::kVisit, "visit"},
    {FollowUpChannel::kWechat, "wechat"},
    {FollowUpChannel::kEmail, "email"},
    {FollowUpChannel::kOther, "other"},
}};

// The timeline orders by (time, source, id), newest first; to-dos and follow-ups rank above audit
// entries recorded in the same microsecond.
enum Source : int64_t { kAuditSource = 0, kFollowUpSource = 1, kTodoSource = 2 };

struct Position {
  int64_t at_us;
  int64_t source;
  int64_t id;
  auto operator<=>(const Position&) const = default;
};

std::string EncodeCursor(const Position& p) {
  return crypto::Base64UrlEncode(std::to_string(p.at_us) + ":" + std::to_string(p.source) + ":" +
                                 std::to_string(p.id));
}

std::optional<Position> DecodeCursor(const std::string& cursor) {
  // Base64url without padding: restore the padding the standard decoder wants.
  std::string b64 = cursor;
  for (char& c : b64) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (b64.size() % 4 != 0) b64 += '=';
  auto text = crypto::Base64Decode(b64);
  if (!text) return std::nullopt;
  Position p{};
  int64_t* parts[3] = {&p.at_us, &p.source, &p.id};
  const char* begin = text->data();
  const char* end = text->data() + text->size();
  for (int i = 0; i < 3; ++i) {
    auto [ptr, ec] = std::from_chars(begin, end, *parts[i]);
    if (ec != std::errc()) return std::nullopt;
    begin = ptr;
    if (i < 2) {
      if (begin == end || *begin != ':') return std::nullopt;
      ++begin;
    }
  }
  if (begin != end) return std::nullopt;
  return p;
}

json::object FollowUpJson(const storage::Row& row) {
  json::object item;
  item["id"] = row.Int("id");
  item["customer_id"] = row.Int("customer_id");
  item["channel"] = row.Text("channel");
  item["content"] = row.Text("content");
  item["outcome"] = row.Text("outcome");
  auto next = row.OptText("next_followup_date");
  item["next_followup_date"] = next ? json::value(*next) : json::value(nullptr);
  item["created_at"] = FormatInstant(FromUnixMicros(row.Int("created_at_us")));
  item["created_by"] = row.Int("created_by");
  item["created_by_name"] = row.OptText("display_name").value_or("");
  return item;
}

constexpr std::string_view kFollowUpColumns =
    "f.id, f.customer_id, f.channel, f.content, f.outcome, f.next_followup_date, "
    "f.created_at_us, f.created_by, u.display_name";

}  // namespace

std::string_view FollowUpChannelName(FollowUpChannel channel) {
  for (const auto& [value, name] : kChannels) {
    if (value == channel) return name;
  }
  return "other";
}

std::optional<FollowUpChannel> FollowUpChannelFromName(std::string_view name) {
  for (const auto& [value, spelled] : kChannels) {
    if (spelled == name) return value;
  }
  return std::nullopt;
}

FollowUpService::FollowUpService(storage::Db& db, const Clock& clock, const audit::AuditLog& audit,
                                 const runtime::EventLog& events, CustomerService& customers,
                                 TimeZone zone)
    : db_(db),
      clock_(clock),
      audit_(audit),
      events_(events),
      customers_(customers),
      zone_(std::move(zone)) {}

Result<json::object> FollowUpService::Add(const auth::Principal& principal,
                                          const audit::Actor& actor, CustomerId customer_id,
                                          const NewFollowUp& input) {
  return storage::UnitOfWork::RunValue<json::object>(db_, [&](storage::UnitOfWork& unit) {
    return Add(unit, principal, actor, customer_id, input);
  });
}

Result<json::object> FollowUpService::Add(storage::UnitOfWork& unit,
                                          const auth::Principal& principal,
                                          const audit::Actor& actor, CustomerId customer_id,
                                          const NewFollowUp& input) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kFollowUpWrite));
  std::vector<FieldViolation> violations;
  const std::optional<FollowUpChannel> channel = FollowUpChannelFromName(input.channel);
  if (!channel) {
    violations.push_back({"channel", "invalid_option",
                          {"沟通方式只能是 phone、visit、wechat、email 或 other",
                           "The channel must be phone, visit, wechat, email or other"}});
  }
  std::string content(input.content);
  if (content.find_first_not_of(" \t\r\n") == std::string::npos) {
    violations.push_back({"content", "required", {"请填写沟通内容", "Describe the follow-up"}});
  } else if (Utf8Length(content) > 2000) {
    violations.push_back({"content", "too_long", {"最多 2000 字", "At most 2,000 characters"}});
  }
  if (Utf8Length(input.outcome) > 500) {
    violations.push_back({"outcome", "too_long", {"最多 500 字", "At most 500 characters"}});
  }
  const Date today = zone_.Today(clock_);
  if (!input.next_followup_date.empty()) {
    auto next = Date::Parse(input.next_followup_date);
    if (!next) {
      violations.push_back({"next_followup_date", "invalid_date",
                            {"日期格式应为 YYYY-MM-DD", "Use a date such as 2026-12-01"}});
    } else if (*next < today) {
      violations.push_back({"next_followup_date", "in_the_past",
                            {"下次跟进日期不能早于今天",
                             "The next follow-up date cannot be in the past"}});
    }
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  int64_t now = ToUnixMicros(clock_.Now());
  Tx& tx = unit.tx();
  RETURN_IF_ERROR(customers_.CheckVisible(tx, principal, customer_id));
  storage::Value next = input.next_followup_date.empty() ? storage::Value(storage::Null{})
                                                         : storage::Value(input.next_followup_date);
  ASSIGN_OR_RETURN(int64_t id,
                   tx.Insert("INSERT INTO customer_followups (customer_id, channel, content, "
                             "outcome, next_followup_date, created_at_us, created_by) VALUES "
                             "(?, ?, ?, ?, ?, ?, ?)",
                             {customer_id.value(), std::string(FollowUpChannelName(*channel)),
                              content, input.outcome, next, now, principal.user_id.value()}));
  RETURN_IF_ERROR(audit_.Append(tx, actor,
                                {.action = audit::Action::kCustomerFollowupAdded,
                                 .entity_type = "customer",
                                 .entity_id = std::to_string(customer_id.value()),
                                 .detail = "follow-up " + std::to_string(id) + " by " +
                                           std::string(FollowUpChannelName(*channel))}));
  // The content is free text that may name people and sums: referenced, not copied.
  RETURN_IF_ERROR(events_.Append(
      tx, actor,
      {.stream_type = "followup",
       .stream_id = std::to_string(id),
       .type = "followup.created",
       .payload = {{"customer_id", customer_id.value()},
                   {"channel", FollowUpChannelName(*channel)},
                   {"next_followup_date", input.next_followup_date.empty()
                                              ? json::value()
                                              : json::value(input.next_followup_date)}}}));
  ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kFollowUpColumns) +
                                             " FROM customer_followups f LEFT JOIN users u ON "
                                             "u.id = f.created_by WHERE f.id = ?",
                                         {id}));
  return FollowUpJson(*row);
}

Result<std::vector<json::object>> FollowUpService::List(const auth::Principal& principal,
                                                        CustomerId customer_id) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerRead));
  return db_.ReadValue<std::vector<json::object>>(
      [&](Tx& tx) -> Result<std::vector<json::object>> {
        RETURN_IF_ERROR(customers_.CheckVisible(tx, principal, customer_id));
        ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT " + std::string(kFollowUpColumns) +
                                                 " FROM customer_followups f LEFT JOIN users u "
                                                 "ON u.id = f.created_by WHERE f.customer_id = ? "
                                                 "ORDER BY f.created_at_us DESC, f.id DESC",
                                             {customer_id.value()}));
        std::vector<json::object> out;
        for (const auto& row : rows) out.push_back(FollowUpJson(row));
        return out;
      });
}

namespace {

// The id in a recorded value: "7" for an owner, "customer 12" for a related customer.
std::optional<int64_t> RecordedId(const json::value& value, std::string_view prefix) {
  if (!value.is_string()) return std::nullopt;
  std::string_view text = value.as_string();
  if (!text.starts_with(prefix)) return std::nullopt;
  text.remove_prefix(prefix.size());
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

// id → name for the ids given, from `table`'s `column`.
Result<std::map<int64_t, std::string>> NamesIn(Tx& tx, std::string_view table,
                                               std::string_view column,
                                               const std::set<int64_t>& ids) {
  std::map<int64_t, std::string> names;
  if (ids.empty()) return names;
  std::string sql =
      "SELECT id, " + std::string(column) + " FROM " + std::string(table) + " WHERE id IN (";
  storage::Params params;
  for (int64_t id : ids) {
    sql += params.empty() ? "?" : ", ?";
    params.emplace_back(id);
  }
  ASSIGN_OR_RETURN(auto rows, tx.Query(sql + ")", params));
  for (const storage::Row& row : rows) names[row.Int(0)] = row.Text(1);
  return names;
}

}  // namespace

// The trail records owners and departments by id and relations by role code; staff read names.
Status FollowUpService::Describe(Tx& tx, std::vector<json::object>& items,
                                 std::string_view language) const {
  const bool english = language.starts_with("en");
  std::set<int64_t> users, departments, customers;
  for (const json::object& item : items) {
    const json::value* changes = item.if_contains("changes");
    if (changes == nullptr || !changes->is_array()) continue;
    for (const json::value& change : changes->as_array()) {
      if (!change.is_object()) continue;
      const json::object& c = change.as_object();
      std::string_view field = c.contains("field") && c.at("field").is_string()
                                   ? std::string_view(c.at("field").as_string())
                                   : std::string_view();
      for (const char* side : {"before", "after"}) {
        if (!c.contains(side)) continue;
        if (field == "owner_id") {
          if (auto id = RecordedId(c.at(side), "")) users.insert(*id);
        } else if (field == "department_id") {
          if (auto id = RecordedId(c.at(side), "")) departments.insert(*id);
        } else if (field.starts_with("relation.")) {
          if (auto id = RecordedId(c.at(side), "customer ")) customers.insert(*id);
        }
      }
    }
  }
  ASSIGN_OR_RETURN(auto user_names, NamesIn(tx, "users", "display_name", users));
  ASSIGN_OR_RETURN(auto department_names, NamesIn(tx, "departments", "name", departments));
  ASSIGN_OR_RETURN(auto customer_names, NamesIn(tx, "customers", "name", customers));

  for (json::object& item : items) {
    if (const json::value* action = item.if_contains("action"); action && action->is_string()) {
      if (auto known = audit::ActionFromName(action->as_string())) {
        const Message label = audit::ActionLabel(*known);
        item["action_label"] = english ? label.en_us : label.zh_cn;
      }
    }
    json::value* changes = item.if_contains("changes");
    if (changes == nullptr || !changes->is_array()) continue;
    for (json::value& change : changes->as_array()) {
      if (!change.is_object()) continue;
      json::object& c = change.as_object();
      if (!c.contains("field") || !c.at("field").is_string()) continue;
      const std::string field(c.at("field").as_string());
      std::optional<RelationRole> role;
      if (field.starts_with("relation.")) role = RelationRoleFromName(field.substr(9));
      if (role) {
        const Message label = RelationRoleLabel(*role);
        c["field_label"] = english ? label.en_us : label.zh_cn;
      }
      std::string counterpart;
      for (const char* side : {"before", "after"}) {
        if (!c.contains(side) || !c.at(side).is_string()) continue;
        const std::map<int64_t, std::string>* names = nullptr;
        std::string_view prefix;
        if (field == "owner_id") names = &user_names;
        if (field == "department_id") names = &department_names;
        if (role) {
          names = &customer_names;
          prefix = "customer ";
          counterpart = std::string(c.at(side).as_string());
        }
        if (names == nullptr) continue;
        if (auto id = RecordedId(c.at(side), prefix)) {
          auto name = names->find(*id);
          std::string display = name != names->end() ? name->second : "#" + std::to_string(*id);
          c[std::string(side) + "_display"] = display;
          if (role) counterpart = display;
        }
      }
      if (role && !counterpart.empty() && counterpart.starts_with("relation ")) counterpart.clear();
      if (role) {
        const Message label = RelationRoleLabel(*role);
        const bool added = c.contains("after") && c.at("after").is_string();
        std::string summary =
            english ? std::string(added ? "Related party added: " : "Related party removed: ") +
                          label.en_us
                    : std::string(added ? "新增关联方：" : "解除关联方：") + label.zh_cn;
        if (!counterpart.empty()) summary += " " + counterpart;
        item["summary"] = summary;
      }
    }
  }
  return Ok();
}

Result<TimelinePage> FollowUpService::Timeline(const auth::Principal& principal,
                                               CustomerId customer_id, const std::string& cursor,
                                               int limit, std::string_view language) {
  RETURN_IF_ERROR(principal.Require(auth::Permission::kCustomerRead));
  if (limit < 1 || limit > 200) {
    return InvalidField("limit", "invalid_limit",
                        {"limit 必须在 1 到 200 之间", "limit must be between 1 and 200"});
  }
  std::optional<Position> after;
  if (!cursor.empty()) {
    after = DecodeCursor(cursor);
    if (!after) {
      return InvalidField("cursor", "invalid_cursor",
                          {"分页游标无效", "The page cursor is not valid"});
    }
  }
  // Per source, "strictly after the cursor in newest-first order" is (at, id) < (T, I): the
  // source rank only decides what happens at the cursor's own microsecond.
  auto bound = [&](int64_t source) -> std::optional<std::pair<int64_t, int64_t>> {
    if (!after) return std::nullopt;
    if (source == after->source) return std::pair{after->at_us, after->id};
    if (source < after->source) return std::pair{after->at_us, INT64_MAX};
    return std::pair{after->at_us, int64_t{0}};
  };

  std::vector<std::pair<Position, json::object>> merged;
  RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    RETURN_IF_ERROR(customers_.CheckVisible(tx, principal, customer_id));
    std::string sql = "SELECT " + std::string(kFollowUpColumns) +
                      " FROM customer_followups f LEFT JOIN users u ON u.id = f.created_by "
                      "WHERE f.customer_id = ?";
    storage::Params params{customer_id.value()};
    if (auto b = bound(kFollowUpSource)) {
      sql += " AND (f.created_at_us < ? OR (f.created_at_us = ? AND f.id < ?))";
      params.insert(params.end(), {b->first, b->first, b->second});
    }
    sql += " ORDER BY f.created_at_us DESC, f.id DESC LIMIT ?";
    params.emplace_back(int64_t{limit + 1});
    ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
    for (const auto& row : rows) {
      json::object item = FollowUpJson(row);
      item["kind"] = "followup";
      item["at"] = item["created_at"];
      item["actor"] = item["created_by_name"];
      merged.emplace_back(Position{row.Int("created_at_us"), kFollowUpSource, row.Int("id")},
                          std::move(item));
    }
    std::optional<std::pair<Instant, int64_t>> todo_before;
    if (auto b = bound(kTodoSource)) todo_before = std::pair{FromUnixMicros(b->first), b->second};
    ASSIGN_OR_RETURN(auto todos,
                     runtime::LinkedTodos(tx, {"customer", std::to_string(customer_id.value())},
                                          todo_before, limit + 1));
    std::set<int64_t> people;
    for (const runtime::Todo& todo : todos) {
      people.insert(todo.assignee.value());
      if (todo.created_by) people.insert(*todo.created_by);
    }
    ASSIGN_OR_RETURN(auto names, NamesIn(tx, "users", "display_name", people));
    auto name_of = [&](std::optional<int64_t> id) -> std::string {
      auto found = id ? names.find(*id) : names.end();
      return found == names.end() ? "" : found->second;
    };
    const Instant now = clock_.Now();
    for (const runtime::Todo& todo : todos) {
      json::object entry{
          {"id", todo.id.value()},
          {"title", todo.title},
          {"status", runtime::TodoStatusName(todo.status)},
          {"due_at", todo.due_at ? json::value(FormatInstant(*todo.due_at)) : json::value(nullptr)},
          {"assignee_id", todo.assignee.value()},
          {"assignee_name", name_of(todo.assignee.value())},
          {"completion_note", todo.completion_note},
          {"overdue",
           todo.status == runtime::TodoStatus::kOpen && todo.due_at && *todo.due_at < now}};
      json::object item{{"kind", "todo"},
                        {"id", todo.id.value()},
                        {"at", FormatInstant(todo.created_at)},
                        {"actor", name_of(todo.created_by)},
                        {"todo", std::move(entry)}};
      merged.emplace_back(Position{ToUnixMicros(todo.created_at), kTodoSource, todo.id.value()},
                          std::move(item));
    }
    return Ok();
  }));

  std::optional<std::pair<Instant, int64_t>> audit_before;
  if (auto b = bound(kAuditSource)) audit_before = std::pair{FromUnixMicros(b->first), b->second};
  // Follow-ups are shown from their own table; skip their audit echo. Fetch a little more than a
  // page so that skipped echoes do not shorten it.
  ASSIGN_OR_RETURN(auto history,
                   audit_.History(db_, "customer", std::to_string(customer_id.value()),
                                  audit_before, std::min(500, 2 * limit + 1)));
  ASSIGN_OR_RETURN(auto entity, customers_.Entity());
  // Staff are named as they are everywhere else on the page, by their display names.
  std::set<int64_t> actors;
  for (const auto& e : history) {
    if (e.user_id) actors.insert(*e.user_id);
  }
  std::map<int64_t, std::string> actor_names;
  RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(actor_names, NamesIn(tx, "users", "display_name", actors));
    return Ok();
  }));
  for (const auto& e : history) {
    if (e.action == "customer.followup_added") continue;
    json::object item;
    item["kind"] = "change";
    item["id"] = e.id;
    item["at"] = FormatInstant(e.at);
    item["action"] = e.action;
    const auto named = e.user_id ? actor_names.find(*e.user_id) : actor_names.end();
    item["actor"] = named != actor_names.end() ? named->second : e.username;
    // Recorded under the masks of their day, shown under today's.
    boost::system::error_code ec;
    auto changes = json::parse(forms::RemaskRecordedChanges(*entity, e.changes_json), ec);
    item["changes"] = ec ? json::value(json::array()) : std::move(changes);
    item["detail"] = e.detail;
    merged.emplace_back(Position{ToUnixMicros(e.at), kAuditSource, e.id}, std::move(item));
  }

  std::sort(merged.begin(), merged.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  TimelinePage page;
  if (static_cast<int>(merged.size()) > limit) {
    merged.resize(limit);
    page.next_cursor = EncodeCursor(merged.back().first);
  }
  for (auto& [position, item] : merged) page.items.push_back(std::move(item));
  RETURN_IF_ERROR(db_.Read([&](Tx& tx) { return Describe(tx, page.items, language); }));
  return page;
}

Result<Agenda> FollowUpService::AgendaOf(const auth::Principal& principal) {
  Agenda agenda{.business_date = zone_.Today(clock_)};
  if (!principal.Has(auth::Permission::kCustomerRead)) return agenda;
  const Date& today = agenda.business_date;
  const Date month_start = *Date::FromYmd(today.year(), today.month(), 1);
  const int64_t me = principal.user_id.value();
  // A customer's plan is the next date set by their latest follow-up: a later follow-up that
  // sets none (or a later day) replaces it.
  constexpr std::string_view kLatestPlans =
      "SELECT COUNT(*) FROM customers c JOIN customer_followups f ON f.customer_id = c.id "
      "WHERE c.owner_id = ? AND c.deleted_at_us IS NULL AND f.id = (SELECT MAX(l.id) FROM "
      "customer_followups l WHERE l.customer_id = c.id) AND f.next_followup_date ";
  RETURN_IF_ERROR(db_.Read([&](Tx& tx) -> Status {
    ASSIGN_OR_RETURN(auto owned, tx.QueryOne("SELECT COUNT(*), COALESCE(SUM(CASE WHEN "
                                             "created_at_us >= ? THEN 1 ELSE 0 END), 0) FROM "
                                             "customers WHERE owner_id = ? AND deleted_at_us IS "
                                             "NULL",
                                             {ToUnixMicros(zone_.StartOf(month_start)), me}));
    agenda.my_customers = owned->Int(0);
    agenda.new_customers_this_month = owned->Int(1);
    ASSIGN_OR_RETURN(auto due,
                     tx.QueryOne(std::string(kLatestPlans) + "= ?", {me, today.ToString()}));
    agenda.followups_due_today = due->Int(0);
    ASSIGN_OR_RETURN(auto overdue,
                     tx.QueryOne(std::string(kLatestPlans) + "< ?", {me, today.ToString()}));
    agenda.followups_overdue = overdue->Int(0);
    return Ok();
  }));
  return agenda;
}

}  // namespace oc::customers

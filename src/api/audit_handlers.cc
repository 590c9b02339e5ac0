#include "api/audit_handlers.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <memory>
#include <set>

#include "api/conventions.h"
#include "api/openapi.h"
#include "audit/action.h"
#include "forms/record_codec.h"
#include "http/json.h"

namespace oc::api {

namespace {

// `changes` is the entry's changes as they are to be shown.
boost::json::object EntryJson(const audit::Entry& e, std::string_view changes) {
  boost::json::object out;
  out["id"] = e.id;
  out["at"] = FormatInstant(e.at);
  out["user_id"] = e.user_id ? boost::json::value(*e.user_id) : boost::json::value(nullptr);
  out["username"] = e.username;
  out["action"] = e.action;
  out["entity_type"] = e.entity_type;
  out["entity_id"] = e.entity_id;
  boost::system::error_code ec;
  auto parsed = boost::json::parse(changes, ec);
  out["changes"] = ec ? boost::json::value(boost::json::array()) : std::move(parsed);
  out["detail"] = e.detail;
  out["request_id"] = e.request_id;
  out["client_ip"] = e.client_ip;
  out["hash"] = e.hash;
  return out;
}

// The kinds of object the trail records, as staff call them.
Message ObjectKind(std::string_view entity_type) {
  if (entity_type == "customer") return {"客户", "Customer"};
  if (entity_type == "user") return {"用户", "User"};
  if (entity_type == "role") return {"角色", "Role"};
  if (entity_type == "department") return {"部门", "Department"};
  if (entity_type == "entity") return {"表单", "Form"};
  return {std::string(entity_type), std::string(entity_type)};
}

// Names the objects of a page of entries: one lookup per kind, not per entry.
class ObjectNames {
 public:
  ObjectNames(const ApiContext& ctx, customers::CustomerService& customers,
              const auth::Principal& reader, forms::EntityRegistry& entities)
      : ctx_(ctx), customers_(customers), reader_(reader), entities_(entities) {}

  Status Load(const std::vector<audit::Entry>& entries, bool english) {
    std::vector<customers::CustomerId> customer_ids;
    std::set<int64_t> user_ids;
    bool roles = false, departments = false;
    for (const audit::Entry& e : entries) {
      int64_t id = 0;
      auto [end, ec] =
          std::from_chars(e.entity_id.data(), e.entity_id.data() + e.entity_id.size(), id);
      const bool numeric = ec == std::errc() && end == e.entity_id.data() + e.entity_id.size();
      if (e.entity_type == "customer" && numeric) customer_ids.emplace_back(id);
      if (e.entity_type == "user" && numeric) user_ids.insert(id);
      roles |= e.entity_type == "role";
      departments |= e.entity_type == "department";
    }
    ASSIGN_OR_RETURN(auto customer_names, customers_.NamesOf(reader_, customer_ids));
    for (const auto& [id, name] : customer_names)
      names_["customer:" + std::to_string(id.value())] = name;
    for (int64_t id : user_ids) {
      auto user = ctx_.organization.GetUser(auth::UserId(id));
      if (!user) {
        if (user.error().code == ErrorCode::kNotFound) continue;
        return user.error();
      }
      names_["user:" + std::to_string(id)] = user->display_name + "（" + user->username + "）";
    }
    if (roles) {
      ASSIGN_OR_RETURN(auto all, ctx_.organization.ListRoles());
      for (const auth::Role& role : all) {
        names_["role:" + std::to_string(role.id.value())] =
            english ? role.name.en_us : role.name.zh_cn;
      }
    }
    if (departments) {
      ASSIGN_OR_RETURN(auto all, ctx_.organization.ListDepartments());
      for (const auth::Department& d : all) {
        names_["department:" + std::to_string(d.id.value())] = d.path_names;
      }
    }
    for (const audit::Entry& e : entries) {
      if (e.entity_type != "entity" || names_.contains("entity:" + e.entity_id)) continue;
      auto definition = entities_.Get(e.entity_id);
      if (!definition) continue;  // a form since removed keeps its key
      names_["entity:" + e.entity_id] = (*definition)->label.In(english ? "en" : "zh");
    }
    return Ok();
  }

  // "客户 张三", or "客户 #202" for one that is gone or outside the reader's scope.
  std::string LabelOf(const audit::Entry& e, bool english) const {
    if (e.entity_type.empty()) return "";
    const Message kind = ObjectKind(e.entity_type);
    std::string label = english ? kind.en_us : kind.zh_cn;
    auto name = names_.find(e.entity_type + ":" + e.entity_id);
    if (name != names_.end()) return label + " " + name->second;
    return e.entity_id.empty() ? label : label + " #" + e.entity_id;
  }

 private:
  const ApiContext& ctx_;
  customers::CustomerService& customers_;
  const auth::Principal& reader_;
  forms::EntityRegistry& entities_;
  std::map<std::string, std::string> names_;
};

Error BadParam(std::string field, Message message) {
  return InvalidField(std::move(field), "invalid", std::move(message));
}

}  // namespace

void AddAuditRoutes(http::Router& router, const ApiContext& ctx, forms::EntityRegistry& entities,
                    customers::CustomerService& customers) {
  AddProtectedRoute(
      router, ctx.guard, http::Method::kGet, "/api/v1/audit-actions",
      {.permission = auth::Permission::kAuditRead},
      {.id = "listAuditActions",
       .tag = "audit",
       .summary = "Every action the trail records, with its label, for filters",
       .response = Object({{"items", ArrayOf(Ref("AuditActionInfo"))}}, {"items"})},
      [](http::Request& request, const Caller&) {
        const bool english = request.Language().starts_with("en");
        boost::json::array items;
        for (const audit::ActionInfo& info : audit::AllActions()) {
          items.push_back(boost::json::object{
              {"key", info.name}, {"label", english ? info.label.en_us : info.label.zh_cn}});
        }
        return http::JsonResponse(200, boost::json::object{{"items", std::move(items)}});
      });

  AddProtectedRoute(
      router, ctx.guard, http::Method::kGet, "/api/v1/audit-events",
      {.permission = auth::Permission::kAuditRead},
      {.id = "listAuditEvents",
       .tag = "audit",
       .summary = "Search the audit trail",
       .response = ListOf("AuditEvent"),
       .query = {"user_id", "entity_type", "entity_id", "action", "from", "to", "limit", "cursor"}},
      [&ctx, &entities, &customers](http::Request& request, const Caller& caller) {
        http::Response error;
        auto page = ReadPage(request, &error);
        if (!page) return error;
        audit::Filter filter{.before_id = page->after, .limit = page->limit + 1};
        std::vector<FieldViolation> violations;
        if (auto u = request.QueryParam("user_id")) {
          int64_t id = 0;
          auto [p, ec] = std::from_chars(u->data(), u->data() + u->size(), id);
          if (ec != std::errc() || p != u->data() + u->size()) {
            violations.push_back(BadParam("user_id", {"必须是整数", "must be an integer"})
                                     .field_violations[0]);
          } else {
            filter.user_id = id;
          }
        }
        if (auto v = request.QueryParam("entity_type")) filter.entity_type = std::string(*v);
        if (auto v = request.QueryParam("entity_id")) filter.entity_id = std::string(*v);
        if (auto v = request.QueryParam("action")) filter.action = std::string(*v);
        for (auto [name, target] : {std::pair{"from", &filter.from}, std::pair{"to", &filter.to}}) {
          if (auto v = request.QueryParam(name)) {
            Instant t;
            if (!ParseInstant(*v, &t)) {
              violations.push_back(BadParam(name, {"须为 RFC 3339 时间，如 2026-01-01T00:00:00Z",
                                                   "must be an RFC 3339 time such as "
                                                   "2026-01-01T00:00:00Z"})
                                       .field_violations[0]);
            } else {
              *target = t;
            }
          }
        }
        if (!violations.empty()) return ErrorResponse(InvalidArgument(violations), request);
        auto entries = ctx.audit.List(ctx.db, filter);
        if (!entries) return ErrorResponse(entries.error(), request);
        const std::optional<int64_t> next =
            TrimPage(*entries, page->limit, [](const auto& row) { return row.id; });
        // Entries about records were written under the masks of their day; an auditor sees their
        // personal data under today's, as every other reader does.
        auto keys = entities.ListKeys();
        if (!keys) return ErrorResponse(keys.error(), request);
        std::map<std::string, std::shared_ptr<const forms::EntityDef>, std::less<>> definitions;
        const bool english = request.Language().starts_with("en");
        ObjectNames names(ctx, customers, caller.principal, entities);
        if (auto loaded = names.Load(*entries, english); !loaded) {
          return ErrorResponse(loaded.error(), request);
        }
        boost::json::array items;
        for (const auto& e : *entries) {
          boost::json::object item;
          if (std::find(keys->begin(), keys->end(), e.entity_type) == keys->end()) {
            item = EntryJson(e, e.changes_json);
          } else {
            auto& definition = definitions[e.entity_type];
            if (!definition) {
              auto loaded = entities.Get(e.entity_type);
              if (!loaded) return ErrorResponse(loaded.error(), request);
              definition = *loaded;
            }
            item = EntryJson(e, forms::RemaskRecordedChanges(*definition, e.changes_json));
          }
          auto action = audit::ActionFromName(e.action);
          item["action_label"] = !action   ? e.action
                                 : english ? audit::ActionLabel(*action).en_us
                                           : audit::ActionLabel(*action).zh_cn;
          item["object_label"] = names.LabelOf(e, english);
          items.push_back(std::move(item));
        }
        return http::JsonResponse(200, ListBody(std::move(items), next));
      });
}

}  // namespace oc::api

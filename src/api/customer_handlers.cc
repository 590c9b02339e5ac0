#include "api/customer_handlers.h"

#include <boost/json.hpp>
#include <charconv>

#include "api/conventions.h"
#include "api/json_reader.h"
#include "api/openapi.h"
#include "http/json.h"

namespace oc::api {

namespace {

namespace json = boost::json;

http::Response CustomerResponse(int status, const json::object& customer) {
  http::Response response = http::JsonResponse(status, customer);
  response.Set("ETag", ETag(customer.at("version").as_int64()));
  return response;
}

}  // namespace

void AddCustomerRoutes(http::Router& router, const ApiContext& ctx,
                       const CustomerServices& services) {
  const Guard& guard = ctx.guard;
  Protection read{.permission = auth::Permission::kCustomerRead};
  Protection write{.permission = auth::Permission::kCustomerWrite};

  AddProtectedRoute(
      router, guard, http::Method::kPost, "/api/v1/customers", write,
      {.id = "createCustomer",
       .tag = "customers",
       .summary = "Create a customer",
       .description = "Idempotency-Key replays the first response.",
       .request = Ref("CustomerInput"),
       .success = 201,
       .response = Ref("Customer"),
       .idempotency_key = true},
      [services](http::Request& request, const Caller& caller) {
        return services.idempotency.Run(
            request, caller.principal.user_id.value(), [&](storage::UnitOfWork& unit) {
              http::Response error;
              auto body = ObjectBody(request, &error);
              if (!body) return error;
              auto created = services.customers.Create(unit, caller.principal, caller.actor,
                                                       body->as_object());
              if (!created) return ErrorResponse(created.error(), request);
              http::Response response = CustomerResponse(201, *created);
              response.Set("Location",
                           "/api/v1/customers/" + std::to_string(created->at("id").as_int64()));
              return response;
            });
      });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/customers", read,
      {.id = "listCustomers",
       .tag = "customers",
       .summary = "List customers in the caller's data scope",
       .description =
           "Any filterable field: name=, <field>.from=/.to= (ranges), <field>.prefix=; plus q "
           "(name prefix), id_number and phone (exact), phone_tail (the last 4 digits of "
           "display_phone); sort=-created_at,name; cursor pagination. total counts every page.",
       .response = Ref("CustomerPage"),
       .query = {"q", "id_number", "phone", "phone_tail", "owner_id", "department_id", "tags",
                 "risk_level", "status", "source_channel", "created_at.from", "created_at.to",
                 "sort", "limit", "cursor"}},
      [services](http::Request& request, const Caller& caller) {
        auto page = services.customers.List(caller.principal, caller.actor, request.query);
        if (!page) return ErrorResponse(page.error(), request);
        json::array items;
        for (auto& item : page->items) items.push_back(std::move(item));
        json::object body{{"items", std::move(items)},
                          {"next_cursor", page->next_cursor ? json::value(*page->next_cursor)
                                                            : json::value(nullptr)},
                          {"total", page->total}};
        return http::JsonResponse(200, body);
      });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/users/assignable", read,
      {.id = "listAssignableUsers",
       .tag = "customers",
       .summary = "The account managers the caller may hand customers to",
       .description = "Active users who may own customers, in departments within the caller's "
                      "customer scope; q matches the start of the display name or username.",
       .response = Object({{"items", ArrayOf(Ref("AssignableUser"))}}, {"items"}),
       .query = {"q", "limit"}},
      [services](http::Request& request, const Caller& caller) {
        int limit = 20;
        if (auto v = request.QueryParam("limit")) {
          auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), limit);
          if (ec != std::errc() || end != v->data() + v->size()) limit = 0;
        }
        auto users = services.customers.AssignableOwners(
            caller.principal, request.QueryParam("q").value_or(""), limit, request.Language());
        if (!users) return ErrorResponse(users.error(), request);
        json::array items;
        for (auto& user : *users) items.push_back(std::move(user));
        return http::JsonResponse(200, json::object{{"items", std::move(items)}});
      });

  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/customers/{id}", read,
                    {.id = "getCustomer",
                     .tag = "customers",
                     .summary = "Get a customer",
                     .description = "Personal data masked; unmaskCustomer reveals it.",
                     .response = Ref("Customer")},
                    [services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto customer =
                          services.customers.Get(caller.principal, customers::CustomerId(*id));
                      if (!customer) return ErrorResponse(customer.error(), request);
                      return CustomerResponse(200, *customer);
                    });

  AddProtectedRoute(router, guard, http::Method::kPatch, "/api/v1/customers/{id}",
                    {.permission = auth::Permission::kCustomerWrite,
                     .alternative = auth::Permission::kCustomerClassify},
                    {.id = "updateCustomer",
                     .tag = "customers",
                     .summary = "Update a customer's fields (customer.classify: risk_level and "
                                "status alone)",
                     .request = Ref("CustomerInput"),
                     .response = Ref("Customer"),
                     .if_match = true},
                    [services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto version = ExpectedVersion(request, &error);
                      if (!version) return error;
                      auto body = ObjectBody(request, &error);
                      if (!body) return error;
                      auto updated = services.customers.Update(caller.principal, caller.actor,
                                                               customers::CustomerId(*id),
                                                               body->as_object(), *version);
                      if (!updated) return ErrorResponse(updated.error(), request);
                      return CustomerResponse(200, *updated);
                    });

  AddProtectedRoute(router, guard, http::Method::kDelete, "/api/v1/customers/{id}",
                    {.permission = auth::Permission::kCustomerDelete},
                    {.id = "deleteCustomer",
                     .tag = "customers",
                     .summary = "Soft-delete a customer, giving the reason",
                     .request = Ref("CustomerDeletion"),
                     .success = 204},
                    [services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto body = ObjectBody(request, &error);
                      if (!body) return error;
                      const json::value& fields = *body;
                      JsonReader reader(fields);
                      auto reason = reader.String("reason", true);
                      if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
                      auto s = services.customers.Delete(caller.principal, caller.actor,
                                                         customers::CustomerId(*id), *reason);
                      if (!s) return ErrorResponse(s.error(), request);
                      return NoContent();
                    });

  // Any signed-in user may ask; the service checks pii.unmask so that a refusal is audited.
  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/customers/{id}/unmask", read,
                    {.id = "unmaskCustomer",
                     .tag = "customers",
                     .summary = "Reveal masked fields",
                     .description = "The plaintext of the named masked fields; needs pii.unmask "
                                    "besides customer.read, and every use is audited.",
                     .request = Object({{"fields", ArrayOf(Type("string"))}}, {"fields"}),
                     .response = Type("object")},
                    [services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto body = http::ParseJsonBody(request);
                      if (!body) return body.error();
                      JsonReader reader(*body);
                      auto fields = reader.Strings("fields", true, 20);
                      if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
                      auto plain = services.customers.Unmask(caller.principal, caller.actor,
                                                             customers::CustomerId(*id), *fields);
                      if (!plain) return ErrorResponse(plain.error(), request);
                      http::Response response = http::JsonResponse(200, *plain);
                      response.Set("Cache-Control", "no-store");
                      return response;
                    });

  auto reassign = [services](http::Request& request, const Caller& caller,
                      std::optional<int64_t> single_id) -> http::Response {
    auto body = http::ParseJsonBody(request);
    if (!body) return body.error();
    JsonReader reader(*body);
    auto owner = reader.Int("owner_id", true);
    std::optional<std::vector<int64_t>> ids;
    if (single_id) {
      ids = std::vector<int64_t>{*single_id};
    } else {
      ids = reader.Ints("ids", true);
    }
    if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
    std::vector<customers::CustomerId> customer_ids(ids->begin(), ids->end());
    auto s = services.customers.Reassign(caller.principal, caller.actor, customer_ids,
                                         auth::UserId(*owner));
    if (!s) return ErrorResponse(s.error(), request);
    return NoContent();
  };
  AddProtectedRoute(
      router, guard, http::Method::kPost, "/api/v1/customers/reassign",
      {.permission = auth::Permission::kCustomerReassign},
      {.id = "reassignCustomers",
       .tag = "customers",
       .summary = "Move customers to another account manager",
       .request = Object({{"ids", ArrayOf(Type("integer"))}, {"owner_id", Type("integer")}},
                         {"ids", "owner_id"}),
       .success = 204},
      [reassign](http::Request& request, const Caller& caller) {
        return reassign(request, caller, std::nullopt);
      });
  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/customers/{id}/reassign",
                    {.permission = auth::Permission::kCustomerReassign},
                    {.id = "reassignCustomer",
                     .tag = "customers",
                     .summary = "Move one customer to another account manager",
                     .request = Object({{"owner_id", Type("integer")}}, {"owner_id"}),
                     .success = 204},
                    [reassign](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      return reassign(request, caller, *id);
                    });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/customers/{id}/relations", read,
      {.id = "listCustomerRelations",
       .tag = "customers",
       .summary = "A customer's related parties",
       .description = "Both directions: those the customer links to and those linking to it.",
       .response = Object({{"items", ArrayOf(Ref("Relation"))}}, {"items"})},
      [services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        auto list = services.relationships.List(caller.principal, customers::CustomerId(*id));
        if (!list) return ErrorResponse(list.error(), request);
        return ItemsResponse(std::move(*list));
      });

  AddProtectedRoute(
      router, guard, http::Method::kPost, "/api/v1/customers/{id}/relations", write,
      {.id = "addCustomerRelation",
       .tag = "customers",
       .summary = "Link a related party",
       .request = Object({{"role", Type("string")},
                          {"related_customer_id", Type("integer")},
                          {"person_name", Type("string")},
                          {"person_phone", Type("string")},
                          {"person_id_number", Type("string")},
                          {"share_percent", Type("string")},
                          {"note", Type("string")}},
                         {"role"}),
       .success = 201,
       .response = Ref("Relation"),
       .idempotency_key = true},
      [services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        auto body = http::ParseJsonBody(request);
        if (!body) return body.error();
        JsonReader reader(*body);
        customers::NewRelation input;
        auto role = reader.String("role", true, 64);
        if (role) {
          auto parsed = customers::RelationRoleFromName(*role);
          if (!parsed) {
            reader.AddViolation("role", "invalid_option",
                                {"关联角色无效", "Unknown relation role"});
          } else {
            input.role = *parsed;
          }
        }
        if (auto related = reader.Int("related_customer_id", false)) {
          input.related_customer_id = customers::CustomerId(*related);
        }
        input.person_name = reader.String("person_name", false, 400).value_or("");
        input.person_phone = reader.String("person_phone", false, 64).value_or("");
        input.person_id_number = reader.String("person_id_number", false, 64).value_or("");
        input.share_percent = reader.String("share_percent", false, 16).value_or("");
        input.note = reader.String("note", false, 4000, JsonReader::Lines::kMany).value_or("");
        if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
        return services.idempotency.Run(
            request, caller.principal.user_id.value(), [&](storage::UnitOfWork& unit) {
              auto added = services.relationships.Add(unit, caller.principal, caller.actor,
                                                      customers::CustomerId(*id), input);
              if (!added) return ErrorResponse(added.error(), request);
              return http::JsonResponse(201, *added);
            });
      });

  AddProtectedRoute(
      router, guard, http::Method::kDelete, "/api/v1/customers/{id}/relations/{relation_id}", write,
      {.id = "removeCustomerRelation",
       .tag = "customers",
       .summary = "Remove a related party",
       .success = 204},
      [services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        auto relation = PathId(request, "relation_id", &error);
        if (!relation) return error;
        auto s = services.relationships.Remove(caller.principal, caller.actor,
                                               customers::CustomerId(*id),
                                               customers::RelationId(*relation));
        if (!s) return ErrorResponse(s.error(), request);
        return NoContent();
      });

  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/customers/{id}/followups", read,
                    {.id = "listCustomerFollowUps",
                     .tag = "customers",
                     .summary = "A customer's follow-up records",
                     .response = Object({{"items", ArrayOf(Ref("FollowUp"))}}, {"items"})},
                    [services](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto list =
                          services.followups.List(caller.principal, customers::CustomerId(*id));
                      if (!list) return ErrorResponse(list.error(), request);
                      return ItemsResponse(std::move(*list));
                    });

  AddProtectedRoute(
      router, guard, http::Method::kPost, "/api/v1/customers/{id}/followups",
      {.permission = auth::Permission::kFollowUpWrite},
      {.id = "addCustomerFollowUp",
       .tag = "customers",
       .summary = "Record a follow-up",
       .request = Object({{"channel", Type("string")},
                          {"content", Type("string")},
                          {"outcome", Type("string")},
                          {"next_followup_date", Type("string")}},
                         {"channel", "content"}),
       .success = 201,
       .response = Ref("FollowUp"),
       .idempotency_key = true},
      [services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        auto body = http::ParseJsonBody(request);
        if (!body) return body.error();
        JsonReader reader(*body);
        customers::NewFollowUp input;
        input.channel = reader.String("channel", true, 32).value_or("");
        input.content =
            reader.String("content", true, 20000, JsonReader::Lines::kMany).value_or("");
        input.outcome =
            reader.String("outcome", false, 4000, JsonReader::Lines::kMany).value_or("");
        input.next_followup_date = reader.String("next_followup_date", false, 32).value_or("");
        if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
        return services.idempotency.Run(
            request, caller.principal.user_id.value(), [&](storage::UnitOfWork& unit) {
              auto added = services.followups.Add(unit, caller.principal, caller.actor,
                                                  customers::CustomerId(*id), input);
              if (!added) return ErrorResponse(added.error(), request);
              return http::JsonResponse(201, *added);
            });
      });

  AddProtectedRoute(
      router, guard, http::Method::kGet, "/api/v1/customers/{id}/timeline", read,
      {.id = "getCustomerTimeline",
       .tag = "customers",
       .summary = "A customer's timeline",
       .description = "Follow-ups and recorded changes, newest first.",
       .response =
           Object({{"items", ArrayOf(Ref("TimelineItem"))}, {"next_cursor", Nullable("string")}},
                  {"items", "next_cursor"}),
       .query = {"limit", "cursor"}},
      [services](http::Request& request, const Caller& caller) {
        http::Response error;
        auto id = PathId(request, "id", &error);
        if (!id) return error;
        int limit = 50;
        if (auto l = request.QueryParam("limit")) {
          int parsed = 0;
          auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), parsed);
          limit = (ec == std::errc() && p == l->data() + l->size()) ? parsed : 0;
        }
        std::string cursor(request.QueryParam("cursor").value_or(""));
        auto page = services.followups.Timeline(caller.principal, customers::CustomerId(*id),
                                                cursor, limit, request.Language());
        if (!page) return ErrorResponse(page.error(), request);
        json::array items;
        for (auto& item : page->items) items.push_back(std::move(item));
        return http::JsonResponse(
            200, json::object{{"items", std::move(items)},
                              {"next_cursor", page->next_cursor ? json::value(*page->next_cursor)
                                                                : json::value(nullptr)}});
      });
}

}  // namespace oc::api

#include "api/department_handlers.h"

#include <boost/json.hpp>

#include "api/conventions.h"
#include "api/json_reader.h"
#include "api/openapi.h"
#include "http/json.h"

namespace oc::api {

namespace {

constexpr auth::Permission kPermission = auth::Permission::kDepartmentAdmin;

boost::json::object DepartmentJson(const auth::Department& d) {
  boost::json::object out;
  out["id"] = d.id.value();
  out["parent_id"] = d.parent_id ? boost::json::value(d.parent_id->value())
                                 : boost::json::value(nullptr);
  out["name"] = d.name;
  out["path"] = d.path;
  out["path_names"] = d.path_names;
  out["version"] = d.version;
  out["created_at"] = FormatInstant(d.created_at);
  out["updated_at"] = FormatInstant(d.updated_at);
  return out;
}

http::Response DepartmentResponse(int status, const auth::Department& d) {
  http::Response response = http::JsonResponse(status, DepartmentJson(d));
  response.Set("ETag", ETag(d.version));
  return response;
}

}  // namespace

void AddDepartmentRoutes(http::Router& router, const ApiContext& ctx) {
  const Guard& guard = ctx.guard;
  Protection admin{.permission = kPermission};
  const boost::json::object input =
      Object({{"name", Type("string")}, {"parent_id", Nullable("integer")}}, {"name"});

  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/departments", {},
                    {.id = "listDepartments",
                     .tag = "departments",
                     .summary = "The department tree",
                     .description = "Flat, ordered by path.",
                     .response = ListOf("Department")},
                    [&ctx](http::Request& request, const Caller&) {
                      auto departments = ctx.organization.ListDepartments();
                      if (!departments) return ErrorResponse(departments.error(), request);
                      boost::json::array items;
                      for (const auto& d : *departments) items.push_back(DepartmentJson(d));
                      return http::JsonResponse(200, ListBody(std::move(items), std::nullopt));
                    });

  AddProtectedRoute(router, guard, http::Method::kGet, "/api/v1/departments/{id}", {},
                    {.id = "getDepartment",
                     .tag = "departments",
                     .summary = "Get a department",
                     .response = Ref("Department")},
                    [&ctx](http::Request& request, const Caller&) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto d = ctx.organization.GetDepartment(auth::DepartmentId(*id));
                      if (!d) return ErrorResponse(d.error(), request);
                      return DepartmentResponse(200, *d);
                    });

  AddProtectedRoute(router, guard, http::Method::kPost, "/api/v1/departments", admin,
                    {.id = "createDepartment",
                     .tag = "departments",
                     .summary = "Create a department",
                     .request = input,
                     .success = 201,
                     .response = Ref("Department")},
                    [&ctx](http::Request& request, const Caller& caller) {
                      auto body = http::ParseJsonBody(request);
                      if (!body) return body.error();
                      JsonReader reader(*body);
                      auto name = reader.String("name", true, 256);
                      auto parent = reader.Int("parent_id", false);
                      if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
                      auth::NewDepartment input{.name = *name};
                      if (parent) input.parent_id = auth::DepartmentId(*parent);
                      auto d = ctx.organization.CreateDepartment(caller.actor, input);
                      if (!d) return ErrorResponse(d.error(), request);
                      http::Response response = DepartmentResponse(201, *d);
                      response.Set("Location",
                                   "/api/v1/departments/" + std::to_string(d->id.value()));
                      return response;
                    });

  AddProtectedRoute(router, guard, http::Method::kPatch, "/api/v1/departments/{id}", admin,
                    {.id = "updateDepartment",
                     .tag = "departments",
                     .summary = "Rename or move a department",
                     .request = input,
                     .response = Ref("Department"),
                     .if_match = true},
                    [&ctx](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto version = ExpectedVersion(request, &error);
                      if (!version) return error;
                      auto body = http::ParseJsonBody(request);
                      if (!body) return body.error();
                      JsonReader reader(*body);
                      auth::DepartmentPatch patch;
                      patch.name = reader.String("name", false, 256);
                      if (reader.IsNull("parent_id")) {
                        (void)reader.Int("parent_id", false);
                        patch.parent_id = std::optional<auth::DepartmentId>();
                      } else if (auto parent = reader.Int("parent_id", false)) {
                        patch.parent_id =
                            std::optional<auth::DepartmentId>(auth::DepartmentId(*parent));
                      }
                      if (auto s = reader.Finish(); !s) return ErrorResponse(s.error(), request);
                      auto d = ctx.organization.UpdateDepartment(
                          caller.actor, auth::DepartmentId(*id), patch, *version);
                      if (!d) return ErrorResponse(d.error(), request);
                      return DepartmentResponse(200, *d);
                    });

  AddProtectedRoute(router, guard, http::Method::kDelete, "/api/v1/departments/{id}", admin,
                    {.id = "deleteDepartment",
                     .tag = "departments",
                     .summary = "Delete an empty department",
                     .success = 204},
                    [&ctx](http::Request& request, const Caller& caller) {
                      http::Response error;
                      auto id = PathId(request, "id", &error);
                      if (!id) return error;
                      auto s =
                          ctx.organization.DeleteDepartment(caller.actor, auth::DepartmentId(*id));
                      if (!s) return ErrorResponse(s.error(), request);
                      return NoContent();
                    });
}

}  // namespace oc::api

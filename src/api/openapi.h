#pragma once
// The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json and committed as
// web/openapi.json, from which the web app's API types are generated.
//
// Nothing in it is written apart from the code it describes: each handler file registers its
// routes through AddPublicRoute / AddProtectedRoute with an Operation that says what the route
// takes and returns, the router carries the resulting Operation object, and OpenApiDocument
// walks the router. A protected route's permission is given once, as the Guard's Protection: the
// guard enforces it and the document's `x-permission` and security come from the same value.
// The component schemas the operations refer to (Ref("Customer")) are defined in openapi.cc, so
// that every handler file shares one vocabulary.
//
// Thread-safety: the functions are pure, or touch only the router they are given (which is not
// thread-safe while routes are added).

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/guard.h"
#include "http/router.h"

namespace oc::api {

// What a route declares about itself for the document.
struct Operation {
  // The operationId: a camelCase verb and resource, unique in the document ("listCustomers").
  // The web app's generated types are keyed by it.
  std::string id;
  std::string tag;  // one of Tags()
  std::string summary;
  std::string description;                    // empty: the summary says it all
  std::optional<boost::json::value> request;  // the JSON body's schema; none: no body
  int success = 200;
  std::optional<boost::json::value> response;  // the success body's schema; none: no content
  std::vector<std::string> query;              // query parameter names (strings, optional)
  bool if_match = false;                       // an update that requires If-Match
  bool idempotency_key = false;                // a create that takes Idempotency-Key
  // A second success: a change accepted but waiting for a second administrator (202).
  std::optional<std::pair<int, boost::json::value>> also;
};

// Registers a route that needs no session (sign-in, health, this document), documented by
// `operation`. REQUIRES: as http::Router::Add; operation.id is not used by another route.
void AddPublicRoute(http::Router& router, http::Method method, std::string_view path,
                    const Operation& operation, http::Handler handler,
                    http::RouteOptions options = {});

// Registers a route behind `guard` with `protection`, documented by `operation` plus what the
// protection implies: its permission as `x-permission`, the session (and, on state-changing
// methods, the CSRF header) as security, and the 401 and 403 answers.
// REQUIRES: as AddPublicRoute.
void AddProtectedRoute(http::Router& router, const Guard& guard, http::Method method,
                       std::string_view path, const Protection& protection,
                       const Operation& operation, ProtectedHandler handler,
                       http::RouteOptions options = {});

// Schema builders for Operation's request and response fields.
// {"$ref": "#/components/schemas/<schema>"}. REQUIRES: `schema` is one of the component schemas
// openapi.cc defines (openapi_test checks that every reference resolves).
boost::json::object Ref(std::string_view schema);
// A JSON object with these properties, of which `required` must be present.
boost::json::object Object(
    std::initializer_list<std::pair<std::string_view, boost::json::value>> props,
    std::initializer_list<std::string_view> required = {});
boost::json::object Type(std::string_view type);      // {"type": type}
boost::json::object Nullable(std::string_view type);  // type or null
boost::json::object OrNull(boost::json::object schema);
boost::json::object ArrayOf(boost::json::value items);
// An object whose keys are free and whose values all follow `values`.
boost::json::object MapOf(boost::json::value values);
// A page of a cursor-paginated list: {"items": [<schema>…], "next_cursor": string or null}.
boost::json::object ListOf(std::string_view schema);
// {"zh-CN": …, "en-US": …}: a name in both interface languages.
boost::json::object LocalizedName();

// The document of every route in `router` that carries an Operation, in registration order, so
// the same routes always give the same bytes.
boost::json::value OpenApiDocument(const http::Router& router);

// The document as served and committed: two-space indented JSON with a final newline, keys in
// document order and non-ASCII text as UTF-8.
std::string OpenApiText(const http::Router& router);

// Registers GET /api/v1/openapi.json, serving OpenApiText of the router's routes at that moment
// (this route included), built once. REQUIRES: the last registration on `router`, so that no
// route is missing from the document.
void AddOpenApiRoute(http::Router& router);

}  // namespace oc::api

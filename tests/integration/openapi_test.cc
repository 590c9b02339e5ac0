// The OpenAPI document served at /api/v1/openapi.json against the routes the server actually
// registered and against the copy committed as web/openapi.json: every route is documented, every
// documented operation exists, and the committed copy (which the web app's types are generated
// from) is the served document byte for byte.

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

using MethodAndPath = std::pair<std::string, std::string>;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Keys of a path item that are operations (OpenAPI 3.1 §4.8.9); the rest (parameters, summary…)
// are not.
bool IsOperationKey(std::string_view key) {
  static const std::set<std::string_view> kMethods = {"get",     "put",  "post",  "delete",
                                                      "options", "head", "patch", "trace"};
  return kMethods.contains(key);
}

// Served routes that the document leaves out on purpose, as (lower-case method, pattern). None
// today: add a route here, with the reason, rather than leave it undocumented by accident.
const std::set<MethodAndPath> kUndocumented = {};

class OpenApiTest : public ServerTest {
 protected:
  std::string Text() {
    auto response = client_->Get("/api/v1/openapi.json");
    EXPECT_EQ(response.status, 200);
    return response.body;
  }

  json::object Document() {
    auto response = client_->Get("/api/v1/openapi.json");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.Header("content-type").value_or(""), "application/json");
    boost::system::error_code ec;
    auto doc = json::parse(response.body, ec);
    EXPECT_FALSE(ec) << "not valid JSON: " << ec.message();
    EXPECT_TRUE(doc.is_object());
    return doc.is_object() ? doc.as_object() : json::object();
  }

  std::set<MethodAndPath> Registered() {
    std::set<MethodAndPath> routes;
    for (const auto& [method, pattern] : application_->Routes()) {
      routes.emplace(Lower(method), pattern);
    }
    return routes;
  }

  static std::set<MethodAndPath> Documented(const json::object& doc) {
    std::set<MethodAndPath> operations;
    for (const auto& [path, item] : doc.at("paths").as_object()) {
      for (const auto& [key, operation] : item.as_object()) {
        if (IsOperationKey(key)) operations.emplace(std::string(key), std::string(path));
      }
    }
    return operations;
  }
};

TEST_P(OpenApiTest, IsAnOpenApi31DocumentWithoutASession) {
  auto doc = Document();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  EXPECT_FALSE(doc.at("info").at("title").as_string().empty());
  EXPECT_FALSE(doc.at("info").at("version").as_string().empty());
  EXPECT_TRUE(doc.at("paths").is_object());
  EXPECT_TRUE(doc.at("components").at("schemas").as_object().contains("Problem"));
}

TEST_P(OpenApiTest, EveryRegisteredRouteIsDocumented) {
  auto documented = Documented(Document());
  auto registered = Registered();
  ASSERT_FALSE(registered.empty());
  for (const auto& [method, path] : registered) {
    if (kUndocumented.contains({method, path})) continue;
    EXPECT_TRUE(documented.contains({method, path}))
        << method << " " << path << " is served but missing from openapi.json";
  }
}

TEST_P(OpenApiTest, EveryDocumentedOperationIsARegisteredRoute) {
  auto documented = Documented(Document());
  auto registered = Registered();
  ASSERT_FALSE(documented.empty());
  for (const auto& [method, path] : documented) {
    EXPECT_TRUE(registered.contains({method, path}))
        << method << " " << path << " is documented but not served";
  }
}

TEST_P(OpenApiTest, IsTheCommittedWebCopyByteForByte) {
  std::ifstream file(OC_WEB_OPENAPI_JSON, std::ios::binary);
  ASSERT_TRUE(file) << "cannot read " << OC_WEB_OPENAPI_JSON;
  std::stringstream committed;
  committed << file.rdbuf();
  // A mismatch printed in full would be two 100 KiB documents; the command says it all.
  EXPECT_TRUE(Text() == committed.str())
      << "web/openapi.json is not the document the server serves. Regenerate it and the web "
         "app's types:\n  build/dev/src/app/opencredit openapi > web/openapi.json && "
         "(cd web && npm run gen:api)";
}

TEST_P(OpenApiTest, EveryOperationHasACamelCaseUniqueIdResponsesAndItsPathParameters) {
  auto doc = Document();
  const std::regex camel_case("[a-z]+([A-Z][a-z0-9]*)*");
  std::set<std::string> operation_ids;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, value] : item.as_object()) {
      if (!IsOperationKey(method)) continue;
      SCOPED_TRACE(std::string(method) + " " + std::string(path));
      const auto& operation = value.as_object();
      std::string id(operation.at("operationId").as_string());
      EXPECT_TRUE(std::regex_match(id, camel_case)) << id << " is not camelCase";
      EXPECT_TRUE(operation_ids.insert(id).second) << "duplicate operationId " << id;
      EXPECT_FALSE(operation.at("summary").as_string().empty());
      EXPECT_FALSE(operation.at("responses").as_object().empty());
      std::string_view p(path);
      if (p.find("{id}") != std::string_view::npos) {
        bool has_id = false;
        for (const auto& param : operation.at("parameters").as_array()) {
          has_id |= param.at("in") == "path" && param.at("name") == "id";
        }
        EXPECT_TRUE(has_id);
      }
    }
  }
}

TEST_P(OpenApiTest, EveryOperationHasADeclaredTagAndSaysWhoMayCallIt) {
  auto doc = Document();
  std::set<std::string> tags;
  for (const auto& tag : doc.at("tags").as_array()) {
    EXPECT_FALSE(tag.at("description").as_string().empty()) << tag.at("name");
    tags.emplace(tag.at("name").as_string());
  }
  std::set<std::string> used;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, value] : item.as_object()) {
      if (!IsOperationKey(method)) continue;
      SCOPED_TRACE(std::string(method) + " " + std::string(path));
      const auto& operation = value.as_object();
      std::string tag(operation.at("tags").at(0).as_string());
      EXPECT_TRUE(tags.contains(tag)) << "undeclared tag " << tag;
      used.insert(tag);
      // Public operations opt out of the document's default security; protected ones answer 401
      // and 403.
      const auto* security = operation.if_contains("security");
      bool is_public = security != nullptr && security->as_array().empty();
      EXPECT_EQ(operation.at("responses").as_object().contains("401"), !is_public);
      if (is_public) EXPECT_FALSE(operation.contains("x-permission"));
    }
  }
  EXPECT_EQ(used, tags) << "a declared tag no operation uses";
  EXPECT_FALSE(doc.at("servers").as_array().empty());
}

TEST_P(OpenApiTest, OnlySignInHealthAndThisDocumentArePublic) {
  auto doc = Document();
  std::set<std::string> public_operations;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, value] : item.as_object()) {
      if (!IsOperationKey(method)) continue;
      const auto* security = value.as_object().if_contains("security");
      if (security != nullptr && security->as_array().empty()) {
        public_operations.emplace(value.at("operationId").as_string());
      }
    }
  }
  EXPECT_EQ(public_operations,
            (std::set<std::string>{"getHealth", "getReadiness", "getOpenApiDocument", "login"}));
}

TEST_P(OpenApiTest, AdminOperationsAreDocumentedWithTheirPermission) {
  auto doc = Document();
  const auto& paths = doc.at("paths").as_object();
  struct Expected {
    std::string method;
    std::string path;
    std::string permission;
  };
  const Expected expected[] = {
      {"get", "/api/v1/users", "user.read"},
      {"post", "/api/v1/users", "user.admin"},
      {"get", "/api/v1/users/{id}", "user.read"},
      {"patch", "/api/v1/users/{id}", "user.admin"},
      {"post", "/api/v1/users/{id}/reset-password", "user.admin"},
      {"post", "/api/v1/departments", "department.admin"},
      {"patch", "/api/v1/departments/{id}", "department.admin"},
      {"delete", "/api/v1/departments/{id}", "department.admin"},
      {"get", "/api/v1/roles", "role.admin"},
      {"post", "/api/v1/roles", "role.admin"},
      {"patch", "/api/v1/roles/{id}", "role.admin"},
      {"delete", "/api/v1/roles/{id}", "role.admin"},
      {"get", "/api/v1/audit-events", "audit.read"},
      {"get", "/api/v1/pending-changes", "user.read"},
      {"post", "/api/v1/pending-changes/{id}/approve", "role.admin"},
      {"post", "/api/v1/pending-changes/{id}/reject", "user.read"},
  };
  for (const auto& e : expected) {
    SCOPED_TRACE(e.method + " " + e.path);
    const auto* item = paths.if_contains(e.path);
    ASSERT_NE(item, nullptr);
    const auto* operation = item->as_object().if_contains(e.method);
    ASSERT_NE(operation, nullptr);
    EXPECT_EQ(operation->at("x-permission").as_string(), e.permission);
    const auto& responses = operation->at("responses").as_object();
    EXPECT_TRUE(responses.contains("401"));
    EXPECT_TRUE(responses.contains("403"));
  }
  // Updates need If-Match, and the document says so.
  for (const char* path : {"/api/v1/users/{id}", "/api/v1/departments/{id}", "/api/v1/roles/{id}"}) {
    SCOPED_TRACE(path);
    const auto& params = paths.at(path).at("patch").at("parameters").as_array();
    bool if_match = std::any_of(params.begin(), params.end(), [](const json::value& p) {
      return p.at("in") == "header" && p.at("name") == "If-Match" && p.at("required") == true;
    });
    EXPECT_TRUE(if_match);
  }
  // The audit search documents its filters.
  std::set<std::string> filters;
  for (const auto& p : paths.at("/api/v1/audit-events").at("get").at("parameters").as_array()) {
    if (p.at("in") == "query") filters.emplace(p.at("name").as_string());
  }
  for (const char* name : {"user_id", "entity_type", "action", "from", "to"}) {
    EXPECT_TRUE(filters.contains(name)) << name;
  }
}

// A client that retries a create after a timeout must learn from the document that it can.
TEST_P(OpenApiTest, CreatesThatReplayTheirFirstResponseDocumentTheIdempotencyKey) {
  std::set<std::string> with_key;
  const json::object doc = Document();
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, operation] : item.as_object()) {
      const auto* params = operation.as_object().if_contains("parameters");
      if (params == nullptr) continue;
      for (const auto& param : params->as_array()) {
        if (param.at("name") == json::value("Idempotency-Key") &&
            param.at("in") == json::value("header")) {
          with_key.insert(std::string(operation.at("operationId").as_string()));
        }
      }
    }
  }
  EXPECT_EQ(with_key, (std::set<std::string>{"createCustomer", "addCustomerRelation",
                                             "addCustomerFollowUp", "createTodo"}));
}

TEST_P(OpenApiTest, ReferencesResolve) {
  auto doc = Document();
  const auto& components = doc.at("components").as_object();
  std::vector<const json::value*> pending{&doc.at("paths"), &doc.at("components")};
  int references = 0;
  while (!pending.empty()) {
    const json::value* v = pending.back();
    pending.pop_back();
    if (v->is_object()) {
      for (const auto& [key, child] : v->as_object()) {
        if (key == "$ref") {
          ++references;
          std::string ref(child.as_string());
          // "#/components/<kind>/<name>": schemas and the shared responses.
          static const std::regex kLocal("#/components/([A-Za-z]+)/([A-Za-z0-9_]+)");
          std::smatch parts;
          ASSERT_TRUE(std::regex_match(ref, parts, kLocal)) << ref;
          const auto* kind = components.if_contains(parts[1].str());
          EXPECT_TRUE(kind != nullptr && kind->as_object().contains(parts[2].str()))
              << "dangling " << ref;
        }
        pending.push_back(&child);
      }
    } else if (v->is_array()) {
      for (const auto& child : v->as_array()) pending.push_back(&child);
    }
  }
  EXPECT_GT(references, 10);
}

INSTANTIATE_TEST_SUITE_P(Backends, OpenApiTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

}  // namespace
}  // namespace oc::testing

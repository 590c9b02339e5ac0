// Malformed, truncated, oversized and hostile requests against the real server, on both backends.
// Each must get its specific 4xx (problem+json where the server can still speak HTTP), and after
// each batch the server must still serve, the organisation tables must be unchanged, and neither
// the application log nor the access log may hold a password, the session cookie or the CSRF
// token.

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <string>
#include <thread>

#include "test_server.h"

namespace oc::testing {
namespace {

namespace json = boost::json;

constexpr char kProblemJson[] = "application/problem+json";

int StatusOf(const std::string& raw) {
  if (!raw.starts_with("HTTP/1.")) return -1;
  return std::atoi(raw.c_str() + 9);
}

class HostileInputTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    admin_ = SignedIn("admin");
    ASSERT_FALSE(admin_->session_cookie().empty());
    security_ = SignedIn("sec.zhou");
    users_ = CountRows("users");
    departments_ = CountRows("departments");
    roles_ = CountRows("roles");
    auto list = admin_->Get("/api/v1/users?q=am.zhang");
    ASSERT_EQ(list.status, 200) << list.body;
    auto user = list.Json().at("items").as_array().at(0);
    am_zhang_id_ = user.at("id").as_int64();
    am_zhang_etag_ = "\"" + std::to_string(user.at("version").as_int64()) + "\"";
  }

  // Roles are the security administrator's; everything else the system administrator's.
  HttpResult Post(const std::string& target, const std::string& body,
                  const std::string& content_type = "application/json") {
    TestClient& client = target.starts_with("/api/v1/roles") ? *security_ : *admin_;
    return client.Send("POST", target, body, {{"Content-Type", content_type}});
  }

  HttpResult PatchUser(const std::string& body) {
    return admin_->Send("PATCH", "/api/v1/users/" + std::to_string(am_zhang_id_), body,
                        {{"Content-Type", "application/json"}, {"If-Match", am_zhang_etag_}});
  }

  // The response is a problem document with this status and machine code.
  static void ExpectProblem(const HttpResult& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.Header("content-type").value_or(""), kProblemJson) << r.body;
    auto doc = r.Json();
    ASSERT_TRUE(doc.is_object()) << r.body;
    EXPECT_EQ(doc.at("status"), json::value(status));
    EXPECT_EQ(doc.at("code").as_string(), code) << r.body;
    EXPECT_FALSE(doc.at("request_id").as_string().empty());
  }

  // A 422 naming exactly these field:code pairs.
  static void ExpectViolations(const HttpResult& r, std::vector<std::string> expected) {
    ExpectProblem(r, 422, "invalid_argument");
    auto got = r.ViolationCodes();
    std::sort(got.begin(), got.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(got, expected) << r.body;
  }

  void ExpectServerUnharmed() {
    EXPECT_EQ(NewClient()->Get("/healthz").status, 200);
    EXPECT_EQ(admin_->Get("/api/v1/auth/me").status, 200) << "the admin session was lost";
    EXPECT_EQ(CountRows("users"), users_);
    EXPECT_EQ(CountRows("departments"), departments_);
    EXPECT_EQ(CountRows("roles"), roles_);
    ExpectNoSecretsLogged();
  }

  void ExpectNoSecretsLogged() {
    std::string cookie_value =
        admin_->session_cookie().substr(admin_->session_cookie().find('=') + 1);
    std::string logs = AppLog() + AccessLog();
    ASSERT_FALSE(logs.empty());
    for (const std::string& secret :
         {std::string("Known-Password-admin"), std::string(kAdminPassword), cookie_value,
          admin_->csrf_token()}) {
      ASSERT_GE(secret.size(), 16u);
      EXPECT_EQ(logs.find(secret), std::string::npos) << "a secret reached the log: " << secret;
    }
  }

  std::unique_ptr<TestClient> admin_;
  std::unique_ptr<TestClient> security_;
  int64_t users_ = 0;
  int64_t departments_ = 0;
  int64_t roles_ = 0;
  int64_t am_zhang_id_ = 0;
  std::string am_zhang_etag_;
};

const char* const kCreateTargets[] = {"/api/v1/users", "/api/v1/departments", "/api/v1/roles",
                                      "/api/v1/auth/login"};

TEST_P(HostileInputTest, MalformedAndTruncatedJsonIs400WithTheOffset) {
  for (const char* target : kCreateTargets) {
    SCOPED_TRACE(target);
    ExpectProblem(Post(target, R"({name: 'x'})"), 400, "malformed_json");
    auto truncated = Post(target, R"({"name": "风控)");
    ExpectProblem(truncated, 400, "malformed_json");
    // A truncated body is reported at its end (16 bytes: the Chinese characters are 3 each).
    EXPECT_NE(truncated.Json().at("detail").as_string().find("16"), json::string::npos)
        << truncated.body;
    ExpectProblem(Post(target, R"({"name":"x"} trailing)"), 400, "malformed_json");
    ExpectProblem(Post(target, ""), 400, "empty_body");
  }
  ExpectProblem(PatchUser(R"({"display_name":)"), 400, "malformed_json");
  ExpectProblem(PatchUser(""), 400, "empty_body");
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, WrongContentTypeIs415) {
  for (const char* target : kCreateTargets) {
    SCOPED_TRACE(target);
    ExpectProblem(Post(target, R"({"name":"x"})", "text/plain"), 415, "unsupported_media_type");
    ExpectProblem(Post(target, R"({"name":"x"})", "application/x-www-form-urlencoded"), 415,
                  "unsupported_media_type");
    ExpectProblem(Post(target, R"({"name":"x"})", "application/json; charset=latin1"), 415,
                  "unsupported_media_type");
  }
  auto no_type = admin_->Send("POST", "/api/v1/departments", R"({"name":"x"})");
  ExpectProblem(no_type, 415, "unsupported_media_type");
  auto patch = admin_->Send("PATCH", "/api/v1/users/" + std::to_string(am_zhang_id_),
                            R"({"display_name":"x"})",
                            {{"Content-Type", "text/xml"}, {"If-Match", am_zhang_etag_}});
  ExpectProblem(patch, 415, "unsupported_media_type");
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, WrongFieldTypesAre422NamingEachField) {
  ExpectViolations(Post("/api/v1/departments", R"({"name": 42})"), {"name:wrong_type"});
  ExpectViolations(Post("/api/v1/departments", R"({"name": "x", "parent_id": "1"})"),
                   {"parent_id:wrong_type"});
  ExpectViolations(Post("/api/v1/users", R"({"username": ["a"], "display_name": {},
                                             "password": true, "department_id": 1.5,
                                             "roles": "admin"})"),
                   {"username:wrong_type", "display_name:wrong_type", "password:wrong_type",
                    "department_id:wrong_type", "roles:wrong_type"});
  ExpectViolations(Post("/api/v1/roles", R"({"key": 7, "name": "x", "permissions": [1]})"),
                   {"key:wrong_type", "name:wrong_type", "permissions:wrong_type"});
  ExpectViolations(Post("/api/v1/auth/login", R"({"username": 1, "password": null})"),
                   {"username:wrong_type", "password:required"});
  ExpectViolations(PatchUser(R"({"display_name": [], "status": 1})"),
                   {"display_name:wrong_type", "status:wrong_type"});
  // Not an object at all: said once for the body, and the required field is still named.
  ExpectViolations(Post("/api/v1/departments", R"(["name"])"),
                   {":not_an_object", "name:required"});
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, UnknownFieldsAreNamed) {
  ExpectViolations(Post("/api/v1/departments", R"({"name": "新部门", "is_admin": true})"),
                   {"is_admin:unknown_field"});
  ExpectViolations(Post("/api/v1/auth/login",
                        R"({"username": "admin", "password": "x", "role": "admin"})"),
                   {"role:unknown_field"});
  ExpectViolations(PatchUser(R"({"display_name": "x", "password_hash": "$argon2id$"})"),
                   {"password_hash:unknown_field"});
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, HugeNumbersAreRejectedNotTruncated) {
  // Beyond a double: infinity after parsing, which no field can hold.
  ExpectProblem(Post("/api/v1/departments", R"({"name": "x", "parent_id": 1e400})"), 400,
                "number_out_of_range");
  ExpectProblem(PatchUser(R"({"department_id": -1e400})"), 400, "number_out_of_range");
  // Beyond 64 bits but a finite double: a wrong type for an id, never a wrapped-around id.
  ExpectViolations(Post("/api/v1/departments",
                        R"({"name": "x", "parent_id": 99999999999999999999999})"),
                   {"parent_id:wrong_type"});
  ExpectViolations(Post("/api/v1/users", R"({"username": "big.number", "display_name": "x",
                                             "password": "Long-Enough-Password-1",
                                             "department_id": 99999999999999999999999,
                                             "roles": ["account_manager"]})"),
                   {"department_id:wrong_type"});
  // Above INT64_MAX but a valid uint64: still not an id.
  ExpectViolations(PatchUser(R"({"department_id": 18446744073709551615})"),
                   {"department_id:wrong_type"});
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, InvalidUtf8IsRejected) {
  for (const char* target : kCreateTargets) {
    SCOPED_TRACE(target);
    ExpectProblem(Post(target, "{\"name\": \"\xff\xfe\"}"), 400, "malformed_json");
    // An overlong encoding of '/' and a lone UTF-16 surrogate.
    ExpectProblem(Post(target, "{\"name\": \"\xc0\xaf\"}"), 400, "malformed_json");
    ExpectProblem(Post(target, "{\"name\": \"\xed\xa0\x80\"}"), 400, "malformed_json");
  }
  ExpectProblem(PatchUser("{\"display_name\": \"\x80\"}"), 400, "malformed_json");
  // In the URL, after percent-decoding.
  ExpectProblem(admin_->Get("/api/v1/users?q=%FF%FE"), 400, "invalid_argument");
  ExpectProblem(admin_->Get("/api/v1/users/%C0%AF"), 400, "invalid_argument");
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, SqlInjectionStringsAreJustData) {
  const std::string drop = "'; DROP TABLE users; --";
  const std::string always_true = "admin' OR '1'='1";
  for (const std::string& evil : {drop, always_true}) {
    SCOPED_TRACE(evil);
    ExpectViolations(admin_->PostJson("/api/v1/users",
                                      json::object{{"username", evil},
                                                   {"display_name", evil},
                                                   {"password", "Long-Enough-Password-1"},
                                                   {"department_id", 1},
                                                   {"roles", json::array{"account_manager"}}}),
                     {"username:invalid_format"});
    ExpectViolations(
        security_->PostJson("/api/v1/roles",
                            json::object{{"key", evil},
                                         {"name", json::object{{"zh-CN", evil}, {"en-US", evil}}},
                                         {"permissions", json::array{}}}),
        {"key:invalid_format"});
    auto login = NewClient()->Login(evil, "' OR '1'='1");
    ExpectProblem(login, 401, "unauthenticated");
    EXPECT_FALSE(login.Header("set-cookie"));
    // As a search term: matches nothing, breaks nothing.
    std::string encoded;
    for (unsigned char c : evil) {
      static const char kHex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
    auto search = admin_->Get("/api/v1/users?q=" + encoded);
    ASSERT_EQ(search.status, 200) << search.body;
    EXPECT_TRUE(search.Json().at("items").as_array().empty());
    auto audit = SignedIn("auditor.sun")->Get("/api/v1/audit-events?action=" + encoded);
    ASSERT_EQ(audit.status, 200) << audit.body;
    EXPECT_TRUE(audit.Json().at("items").as_array().empty());
    // As a path id: not an id, so not found.
    ExpectProblem(admin_->Send("PATCH", "/api/v1/users/1" + encoded, R"({"display_name":"x"})",
                               {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}}),
                  404, "not_found");
  }
  ExpectServerUnharmed();

  // Where free text is allowed, the string is stored literally and the tables are intact.
  auto created = admin_->PostJson("/api/v1/departments", json::object{{"name", drop}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json().at("name").as_string(), drop);
  auto renamed = PatchUser(json::serialize(json::object{{"display_name", always_true}}));
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.Json().at("display_name").as_string(), always_true);
  EXPECT_EQ(CountRows("users"), users_);
  EXPECT_EQ(CountRows("departments"), departments_ + 1);
  auto fetched = admin_->Get("/api/v1/users/" + std::to_string(am_zhang_id_));
  ASSERT_EQ(fetched.status, 200);
  EXPECT_EQ(fetched.Json().at("display_name").as_string(), always_true);
}

TEST_P(HostileInputTest, PathTraversalNeverLeavesTheApi) {
  ExpectProblem(admin_->Get("/api/v1/users/..%2f..%2fetc%2fpasswd"), 400, "invalid_argument");
  ExpectProblem(admin_->Get("/api/v1/users/..%2F..%2F..%2Fetc%2Fpasswd"), 400,
                "invalid_argument");
  ExpectProblem(admin_->Get("/../../etc/passwd"), 400, "invalid_argument");
  ExpectProblem(admin_->Get("/api/v1/../../etc/passwd"), 400, "invalid_argument");
  ExpectProblem(admin_->Get("/%2e%2e/%2e%2e/etc/passwd"), 400, "invalid_argument");
  ExpectProblem(admin_->Send("PATCH", "/api/v1/users/..%2f1", R"({"display_name":"x"})",
                             {{"Content-Type", "application/json"}, {"If-Match", "\"1\""}}),
                400, "invalid_argument");
  // Raw, as a hand-written client would send it.
  std::string raw = RawExchange(
      client_->port(), "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(StatusOf(raw), 400) << raw;
  EXPECT_EQ(raw.find("root:"), std::string::npos);
  // In a query it is only a search term.
  auto query = admin_->Get("/api/v1/users?q=..%2f..%2fetc%2fpasswd");
  ASSERT_EQ(query.status, 200) << query.body;
  EXPECT_TRUE(query.Json().at("items").as_array().empty());
  auto cursor = admin_->Get("/api/v1/users?cursor=..%2f..%2fetc%2fpasswd");
  ExpectViolations(cursor, {"cursor:invalid"});
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, DeepNestingIsRefusedWithoutExhaustingTheStack) {
  // Ten times the depth limit, and small enough for the sign-in's body limit.
  const std::string arrays = std::string(640, '[') + std::string(640, ']');
  std::string objects;
  for (int i = 0; i < 640; ++i) objects += "{\"a\":";
  objects += "1" + std::string(640, '}');
  for (const char* target : kCreateTargets) {
    SCOPED_TRACE(target);
    ExpectProblem(Post(target, arrays), 400, "json_too_deep");
    ExpectProblem(Post(target, objects), 400, "json_too_deep");
    ExpectProblem(Post(target, R"({"name": )" + arrays + "}"), 400, "json_too_deep");
  }
  ExpectProblem(PatchUser(objects), 400, "json_too_deep");
  // Deep but within the limit parses and is then judged on its fields.
  ExpectViolations(Post("/api/v1/departments", R"({"name": [[[[["x"]]]]]})"),
                   {"name:wrong_type"});
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, BodiesAboveTheLimitAre413) {
  const std::string body(11 * 1024 * 1024, ' ');
  for (const char* target : {"/api/v1/departments", "/api/v1/auth/login"}) {
    SCOPED_TRACE(target);
    std::string head = std::string("POST ") + target +
                       " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Cookie: " + admin_->session_cookie() +
                       "\r\nX-CSRF-Token: " + admin_->csrf_token() +
                       "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    std::string declared = UploadWhileReading(client_->port(), head, body);
    EXPECT_EQ(StatusOf(declared), 413) << declared.substr(0, 300);
    EXPECT_NE(declared.find("\"code\":\"body_too_large\""), std::string::npos);
    EXPECT_NE(declared.find(kProblemJson), std::string::npos);
  }
  // Without a declared length the limit applies while the chunks stream in.
  std::string chunked_head =
      "POST /api/v1/departments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Cookie: " + admin_->session_cookie() + "\r\nX-CSRF-Token: " + admin_->csrf_token() +
      "\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string chunks;
  const std::string megabyte(1024 * 1024, ' ');
  for (int i = 0; i < 11; ++i) chunks += "100000\r\n" + megabyte + "\r\n";
  chunks += "0\r\n\r\n";
  std::string streamed = UploadWhileReading(client_->port(), chunked_head, chunks);
  EXPECT_EQ(StatusOf(streamed), 413) << streamed.substr(0, 300);
  EXPECT_NE(streamed.find("\"code\":\"body_too_large\""), std::string::npos);
  ExpectServerUnharmed();
}

// A stranger cannot make the server receive a body: a protected route answers from the headers,
// before a byte of the declared body has arrived.
TEST_P(HostileInputTest, ProtectedRoutesRefuseAStrangersBodyBeforeReadingIt) {
  const std::string declared = "Content-Type: application/json\r\nContent-Length: 900000\r\n\r\n";
  for (const std::string& cookie : {std::string(), std::string("Cookie: oc_session=forged\r\n")}) {
    SCOPED_TRACE(cookie);
    std::string raw = RawExchange(
        client_->port(), "POST /api/v1/customers HTTP/1.1\r\nHost: x\r\n" + cookie + declared);
    EXPECT_EQ(StatusOf(raw), 401) << raw;
    EXPECT_NE(raw.find("Connection: close"), std::string::npos) << raw;
  }
  // Signed in but without the CSRF token: refused (and audited) before the body, too.
  std::string raw = RawExchange(client_->port(),
                                "POST /api/v1/departments HTTP/1.1\r\nHost: x\r\n"
                                "Cookie: " +
                                    admin_->session_cookie() + "\r\n" + declared);
  EXPECT_EQ(StatusOf(raw), 403) << raw;
  EXPECT_NE(raw.find("csrf_token_invalid"), std::string::npos) << raw;
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, OversizedHeadersAre431) {
  // Written raw: a well-behaved client library refuses to send headers this large.
  auto request_with = [this](const std::string& target, const std::string& extra_headers) {
    return RawExchange(client_->port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nCookie: " +
                                            admin_->session_cookie() + "\r\n" + extra_headers +
                                            "\r\n");
  };
  auto expect_431 = [](const std::string& raw) {
    EXPECT_EQ(StatusOf(raw), 431) << raw.substr(0, 300);
    EXPECT_NE(raw.find(kProblemJson), std::string::npos);
    EXPECT_NE(raw.find("\"code\":\"header_too_large\""), std::string::npos);
  };
  expect_431(request_with("/api/v1/auth/me", "X-Padding: " + std::string(64 * 1024, 'a') + "\r\n"));
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "X-H" + std::to_string(i) + ": 0123456789\r\n";
  expect_431(request_with("/healthz", many));
  expect_431(request_with("/api/v1/users?q=" + std::string(32 * 1024, 'x'), ""));
  expect_431(request_with("/api/v1/auth/me", "Cookie: oc_session=" +
                                                 std::string(20 * 1024, 'c') + "\r\n"));
  // Just under the limit is served.
  auto fits = admin_->Get("/api/v1/auth/me", {{"X-Padding", std::string(4 * 1024, 'a')}});
  EXPECT_EQ(fits.status, 200) << fits.body;
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, MalformedRequestLinesAre400) {
  const std::string cases[] = {
      "GARBAGE\r\n\r\n",
      "GET\r\n\r\n",
      "GET /healthz\r\n\r\n",
      "GET /healthz HTTP/9.9\r\n\r\n",
      "GET /healthz HTTP/1.1 extra\r\n\r\n",
      "GET /hea lthz HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n",
      "GET /healthz HTTP/1.1\r\nHost: x\r\nBad\x01Name: y\r\n\r\n",
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
      "Content-Length: 6\r\n\r\nhello",
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "zz\r\nhello\r\n0\r\n\r\n",
      // A NUL inside a header value, appended: a string built from a literal stops at a NUL.
      std::string("GET /healthz HTTP/1.1\r\nHost: ") + '\0' + "x\r\n\r\n",
      "healthz HTTP/1.1\r\nHost: x\r\n\r\n",
  };
  for (const std::string& bytes : cases) {
    SCOPED_TRACE(::testing::PrintToString(bytes));
    std::string raw = RawExchange(client_->port(), bytes, std::chrono::milliseconds(2000));
    EXPECT_EQ(StatusOf(raw), 400) << raw;
    EXPECT_NE(raw.find(kProblemJson), std::string::npos) << raw;
    EXPECT_NE(raw.find("Connection: close"), std::string::npos) << raw;
  }
  ExpectServerUnharmed();
}

// Request smuggling: a front proxy that frames a request one way and this server another would
// let the bytes after it run as a request the proxy never saw. Each framing below hides, right
// after its own small body, a complete request that creates a department with the
// administrator's session; the server must answer the first request alone, close the connection,
// and never create the department.
TEST_P(HostileInputTest, AmbiguousFramingIsRefusedAndWhatFollowsNeverRuns) {
  const std::string smuggled_body = R"({"name":"走私部门"})";
  const std::string smuggled =
      "POST /api/v1/departments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Cookie: " + admin_->session_cookie() + "\r\nX-CSRF-Token: " + admin_->csrf_token() +
      "\r\nContent-Length: " + std::to_string(smuggled_body.size()) + "\r\n\r\n" + smuggled_body;
  const std::string login = "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n"
                            "Content-Type: application/json\r\n";
  struct Case {
    std::string headers;
    std::string body;
    int status;
  };
  const std::string chunked_smuggle = "0\r\n\r\n" + smuggled;
  const std::vector<Case> cases = {
      {"Transfer-Encoding: xchunked\r\n", smuggled, 400},
      {"Transfer-Encoding: chunked, identity\r\n", smuggled, 400},
      {"Transfer-Encoding: identity\r\n", smuggled, 400},
      {"Transfer-Encoding: gzip\r\n", smuggled, 400},
      {"Transfer-Encoding: chunked;ext=1\r\n", smuggled, 400},
      {"Transfer-Encoding: \x0b" "chunked\r\n", smuggled, 400},
      {"Transfer-Encoding: chunked, chunked\r\n", chunked_smuggle, 400},
      {"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", chunked_smuggle, 400},
      {"Transfer-Encoding: gzip, chunked\r\n", chunked_smuggle, 501},
      {"Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", chunked_smuggle, 501},
      {"Transfer-Encoding: xchunked\r\nContent-Length: 2\r\n", "{}" + smuggled, 400},
      {"Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", "{}" + smuggled, 400},
      {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", chunked_smuggle, 400},
      {"Transfer-Encoding : chunked\r\n", chunked_smuggle, 400},
  };
  std::vector<std::future<std::string>> answers;
  for (const Case& c : cases) {
    answers.push_back(std::async(std::launch::async, [&, c] {
      return RawExchange(client_->port(), login + c.headers + "\r\n" + c.body);
    }));
  }
  answers.push_back(std::async(std::launch::async, [&] {
    return RawExchange(client_->port(), "POST /api/v1/auth/login HTTP/1.0\r\nHost: x\r\n"
                                        "Transfer-Encoding: chunked\r\n\r\n" + chunked_smuggle);
  }));
  for (size_t i = 0; i < answers.size(); ++i) {
    SCOPED_TRACE(i < cases.size() ? ::testing::PrintToString(cases[i].headers) : "HTTP/1.0");
    const std::string raw = answers[i].get();
    EXPECT_EQ(StatusOf(raw), i < cases.size() ? cases[i].status : 400) << raw;
    EXPECT_NE(raw.find("Connection: close"), std::string::npos) << raw;
    // One response only: the request hidden behind the first was never read as a request.
    EXPECT_EQ(raw.find("\nHTTP/1."), std::string::npos) << raw;
  }
  auto departments = admin_->Get("/api/v1/departments");
  EXPECT_EQ(departments.body.find("走私部门"), std::string::npos);
  // Exactly chunked is still served.
  std::string plain_chunked = RawExchange(
      client_->port(), login + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                               "2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(StatusOf(plain_chunked), 422) << plain_chunked;
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, UnknownRouteIs404ProblemJson) {
  ExpectProblem(admin_->Get("/api/v1/does-not-exist"), 404, "route_not_found");
  ExpectProblem(admin_->Get("/api/v2/users"), 404, "route_not_found");
  ExpectProblem(Post("/api/v1/users/1/promote", R"({})"), 404, "route_not_found");
  ExpectProblem(NewClient()->Get("/api/v1/users/1/roles"), 404, "route_not_found");
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, WrongMethodIs405WithAllow) {
  auto put = admin_->Send("PUT", "/api/v1/users", R"({})", {{"Content-Type", "application/json"}});
  ExpectProblem(put, 405, "method_not_allowed");
  // HEAD is served wherever GET is, so it is allowed too.
  EXPECT_EQ(put.Header("allow").value_or(""), "GET, HEAD, POST");
  auto del = admin_->Send("DELETE", "/api/v1/auth/login");
  ExpectProblem(del, 405, "method_not_allowed");
  EXPECT_EQ(del.Header("allow").value_or(""), "POST");
  auto post = Post("/api/v1/users/" + std::to_string(am_zhang_id_), R"({})");
  ExpectProblem(post, 405, "method_not_allowed");
  EXPECT_EQ(post.Header("allow").value_or(""), "GET, HEAD, PATCH");
  auto get = admin_->Get("/api/v1/auth/login");
  ExpectProblem(get, 405, "method_not_allowed");
  ExpectServerUnharmed();
}

TEST_P(HostileInputTest, AccountManagerOnAdminEndpointsIs403AndAudited) {
  auto manager = SignedIn("am.zhang");
  ExpectProblem(manager->PostJson("/api/v1/users",
                                  json::object{{"username", "sneaky"},
                                               {"display_name", "x"},
                                               {"password", "Long-Enough-Password-1"},
                                               {"department_id", 1},
                                               {"roles", json::array{"admin"}}}),
                403, "permission_denied");
  ExpectProblem(manager->PostJson("/api/v1/departments", json::object{{"name", "影子部门"}}), 403,
                "permission_denied");
  ExpectProblem(manager->PostJson("/api/v1/roles",
                                  json::object{{"key", "shadow"},
                                               {"name", json::object{{"zh-CN", "影"},
                                                                     {"en-US", "Shadow"}}},
                                               {"permissions", json::array{"user.admin"}}}),
                403, "permission_denied");
  ExpectProblem(manager->PatchJson("/api/v1/users/" + std::to_string(am_zhang_id_),
                                   json::object{{"roles", json::array{"admin"}}},
                                   {{"If-Match", am_zhang_etag_}}),
                403, "permission_denied");
  ExpectProblem(manager->Get("/api/v1/audit-events"), 403, "permission_denied");
  // A hostile body does not get past the permission check to the parser.
  ExpectProblem(manager->Send("POST", "/api/v1/users", std::string(10'000, '['),
                              {{"Content-Type", "application/json"}}),
                403, "permission_denied");

  auto auditor = SignedIn("auditor.sun");
  auto events = auditor->Get("/api/v1/audit-events?action=permission.denied");
  ASSERT_EQ(events.status, 200) << events.body;
  auto items = events.Json().at("items").as_array();
  ASSERT_EQ(items.size(), 6u) << events.body;
  bool saw_user_create = false;
  for (const auto& e : items) {
    EXPECT_EQ(e.at("action").as_string(), "permission.denied");
    EXPECT_EQ(e.at("username").as_string(), "am.zhang");
    EXPECT_FALSE(e.at("request_id").as_string().empty());
    EXPECT_EQ(e.at("client_ip").as_string(), "127.0.0.1");
    std::string detail(e.at("detail").as_string());
    saw_user_create |= detail.find("POST /api/v1/users requires user.admin") != std::string::npos;
  }
  EXPECT_TRUE(saw_user_create) << events.body;
  ExpectServerUnharmed();
}

INSTANTIATE_TEST_SUITE_P(Backends, HostileInputTest,
                         ::testing::ValuesIn(storage::testing::AllBackends()), BackendParamName);

}  // namespace
}  // namespace oc::testing

#pragma once
// A small blocking HTTP client for the integration tests: what a browser or an integration does,
// over a real TCP connection to a real server. It keeps the session cookie and CSRF token like
// the web app does.

#include <boost/json/value.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oc::testing {

struct HttpResult {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::optional<std::string> Header(const std::string& lower_name) const;
  boost::json::value Json() const;  // null when the body is not JSON
  // The codes of problem+json `errors[]`, as "field:code".
  std::vector<std::string> ViolationCodes() const;
};

// The string member `key` of a JSON object, or "" when it is missing or not a string.
std::string Str(const boost::json::value& v, std::string_view key);

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class TestClient {
 public:
  // `source_address` (a loopback address such as "127.0.0.7"): connect from there, to stand for
  // a client elsewhere on the network; empty: the system's choice.
  explicit TestClient(uint16_t port, std::string source_address = {})
      : port_(port), source_address_(std::move(source_address)) {}

  // Sends one request on a new connection. Adds the session cookie and, on state-changing
  // methods, the CSRF token when signed in (unless `with_csrf` is false).
  HttpResult Send(const std::string& method, const std::string& target,
                  const std::string& body = "", const HeaderList& headers = {},
                  bool with_csrf = true);
  HttpResult Get(const std::string& target, const HeaderList& headers = {});
  HttpResult PostJson(const std::string& target, const boost::json::value& body,
                      const HeaderList& headers = {});
  HttpResult PatchJson(const std::string& target, const boost::json::value& body,
                       const HeaderList& headers = {});
  HttpResult Delete(const std::string& target, const HeaderList& headers = {});
  HttpResult DeleteJson(const std::string& target, const boost::json::value& body,
                        const HeaderList& headers = {});

  // Signs in and keeps the cookie and CSRF token. Returns the login response.
  HttpResult Login(const std::string& username, const std::string& password);
  void ForgetSession();

  const std::string& session_cookie() const { return cookie_; }
  const std::string& csrf_token() const { return csrf_; }
  uint16_t port() const { return port_; }

 private:
  uint16_t port_;
  std::string source_address_;
  std::string cookie_;  // "oc_session=…"
  std::string csrf_;
};

// Writes raw bytes to the server and returns whatever it sends back until it closes the
// connection or stays silent for `wait`: for malformed HTTP that a well-behaved client cannot
// send, and for responses that stay open (Server-Sent Events).
std::string RawExchange(uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds wait = std::chrono::milliseconds(3000));

// Sends `head` and `body` on one connection while a second thread reads the response, as a
// browser does: the server answers an oversized upload before reading it and then closes, and a
// client that only reads after writing everything would lose that answer to the connection reset.
// Returns what the server sent (empty when it could not connect).
std::string UploadWhileReading(uint16_t port, const std::string& head, const std::string& body);

}  // namespace oc::testing

#pragma once
// The project's own HTTP request and response types. Handlers see only these; Boost.Beast stays
// inside src/http/ so the domain and api code compile fast and stay independent of the server.

#include <any>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oc::http {

class BodyStream;

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view MethodName(Method method);

// Header names compare case-insensitively.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  Method method = Method::kGet;
  std::string target;  // as sent: path plus query
  std::string path;    // percent-decoded path, no query
  std::multimap<std::string, std::string> query;  // percent-decoded parameters
  Headers headers;
  std::string body;
  std::string remote_ip;
  std::string request_id;  // assigned by the server, echoed as X-Request-Id
  std::map<std::string, std::string, std::less<>> path_params;  // filled by the router

  // Middleware hands data to handlers here (e.g. the authenticated principal).
  std::any context;

  std::optional<std::string_view> Header(std::string_view name) const;
  std::optional<std::string_view> QueryParam(std::string_view name) const;
  std::vector<std::string_view> QueryParams(std::string_view name) const;  // repeated keys
  std::string_view PathParam(std::string_view name) const;  // "" when absent
  std::optional<std::string> Cookie(std::string_view name) const;
  // The first language tag of Accept-Language ("zh-CN" when absent).
  std::string_view Language() const;
  // Whether the request changes state (anything but GET, HEAD, OPTIONS).
  bool IsStateChanging() const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  // When set, `body` is ignored: the head goes out at once and the body is what the stream
  // produces over time (see body_stream.h).
  std::shared_ptr<BodyStream> stream;

  Response& Set(std::string name, std::string value) {
    headers.emplace(std::move(name), std::move(value));
    return *this;
  }
};

}  // namespace oc::http

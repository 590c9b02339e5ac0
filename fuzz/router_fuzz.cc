// Request-target decoding and routing on arbitrary targets: DecodeTarget must either fail cleanly
// or produce a path that is valid UTF-8, free of NUL and ".." segments; Router::Find must hand out
// only parameters that came from the path.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/router.h"
#include "http/target.h"

namespace {

const oc::http::Router& TestRouter() {
  static const oc::http::Router* router = [] {
    auto* r = new oc::http::Router();
    auto ok = [](oc::http::Request&) { return oc::http::Response{}; };
    using oc::http::Method;
    r->Add(Method::kGet, "/", ok);
    r->Add(Method::kGet, "/healthz", ok);
    r->Add(Method::kGet, "/api/v1/customers", ok);
    r->Add(Method::kPost, "/api/v1/customers", ok);
    r->Add(Method::kGet, "/api/v1/customers/{id}", ok);
    r->Add(Method::kPatch, "/api/v1/customers/{id}", ok);
    r->Add(Method::kGet, "/api/v1/customers/{id}/loans/{loan_id}", ok);
    r->Add(Method::kGet, "/api/v1/users/me", ok);
    r->Add(Method::kDelete, "/api/v1/users/{id}", ok);
    r->Add(Method::kGet, "/api/v1/users/me/profile", ok);
    r->Add(Method::kGet, "/api/v1/users/{id}/roles", ok);
    return r;
  }();
  return *router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto method = static_cast<oc::http::Method>(data[0] % 8);
  std::string_view target(reinterpret_cast<const char*>(data) + 1, size - 1);

  auto decoded = oc::http::DecodeTarget(target);
  if (!decoded) return 0;
  const std::string& path = decoded->path;
  if (path.empty() || path.front() != '/' || path.find('\0') != std::string::npos ||
      !oc::http::IsValidUtf8(path)) {
    std::abort();
  }
  for (const auto& [key, value] : decoded->query) {
    if (!oc::http::IsValidUtf8(key) || !oc::http::IsValidUtf8(value)) std::abort();
  }

  auto match = TestRouter().Find(method, path);
  switch (match.outcome) {
    case oc::http::Router::Outcome::kFound:
      if (match.route == nullptr) std::abort();
      for (const auto& [name, value] : match.params) {
        if (value.empty() || path.find(value) == std::string::npos) std::abort();
      }
      break;
    case oc::http::Router::Outcome::kMethodNotAllowed:
      if (match.allowed.empty()) std::abort();
      break;
    case oc::http::Router::Outcome::kNotFound:
      break;
  }
  return 0;
}

#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and `{name}` parameters:
// "/api/v1/users/{id}". A literal segment wins over a parameter at the same position, so
// "/users/me" and "/users/{id}" can coexist. Matching is per segment (a trie), independent of the
// number of routes. Not thread-safe while routes are added; read-only and shareable after.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace oc::http {

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  // Run on the network thread instead of the worker pool. Only for handlers that never block
  // (no database, no hashing, no file I/O): /healthz.
  bool on_network_thread = false;
  // Per-route body limit in bytes; 0 uses the server's limit.
  size_t max_body_bytes = 0;
};

struct Route {
  Method method;
  std::string pattern;
  Handler handler;
  RouteOptions options;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // REQUIRES: pattern starts with '/', and (method, pattern) was not added before.
  void Add(Method method, std::string_view pattern, Handler handler, RouteOptions options = {});

  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Route* route = nullptr;                             // when kFound
    std::vector<std::pair<std::string, std::string>> params;  // when kFound
    std::vector<Method> allowed;                              // when kMethodNotAllowed
  };
  // `path` is the percent-decoded path without query. HEAD falls back to GET.
  Match Find(Method method, std::string_view path) const;

  // All routes, in the order added (for the OpenAPI document test).
  const std::vector<std::unique_ptr<Route>>& routes() const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace oc::http

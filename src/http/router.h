#pragma once
// Maps (method, path) to a handler. Patterns are literal segments and `{name}` parameters:
// "/api/v1/users/{id}". A literal segment wins over a parameter at the same position, so
// "/users/me" and "/users/{id}" can coexist. Matching is per segment (a trie), independent of the
// number of routes. Not thread-safe while routes are added; read-only and shareable after.

#include <boost/json/object.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace oc::http {

using Handler = std::function<Response(Request&)>;

// Decides from the request line and headers alone whether a request's body is worth reading: the
// response when the handler would refuse the request anyway (no valid session), so that a stranger
// cannot make the server receive and hold a body. nullopt admits the request; it may leave what it
// learnt for the handler in Request::context. Runs on the worker pool (it may block), and only
// for requests that have a body still to read.
using Admission = std::function<std::optional<Response>(Request&)>;

struct RouteOptions {
  // Run on the network thread instead of the worker pool. Only for handlers that never block
  // (no database, no hashing, no file I/O): /healthz.
  bool on_network_thread = false;
  // Per-route body limit in bytes; 0 uses the server's limit.
  size_t max_body_bytes = 0;
  Admission admit;  // empty: every body within the limit is read
  // The route's OpenAPI Operation object, as the layer that registered it declared it. The router
  // only carries it for whoever builds the API document; empty: the route is left out of it.
  boost::json::object operation;
};

// A handler with the admission check that belongs to it, as middleware (the API guard) builds
// them.
struct Endpoint {
  Handler handler;
  Admission admit;
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
  // The same with the endpoint's admission check in options.admit.
  void Add(Method method, std::string_view pattern, Endpoint endpoint, RouteOptions options = {});

  enum class Outcome { kFound, kNotFound, kMethodNotAllowed };
  struct Match {
    Outcome outcome = Outcome::kNotFound;
    const Route* route = nullptr;                             // when kFound
    std::vector<std::pair<std::string, std::string>> params;  // when kFound
    std::vector<Method> allowed;                              // when kMethodNotAllowed
  };
  // `path` is the percent-decoded path without query. HEAD falls back to GET.
  Match Find(Method method, std::string_view path) const;

  // All routes, in the order added (the API document is built from them).
  const std::vector<std::unique_ptr<Route>>& routes() const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::unique_ptr<Route>> routes_;
};

}  // namespace oc::http

#include "http/router.h"

#include <array>
#include <cstdlib>
#include <map>
#include <utility>

namespace oc::http {
namespace {

constexpr size_t kMethodCount = static_cast<size_t>(Method::kOther) + 1;

size_t Index(Method method) { return static_cast<size_t>(method); }

// Calls `visit(segment)` for each '/'-separated segment after the leading '/'. "/" has none.
template <class Visit>
void ForEachSegment(std::string_view path, Visit&& visit) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return;
  size_t start = 0;
  while (true) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      visit(path.substr(start));
      return;
    }
    visit(path.substr(start, end - start));
    start = end + 1;
  }
}

std::vector<std::string_view> SplitSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  ForEachSegment(path, [&](std::string_view s) { segments.push_back(s); });
  return segments;
}

}  // namespace

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
  std::unique_ptr<Node> param;
  std::string param_name;
  std::array<const Route*, kMethodCount> routes{};
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::Add(Method method, std::string_view pattern, Endpoint endpoint, RouteOptions options) {
  options.admit = std::move(endpoint.admit);
  Add(method, pattern, std::move(endpoint.handler), std::move(options));
}

void Router::Add(Method method, std::string_view pattern, Handler handler, RouteOptions options) {
  // Route tables are written by the program itself; a broken one is a bug to stop at once.
  if (pattern.empty() || pattern.front() != '/') std::abort();
  Node* node = root_.get();
  ForEachSegment(pattern, [&](std::string_view segment) {
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      std::string_view name = segment.substr(1, segment.size() - 2);
      if (!node->param) {
        node->param = std::make_unique<Node>();
        node->param_name = std::string(name);
      } else if (node->param_name != name) {
        // Two names for one position would make PathParam depend on which route matched.
        std::abort();
      }
      node = node->param.get();
      return;
    }
    auto it = node->literals.find(segment);
    if (it == node->literals.end()) {
      it = node->literals.emplace(std::string(segment), std::make_unique<Node>()).first;
    }
    node = it->second.get();
  });
  if (node->routes[Index(method)] != nullptr) std::abort();
  routes_.push_back(std::make_unique<Route>(
      Route{method, std::string(pattern), std::move(handler), std::move(options)}));
  node->routes[Index(method)] = routes_.back().get();
}

namespace {

struct Search {
  Method method;
  const std::vector<std::string_view>& segments;
  std::vector<std::pair<std::string, std::string>> params;
  std::array<bool, kMethodCount> allowed{};
};

}  // namespace

// Depth-first, literal child before the parameter child, so a literal wins; backtracking lets
// "/users/me/orders" reach "/users/{id}/orders" when "/users/me" has no "orders" below it.
// The depth is bounded by the longest pattern, not by the request.
static const Route* Visit(const auto& node, size_t depth, Search& search) {
  if (depth == search.segments.size()) {
    const Route* route = node.routes[Index(search.method)];
    if (route == nullptr && search.method == Method::kHead) route = node.routes[Index(Method::kGet)];
    if (route != nullptr) return route;
    for (size_t i = 0; i < kMethodCount; ++i) search.allowed[i] |= node.routes[i] != nullptr;
    return nullptr;
  }
  std::string_view segment = search.segments[depth];
  if (auto it = node.literals.find(segment); it != node.literals.end()) {
    if (const Route* route = Visit(*it->second, depth + 1, search)) return route;
  }
  if (node.param && !segment.empty()) {
    search.params.emplace_back(node.param_name, std::string(segment));
    if (const Route* route = Visit(*node.param, depth + 1, search)) return route;
    search.params.pop_back();
  }
  return nullptr;
}

Router::Match Router::Find(Method method, std::string_view path) const {
  std::vector<std::string_view> segments = SplitSegments(path);
  Search search{method, segments, {}, {}};
  Match match;
  if (const Route* route = Visit(*root_, 0, search)) {
    match.outcome = Outcome::kFound;
    match.route = route;
    match.params = std::move(search.params);
    return match;
  }
  // HEAD is served wherever GET is, so it belongs in Allow too.
  if (search.allowed[Index(Method::kGet)]) search.allowed[Index(Method::kHead)] = true;
  for (size_t i = 0; i < kMethodCount; ++i) {
    if (search.allowed[i]) match.allowed.push_back(static_cast<Method>(i));
  }
  match.outcome = match.allowed.empty() ? Outcome::kNotFound : Outcome::kMethodNotAllowed;
  return match;
}

const std::vector<std::unique_ptr<Route>>& Router::routes() const { return routes_; }

}  // namespace oc::http

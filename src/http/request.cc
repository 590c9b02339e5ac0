#include "http/request.h"

#include <algorithm>

namespace oc::http {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view MethodName(Method method) {
  switch (method) {
    case Method::kGet: return "GET";
    case Method::kHead: return "HEAD";
    case Method::kPost: return "POST";
    case Method::kPut: return "PUT";
    case Method::kPatch: return "PATCH";
    case Method::kDelete: return "DELETE";
    case Method::kOptions: return "OPTIONS";
    case Method::kOther: return "OTHER";
  }
  return "OTHER";
}

bool CaseInsensitiveLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return Lower(x) < Lower(y); });
}

std::optional<std::string_view> Request::Header(std::string_view name) const {
  auto it = headers.find(name);
  if (it == headers.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::optional<std::string_view> Request::QueryParam(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::vector<std::string_view> Request::QueryParams(std::string_view name) const {
  std::vector<std::string_view> values;
  auto [first, last] = query.equal_range(std::string(name));
  for (auto it = first; it != last; ++it) values.emplace_back(it->second);
  return values;
}

std::string_view Request::PathParam(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string_view() : std::string_view(it->second);
}

// RFC 6265 §4.2: "name=value" pairs separated by "; ". Browsers may send several Cookie headers
// over HTTP/1.1 proxies, so all of them are searched; a value may be wrapped in double quotes.
std::optional<std::string> Request::Cookie(std::string_view name) const {
  auto [first, last] = headers.equal_range(std::string_view("Cookie"));
  for (auto it = first; it != last; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos || Trim(pair.substr(0, eq)) != name) continue;
      std::string_view value = Trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
  }
  return std::nullopt;
}

std::string_view Request::Language() const {
  constexpr std::string_view kDefault = "zh-CN";
  auto header = Header("Accept-Language");
  if (!header) return kDefault;
  std::string_view tag = header->substr(0, header->find(','));
  tag = Trim(tag.substr(0, tag.find(';')));
  if (tag.empty() || tag == "*") return kDefault;
  return tag;
}

bool Request::IsStateChanging() const {
  return method != Method::kGet && method != Method::kHead && method != Method::kOptions;
}

}  // namespace oc::http

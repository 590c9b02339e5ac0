#include "http/json.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/storage_ptr.hpp>
#include <boost/json/value_stack.hpp>
#include <charconv>
#include <cmath>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "http/error_status.h"

namespace oc::http {
namespace {

namespace json = boost::json;

constexpr std::string_view kProblemContentType = "application/problem+json";

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// application/json or any structured-syntax type with the +json suffix (RFC 6839), e.g.
// application/merge-patch+json. JSON is UTF-8 only (RFC 8259 §8.1), so a charset parameter, if
// present, must say so.
bool IsJsonContentType(std::string_view content_type) {
  size_t semi = content_type.find(';');
  std::string_view media = Trim(content_type.substr(0, semi));
  constexpr std::string_view kApplication = "application/";
  constexpr std::string_view kSuffix = "+json";
  bool json = EqualsIgnoreCase(media, "application/json") ||
              (media.size() > kApplication.size() + kSuffix.size() &&
               EqualsIgnoreCase(media.substr(0, kApplication.size()), kApplication) &&
               EqualsIgnoreCase(media.substr(media.size() - kSuffix.size()), kSuffix));
  if (!json) return false;
  while (semi != std::string_view::npos) {
    std::string_view rest = content_type.substr(semi + 1);
    semi = rest.find(';');
    std::string_view param = Trim(rest.substr(0, semi));
    content_type = rest;
    size_t eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (!EqualsIgnoreCase(Trim(param.substr(0, eq)), "charset")) continue;
    std::string_view value = Trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!EqualsIgnoreCase(value, "utf-8") && !EqualsIgnoreCase(value, "utf8")) return false;
  }
  return true;
}

// Boost.JSON turns a number too large for a double into ±infinity, which JSON cannot carry back
// out and which no field of ours can hold; such a body is rejected rather than half-accepted.
bool HasNonFiniteNumber(const json::value& root) {
  std::vector<const json::value*> pending{&root};
  while (!pending.empty()) {
    const json::value* v = pending.back();
    pending.pop_back();
    if (v->is_double() && !std::isfinite(v->get_double())) return true;
    if (v->is_array()) {
      for (const json::value& e : v->get_array()) pending.push_back(&e);
    } else if (v->is_object()) {
      for (const auto& kv : v->get_object()) pending.push_back(&kv.value());
    }
  }
  return false;
}

// A JSON number's value as sign, significant digits (no leading or trailing zeros) and the power
// of ten of the last digit: "-0.0490" and "-4.9e-2" both become (true, "49", -3). Zero is ("", 0).
struct NumberValue {
  bool negative = false;
  std::string digits;
  int64_t exponent = 0;
  friend bool operator==(const NumberValue&, const NumberValue&) = default;
};

// REQUIRES: `text` follows the JSON number grammar (the parser has checked it), or is what
// std::to_chars prints for a finite double.
NumberValue ValueOf(std::string_view text) {
  NumberValue v;
  size_t i = 0;
  if (i < text.size() && text[i] == '-') {
    v.negative = true;
    ++i;
  }
  int64_t fraction_digits = 0;
  bool in_fraction = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      in_fraction = true;
      continue;
    }
    if (in_fraction) ++fraction_digits;
    if (text[i] != '0' || !v.digits.empty()) v.digits += text[i];
  }
  int64_t exponent = 0;
  if (i < text.size()) {
    std::string_view e = text.substr(i + 1);
    if (!e.empty() && e.front() == '+') e.remove_prefix(1);
    // A longer exponent than this is far outside a double either way.
    if (e.size() > 6) e = e.front() == '-' ? "-999999" : "999999";
    std::from_chars(e.data(), e.data() + e.size(), exponent);
  }
  v.exponent = exponent - fraction_digits;
  while (!v.digits.empty() && v.digits.back() == '0') {
    v.digits.pop_back();
    ++v.exponent;
  }
  if (v.digits.empty()) return NumberValue{};
  return v;
}

// Whether the double a JSON number was read as is that number, as far as anyone reading the
// double back as its shortest text can tell: 0.83 is, 123456789012.345678 is not.
bool DoubleIsExact(double d, std::string_view text) {
  if (!std::isfinite(d)) return false;
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);
  if (ec != std::errc()) return false;
  return ValueOf(std::string_view(buffer, size_t(end - buffer))) == ValueOf(text);
}

// Builds the document as Boost.JSON's own parser does, except for a number that a double cannot
// hold exactly: that one keeps its source text, as a JSON string, so that money and decimal
// fields (which read decimal text) get the amount the client sent rather than its nearest
// double. Integers stay integers.
class ExactNumberHandler {
 public:
  static constexpr size_t max_object_size = json::object::max_size();
  static constexpr size_t max_array_size = json::array::max_size();
  static constexpr size_t max_key_size = json::string::max_size();
  static constexpr size_t max_string_size = json::string::max_size();

  explicit ExactNumberHandler(json::storage_ptr storage) : stack(storage) {}

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(size_t n, json::error_code&) {
    stack.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(size_t n, json::error_code&) {
    stack.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, size_t, json::error_code&) {
    stack.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, size_t, json::error_code&) {
    stack.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, size_t, json::error_code&) {
    stack.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(int64_t i, json::string_view, json::error_code&) {
    number_.clear();
    stack.push_int64(i);
    return true;
  }
  bool on_uint64(uint64_t u, json::string_view, json::error_code&) {
    number_.clear();
    stack.push_uint64(u);
    return true;
  }
  bool on_double(double d, json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    if (DoubleIsExact(d, number_) || !std::isfinite(d)) {
      stack.push_double(d);
    } else {
      stack.push_string(number_);
    }
    number_.clear();
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    stack.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    stack.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  json::value_stack stack;

 private:
  std::string number_;  // the text of a number the input split into parts
};

Response BadBody(std::string_view code, Message message, const Request& request) {
  return ProblemResponse(400, code, message, request);
}

// Counts what a parse holds and refuses to hold more than its limit: the parser's allocation
// fails with std::bad_alloc, which ends the parse and frees what it held.
class BoundedResource final : public json::memory_resource {
 public:
  explicit BoundedResource(size_t limit) : limit_(limit) {}

 private:
  // Boost.JSON asks for no more than the default new alignment, as its own default resource
  // assumes.
  void* do_allocate(size_t bytes, size_t /*alignment*/) override {
    if (bytes > limit_ - used_) throw std::bad_alloc();
    void* p = ::operator new(bytes);
    used_ += bytes;
    return p;
  }
  void do_deallocate(void* p, size_t bytes, size_t /*alignment*/) override {
    ::operator delete(p);
    used_ -= bytes;
  }
  bool do_is_equal(const json::memory_resource& other) const noexcept override {
    return this == &other;
  }

  size_t limit_;
  size_t used_ = 0;
};

}  // namespace

tl::expected<json::value, Response> ParseJsonBody(const Request& request) {
  auto content_type = request.Header("Content-Type");
  if (!content_type || !IsJsonContentType(*content_type)) {
    return tl::unexpected(ProblemResponse(
        415, "unsupported_media_type",
        {"请求体必须是 JSON（Content-Type: application/json）",
         "The request body must be JSON (Content-Type: application/json)"},
        request));
  }
  if (request.body.empty()) {
    return tl::unexpected(
        BadBody("empty_body", {"请求体为空", "The request body is empty"}, request));
  }

  json::parse_options options;
  options.max_depth = kMaxJsonDepth;
  const size_t limit = kJsonMemoryAllowance + kJsonMemoryPerByte * request.body.size();
  json::storage_ptr bounded = json::make_shared_resource<BoundedResource>(limit);
  json::error_code ec;
  size_t consumed = 0;
  json::value parsed;
  try {
    json::basic_parser<ExactNumberHandler> parser(options, bounded);
    parser.handler().stack.reset(bounded);
    consumed = parser.write_some(false, request.body.data(), request.body.size(), ec);
    if (!ec && consumed < request.body.size()) ec = json::error::extra_data;
    if (!ec) parsed = parser.handler().stack.release();
  } catch (const std::bad_alloc&) {
    return tl::unexpected(ProblemResponse(413, "json_too_large",
                                          {"请求体中的 JSON 过于庞大，无法处理",
                                           "The JSON in the request body is too large to process"},
                                          request));
  }
  if (ec == json::error::too_deep) {
    std::string depth = std::to_string(kMaxJsonDepth);
    return tl::unexpected(BadBody(
        "json_too_deep",
        {"JSON 嵌套层数超过 " + depth + " 层", "JSON is nested deeper than " + depth + " levels"},
        request));
  }
  if (ec) {
    // The parser stops at the first byte it cannot accept, so `consumed` is where the problem is;
    // a truncated body is reported at its end.
    std::string at = std::to_string(ec == json::error::incomplete ? request.body.size() : consumed);
    return tl::unexpected(BadBody(
        "malformed_json",
        {"请求体不是合法的 JSON（UTF-8），错误位于第 " + at + " 字节",
         "The request body is not valid JSON (UTF-8); the error is at byte " + at},
        request));
  }
  // Handlers copy and extend what they are given; they do so outside the parse's bound.
  json::value value(parsed, json::storage_ptr());
  if (HasNonFiniteNumber(value)) {
    return tl::unexpected(BadBody(
        "number_out_of_range",
        {"请求体中的数字超出可表示的范围", "A number in the request body is out of range"},
        request));
  }
  return value;
}

Response JsonResponse(int status, const json::value& body) {
  Response response;
  response.status = status;
  response.body = json::serialize(body);
  response.Set("Content-Type", "application/json");
  return response;
}

Response ProblemResponse(const Error& error, const Request& request) {
  int status = HttpStatusFor(error);
  if (status >= 500) {
    spdlog::error("request {} {} {} failed with {}: {}", request.request_id,
                  MethodName(request.method), request.path, ErrorCodeName(error.code),
                  error.internal_detail);
  }
  std::string_view language = request.Language();
  Message title = StatusTitle(status);
  const Message& detail = error.message.zh_cn.empty() && error.message.en_us.empty()
                              ? title
                              : error.message;
  json::object body;
  body["type"] = "about:blank";
  body["title"] = title.In(language);
  body["status"] = status;
  body["detail"] = detail.In(language);
  body["code"] = ErrorCodeName(error.code);
  body["request_id"] = request.request_id;
  json::array errors;
  const size_t listed = std::min(error.field_violations.size(), kMaxListedViolations);
  for (size_t i = 0; i < listed; ++i) {
    const FieldViolation& violation = error.field_violations[i];
    errors.push_back(json::object{{"field", violation.field},
                                  {"code", violation.code},
                                  {"message", violation.message.In(language)}});
  }
  body["errors"] = std::move(errors);
  if (listed < error.field_violations.size()) {
    body["errors_not_listed"] = error.field_violations.size() - listed;
  }
  for (const auto& [name, value] : error.extensions) {
    // Extensions never replace the standard members.
    if (body.contains(name)) continue;
    std::visit([&, &name = name](const auto& v) { body[name] = v; }, value);
  }
  Response response = JsonResponse(status, body);
  response.headers.find("Content-Type")->second = kProblemContentType;
  if (error.retry_after) {
    // RFC 9110 §10.2.3: delay-seconds, a non-negative integer.
    response.Set("Retry-After", std::to_string(std::max<int64_t>(0, error.retry_after->count())));
  }
  return response;
}

Response ProblemResponse(int status, std::string_view code, const Message& message,
                         const Request& request) {
  std::string_view language = request.Language();
  json::object body;
  body["type"] = "about:blank";
  body["title"] = StatusTitle(status).In(language);
  body["status"] = status;
  body["detail"] = message.In(language);
  body["code"] = code;
  body["request_id"] = request.request_id;
  body["errors"] = json::array();
  Response response = JsonResponse(status, body);
  response.headers.find("Content-Type")->second = kProblemContentType;
  return response;
}

}  // namespace oc::http

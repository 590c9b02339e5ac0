#include "api/conventions.h"

#include <boost/json.hpp>

#include <charconv>

#include "crypto/encoding.h"
#include "http/json.h"

namespace oc::api {

namespace {

std::optional<int64_t> ParsePositive(std::string_view text) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

}  // namespace

http::Response ErrorResponse(const Error& error, const http::Request& request) {
  if (error.code == ErrorCode::kAborted && request.Header("If-Match")) {
    return http::ProblemResponse(412, "precondition_failed", error.message, request);
  }
  http::Response response = http::ProblemResponse(error, request);
  if (error.retry_after) response.Set("Retry-After", std::to_string(error.retry_after->count()));
  return response;
}

std::string ETag(int64_t version) { return "\"" + std::to_string(version) + "\""; }

std::optional<int64_t> ExpectedVersion(const http::Request& request, http::Response* error) {
  auto header = request.Header("If-Match");
  if (!header) {
    *error = http::ProblemResponse(
        428, "precondition_required",
        {"修改需要 If-Match 请求头（记录的 ETag）",
         "Updates need an If-Match header with the record's ETag"},
        request);
    return std::nullopt;
  }
  std::string_view tag = *header;
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  if (tag.size() >= 2 && tag.front() == '"' && tag.back() == '"') {
    if (auto v = ParsePositive(tag.substr(1, tag.size() - 2))) return v;
  }
  *error = http::ProblemResponse(400, "invalid_if_match",
                                 {"If-Match 请求头不是有效的 ETag",
                                  "The If-Match header is not a valid ETag"},
                                 request);
  return std::nullopt;
}

std::optional<PageRequest> ReadPage(const http::Request& request, http::Response* error) {
  PageRequest page;
  if (auto limit = request.QueryParam("limit")) {
    auto v = ParsePositive(*limit);
    if (!v || *v > 500) {
      *error = ErrorResponse(InvalidField("limit", "out_of_range",
                                          {"limit 必须是 1 到 500 之间的整数",
                                           "limit must be an integer from 1 to 500"}),
                             request);
      return std::nullopt;
    }
    page.limit = static_cast<int>(*v);
  }
  if (auto cursor = request.QueryParam("cursor"); cursor && !cursor->empty()) {
    auto decoded = crypto::Base64Decode(std::string(*cursor));
    std::optional<int64_t> id;
    if (decoded && decoded->starts_with("id:")) id = ParsePositive(decoded->substr(3));
    if (!id) {
      *error = ErrorResponse(InvalidField("cursor", "invalid",
                                          {"分页游标无效", "The page cursor is not valid"}),
                             request);
      return std::nullopt;
    }
    page.after = id;
  }
  return page;
}

std::string EncodeCursor(int64_t id) { return crypto::Base64Encode("id:" + std::to_string(id)); }

http::Response NoContent() {
  http::Response response;
  response.status = 204;
  return response;
}

http::Response ItemsResponse(std::vector<boost::json::object> items) {
  boost::json::array array;
  array.reserve(items.size());
  for (auto& item : items) array.push_back(std::move(item));
  return http::JsonResponse(200, boost::json::object{{"items", std::move(array)}});
}

std::optional<boost::json::value> ObjectBody(const http::Request& request, http::Response* error) {
  auto body = http::ParseJsonBody(request);
  if (!body) {
    *error = body.error();
    return std::nullopt;
  }
  if (!body->is_object()) {
    *error =
        ErrorResponse(InvalidField("", "not_an_object",
                                   {"请求体必须是 JSON 对象", "The body must be a JSON object"}),
                      request);
    return std::nullopt;
  }
  return std::move(*body);
}

boost::json::value InstantOrNull(const std::optional<Instant>& at) {
  return at ? boost::json::value(FormatInstant(*at)) : boost::json::value(nullptr);
}

boost::json::value ListBody(boost::json::array items, std::optional<int64_t> next_after) {
  boost::json::object body;
  body["items"] = std::move(items);
  body["next_cursor"] =
      next_after ? boost::json::value(EncodeCursor(*next_after)) : boost::json::value(nullptr);
  return body;
}

std::optional<int64_t> PathId(const http::Request& request, std::string_view name,
                              http::Response* error) {
  if (auto id = ParsePositive(request.PathParam(name))) return id;
  *error = http::ProblemResponse(404, "not_found", {"记录不存在", "Record not found"}, request);
  return std::nullopt;
}

audit::Actor ActorOf(const http::Request& request, const auth::Principal* principal) {
  audit::Actor actor{.request_id = request.request_id, .client_ip = request.remote_ip};
  if (principal) {
    actor.user_id = principal->user_id.value();
    actor.username = principal->username;
  }
  return actor;
}

}  // namespace oc::api

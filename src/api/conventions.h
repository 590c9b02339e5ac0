#pragma once
// The API conventions of ARCHITECTURE.md in one place: error responses, ETag / If-Match for
// optimistic concurrency, cursor pagination, and the request metadata that goes into the audit
// trail.

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/principal.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/request.h"

namespace oc::api {

// problem+json for a domain error. A version conflict (kAborted) on a request that carried
// If-Match becomes 412 Precondition Failed; a kResourceExhausted with retry_after gets a
// Retry-After header.
http::Response ErrorResponse(const Error& error, const http::Request& request);

// `"7"`: a strong ETag from a record version.
std::string ETag(int64_t version);

// The version a client expects from its If-Match header. The error response when the header is
// missing (428) or not an ETag this API issued (400).
std::optional<int64_t> ExpectedVersion(const http::Request& request, http::Response* error);

// Cursor pagination over ascending or descending ids: the cursor is the opaque text of the last
// id seen. `limit` from ?limit= (default 50, 1–500). Writes a 400 to `error` on bad input.
struct PageRequest {
  std::optional<int64_t> after;  // decoded cursor
  int limit = 50;
};
std::optional<PageRequest> ReadPage(const http::Request& request, http::Response* error);
std::string EncodeCursor(int64_t id);

// 204 No Content: a change that has nothing to return.
http::Response NoContent();

// {"items": [...]}: a short list returned whole (related parties, follow-ups).
http::Response ItemsResponse(std::vector<boost::json::object> items);

// A list response: {"items": [...], "next_cursor": "…" | null}.
boost::json::value ListBody(boost::json::array items, std::optional<int64_t> next_after);

// A page read with one row more than `limit`, to learn whether another follows: drops that row
// and returns the cursor of the next page (the id of the last row kept), or nullopt.
template <typename Row, typename IdOf>
std::optional<int64_t> TrimPage(std::vector<Row>& rows, int limit, IdOf id_of) {
  if (static_cast<int>(rows.size()) <= limit) return std::nullopt;
  rows.resize(limit);
  return id_of(rows.back());
}

// The request's JSON body when it is an object. Otherwise nullopt, with the answer in `error`:
// the parser's for malformed JSON, 422 "not_an_object" for any other value.
std::optional<boost::json::value> ObjectBody(const http::Request& request, http::Response* error);

// An optional instant as JSON: RFC 3339, or null.
boost::json::value InstantOrNull(const std::optional<Instant>& at);

// An integer path parameter ("/users/{id}"); the 404 response when it is not a positive integer
// (an id that cannot exist is simply not found).
std::optional<int64_t> PathId(const http::Request& request, std::string_view name,
                              http::Response* error);

audit::Actor ActorOf(const http::Request& request, const auth::Principal* principal);

}  // namespace oc::api

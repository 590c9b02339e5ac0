#pragma once
// JSON bodies in and out, and problem documents (RFC 9457) for errors. The error-code → status
// table lives in error_status.cc and nowhere else.

#include <boost/json/value.hpp>
#include <tl/expected.hpp>

#include "core/error.h"
#include "http/request.h"

namespace oc::http {

// Limits that keep a hostile body from exhausting memory or the stack. Parsing a document may take
// kJsonMemoryPerByte times the body's size plus kJsonMemoryAllowance: a record takes about five
// times its text and an object of 100,000 keys ten, while a body of tiny values ([1,1,1,…],
// [{},{},…]) would take twenty to thirty and is refused.
inline constexpr int kMaxJsonDepth = 64;
inline constexpr size_t kJsonMemoryPerByte = 16;
inline constexpr size_t kJsonMemoryAllowance = 64 * 1024;
// Problem documents list at most this many field errors (and say how many more there were), so
// an error never grows with the input that caused it.
inline constexpr size_t kMaxListedViolations = 50;

// Parses the request body as a JSON document. Returns the ready-made error response otherwise:
// 415 when Content-Type is not application/json (or +json), 400 when the body is empty,
// malformed (the problem names the byte offset), not valid UTF-8, nested deeper than
// kMaxJsonDepth, or holds a number too large for a double; 413 when the document would take more
// memory than the bound above.
// Numbers are kept exactly: integers as int64 (or uint64), other numbers as a double when the
// double's shortest text is the number sent (0.83), and otherwise as their source text in a JSON
// string ("123456789012.345678"), which money and decimal fields read exactly. Nothing in a body
// ever reaches a field through the nearest double of what the client wrote.
tl::expected<boost::json::value, Response> ParseJsonBody(const Request& request);

// A JSON response with the given status.
Response JsonResponse(int status, const boost::json::value& body);

// The HTTP status for an error code. kInvalidArgument is 422 when the error names fields
// (validation), else 400.
int HttpStatusFor(const Error& error);

// application/problem+json with type, title, status, detail (in the request's language), code,
// request_id and `errors: [{field, code, message}]` — the first kMaxListedViolations, with
// `errors_not_listed: N` when there were more. Never includes internal_detail.
Response ProblemResponse(const Error& error, const Request& request);

// A problem response for protocol-level failures that have no ErrorCode (404 route, 405, 413,
// 415): `code` is a stable machine code such as "unsupported_media_type".
Response ProblemResponse(int status, std::string_view code, const Message& message,
                         const Request& request);

}  // namespace oc::http

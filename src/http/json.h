#pragma once
// JSON bodies in and out, and problem documents (RFC 9457) for errors. The error-code → status
// table lives in error_status.cc and nowhere else.

#include <boost/json/value.hpp>
#include <tl/expected.hpp>

#include "core/error.h"
#include "http/request.h"

namespace oc::http {

// Limits that keep a hostile body from exhausting memory or the stack.
inline constexpr int kMaxJsonDepth = 64;

// Parses the request body as a JSON document. Returns the ready-made error response otherwise:
// 415 when Content-Type is not application/json (or +json), 400 when the body is empty,
// malformed (the problem names the byte offset), not valid UTF-8, nested deeper than
// kMaxJsonDepth, or holds a number too large for a double.
tl::expected<boost::json::value, Response> ParseJsonBody(const Request& request);

// A JSON response with the given status.
Response JsonResponse(int status, const boost::json::value& body);

// The HTTP status for an error code. kInvalidArgument is 422 when the error names fields
// (validation), else 400.
int HttpStatusFor(const Error& error);

// application/problem+json with type, title, status, detail (in the request's language), code,
// request_id and `errors: [{field, code, message}]`. Never includes internal_detail.
Response ProblemResponse(const Error& error, const Request& request);

// A problem response for protocol-level failures that have no ErrorCode (404 route, 405, 413,
// 415): `code` is a stable machine code such as "unsupported_media_type".
Response ProblemResponse(int status, std::string_view code, const Message& message,
                         const Request& request);

}  // namespace oc::http

#pragma once
// Request ids: the value echoed as X-Request-Id and written to the access log and problem
// documents, so one request can be followed from the browser to the logs. Thread-safe.

#include <string>
#include <string_view>

namespace oc::http {

// Whether a client-supplied id may be reused: 1 to 64 characters of [A-Za-z0-9._-]. Anything else
// could smuggle log syntax or header injection, and is replaced by a fresh id.
bool IsSaneRequestId(std::string_view id);

// A fresh random id: 16 bytes as 32 lower-case hex digits.
std::string NewRequestId();

}  // namespace oc::http

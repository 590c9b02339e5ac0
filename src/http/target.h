#pragma once
// Decoding of a request target (origin-form: path plus optional query) into the percent-decoded
// path and query parameters handed to the router and handlers. Pure functions; thread-safe.
//
// Every string produced here is valid UTF-8 without NUL bytes, so handlers can put path and query
// values into JSON, SQL parameters and logs without re-checking them.

#include <map>
#include <string>
#include <string_view>

#include "core/error.h"

namespace oc::http {

struct DecodedTarget {
  std::string path;                               // percent-decoded, starts with '/'
  std::multimap<std::string, std::string> query;  // percent-decoded, '+' read as a space
};

// Decodes `%XX` escapes; with `plus_as_space` (query strings, HTML form encoding) '+' becomes ' '.
// Errors: kInvalidArgument for a '%' not followed by two hex digits, a decoded NUL, or bytes that
// are not valid UTF-8.
Result<std::string> PercentDecode(std::string_view text, bool plus_as_space);

// Splits `target` at the first '?', decodes the path and the query ("a=1&a=2&b" gives a→1, a→2,
// b→""). Errors: kInvalidArgument when the target does not start with '/', when any part fails
// PercentDecode, or when a path segment is ".." after decoding (path traversal).
Result<DecodedTarget> DecodeTarget(std::string_view target);

// Whether `text` is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace oc::http

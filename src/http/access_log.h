#pragma once
// The access log line: one JSON object per request. Only what operations need to trace a request
// is written; bodies, query strings (they may carry personal data), cookies and Authorization
// never are. Thread-safe (pure function).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace oc::http {

struct AccessLogEntry {
  std::chrono::system_clock::time_point time;
  std::string_view request_id;
  std::string_view method;
  std::string_view path;  // without the query string
  int status = 0;
  uint64_t bytes_out = 0;  // response body bytes sent
  double duration_ms = 0;
  std::string_view remote_ip;
  std::string_view user_agent;
};

// {"ts":"2024-05-01T08:00:00.123Z","request_id":…,"method":…,"path":…,"status":…,"bytes_out":…,
//  "duration_ms":…,"remote_ip":…,"user_agent":…}. Strings are JSON-escaped, and bytes that are not
// valid UTF-8 are replaced by U+FFFD so every line stays parseable.
std::string FormatAccessLogLine(const AccessLogEntry& entry);

// `text` with each invalid UTF-8 sequence replaced by U+FFFD.
std::string ToValidUtf8(std::string_view text);

}  // namespace oc::http

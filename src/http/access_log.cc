#include "http/access_log.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>

#include "http/target.h"

namespace oc::http {
namespace {

std::string Timestamp(std::chrono::system_clock::time_point time) {
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(millis % 1000));
  return text;
}

// Length of the valid UTF-8 sequence at the start of `text`, or 0.
size_t ValidSequenceLength(std::string_view text) {
  for (size_t n = 1; n <= 4 && n <= text.size(); ++n) {
    if (IsValidUtf8(text.substr(0, n))) return n;
  }
  return 0;
}

}  // namespace

std::string ToValidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  while (!text.empty()) {
    size_t n = ValidSequenceLength(text);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      n = 1;
    } else {
      out.append(text.substr(0, n));
    }
    text.remove_prefix(n);
  }
  return out;
}

std::string FormatAccessLogLine(const AccessLogEntry& entry) {
  // Built by hand so numbers read naturally ("duration_ms":0.239, not 2.39E-1); every string goes
  // through the JSON serializer for escaping.
  std::string line;
  line.reserve(256 + entry.path.size() + entry.user_agent.size());
  auto add_string = [&line](std::string_view key, std::string_view value) {
    line += line.empty() ? "{\"" : ",\"";
    line += key;
    line += "\":";
    line += boost::json::serialize(boost::json::string_view(ToValidUtf8(value)));
  };
  auto add_raw = [&line](std::string_view key, std::string_view value) {
    line += ",\"";
    line += key;
    line += "\":";
    line += value;
  };
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f", std::max(0.0, entry.duration_ms));
  add_string("ts", Timestamp(entry.time));
  add_string("request_id", entry.request_id);
  add_string("method", entry.method);
  add_string("path", entry.path);
  add_raw("status", std::to_string(entry.status));
  add_raw("bytes_out", std::to_string(entry.bytes_out));
  add_raw("duration_ms", duration);
  add_string("remote_ip", entry.remote_ip);
  add_string("user_agent", entry.user_agent);
  line += '}';
  return line;
}

}  // namespace oc::http

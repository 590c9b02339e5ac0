#include "http/access_log.h"

#include <cmath>
#include <ctime>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

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
  boost::json::object line;
  line["ts"] = Timestamp(entry.time);
  line["request_id"] = ToValidUtf8(entry.request_id);
  line["method"] = ToValidUtf8(entry.method);
  line["path"] = ToValidUtf8(entry.path);
  line["status"] = entry.status;
  line["bytes_out"] = entry.bytes_out;
  line["duration_ms"] = std::round(entry.duration_ms * 1000.0) / 1000.0;
  line["remote_ip"] = ToValidUtf8(entry.remote_ip);
  line["user_agent"] = ToValidUtf8(entry.user_agent);
  return boost::json::serialize(line);
}

}  // namespace oc::http

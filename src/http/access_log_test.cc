#include "http/access_log.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace oc::http {
namespace {

TEST(AccessLogTest, FormatsOneEscapedJsonObject) {
  AccessLogEntry entry;
  entry.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'714'550'400'123));
  entry.request_id = "abc";
  entry.method = "GET";
  entry.path = "/api/v1/customers/\"quoted\"";
  entry.status = 200;
  entry.bytes_out = 12;
  entry.duration_ms = 1.23456;
  entry.remote_ip = "127.0.0.1";
  entry.user_agent = "curl/8\n\xFF";
  std::string line = FormatAccessLogLine(entry);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  boost::json::object parsed = boost::json::parse(line).as_object();
  EXPECT_EQ(parsed.at("ts"), "2024-05-01T08:00:00.123Z");
  EXPECT_EQ(parsed.at("path"), "/api/v1/customers/\"quoted\"");
  EXPECT_EQ(parsed.at("status"), 200);
  EXPECT_EQ(parsed.at("bytes_out"), 12u);
  EXPECT_DOUBLE_EQ(parsed.at("duration_ms").as_double(), 1.235);
  EXPECT_NE(line.find("\"duration_ms\":1.235,"), std::string::npos);
  EXPECT_EQ(parsed.at("user_agent"), "curl/8\n\xEF\xBF\xBD");
}

TEST(AccessLogTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(ToValidUtf8("ok"), "ok");
  EXPECT_EQ(ToValidUtf8("a\xC3"), "a\xEF\xBF\xBD");
  EXPECT_EQ(ToValidUtf8("\xE5\xBC\xA0\xFF"), "张\xEF\xBF\xBD");
}

}  // namespace
}  // namespace oc::http

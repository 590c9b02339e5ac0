#include "api/json_reader.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace oc::api {
namespace {

std::vector<std::string> Fields(const Status& s) {
  std::vector<std::string> out;
  for (const auto& v : s.error().field_violations) out.push_back(v.field + ":" + v.code);
  return out;
}

TEST(JsonReaderTest, ReadsTypedFields) {
  auto body = boost::json::parse(R"({"name":"张三","age":42,"ok":true,"tags":["a","b"]})");
  JsonReader r(body);
  EXPECT_EQ(r.String("name", true), "张三");
  EXPECT_EQ(r.Int("age", true), 42);
  EXPECT_EQ(r.Bool("ok", true), true);
  EXPECT_EQ(r.Strings("tags", true), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(r.Finish());
}

TEST(JsonReaderTest, CollectsEveryProblemWithTheField) {
  auto body = boost::json::parse(R"({"name":7,"age":"x","tags":[1],"extra":1})");
  JsonReader r(body);
  EXPECT_FALSE(r.String("name", true));
  EXPECT_FALSE(r.Int("age", true));
  EXPECT_FALSE(r.Strings("tags", true));
  EXPECT_FALSE(r.Bool("flag", true));
  auto s = r.Finish();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(Fields(s), (std::vector<std::string>{"name:wrong_type", "age:wrong_type",
                                                 "tags:wrong_type", "flag:required",
                                                 "extra:unknown_field"}));
  EXPECT_FALSE(s.error().field_violations[0].message.zh_cn.empty());
  EXPECT_FALSE(s.error().field_violations[0].message.en_us.empty());
}

TEST(JsonReaderTest, HugeNumbersAndOverlongStringsAreRefused) {
  auto body = boost::json::parse(R"({"n":18446744073709551615,"f":1e300,"s":"abcdef"})");
  JsonReader r(body);
  EXPECT_FALSE(r.Int("n", true));
  EXPECT_FALSE(r.Int("f", true));
  EXPECT_FALSE(r.String("s", true, 3));
  EXPECT_EQ(Fields(r.Finish()),
            (std::vector<std::string>{"n:wrong_type", "f:wrong_type", "s:too_long"}));
}

TEST(JsonReaderTest, NullCountsAsAbsentButIsVisible) {
  auto body = boost::json::parse(R"({"supervisor_id":null})");
  JsonReader r(body);
  EXPECT_TRUE(r.IsNull("supervisor_id"));
  EXPECT_FALSE(r.Int("supervisor_id", false));
  EXPECT_TRUE(r.Finish());
}

TEST(JsonReaderTest, ANonObjectBodyIsOneViolation) {
  auto body = boost::json::parse("[1,2]");
  JsonReader r(body);
  EXPECT_FALSE(r.String("name", false));
  EXPECT_EQ(Fields(r.Finish()), (std::vector<std::string>{":not_an_object"}));
}

}  // namespace
}  // namespace oc::api

#include "app/config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

namespace oc::app {
namespace {

Environment FakeEnvironment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

std::filesystem::path WriteFile(const std::string& text) {
  auto path = std::filesystem::temp_directory_path() /
              ("oc_config_test_" + std::to_string(::getpid()) + "_" +
               std::to_string(std::hash<std::string>{}(text)) + ".toml");
  std::ofstream(path) << text;
  return path;
}

TEST(ConfigTest, DefaultsServeOnLoopbackWithSqliteUnderData) {
  auto config = LoadConfig(std::nullopt, FakeEnvironment({}));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->listen, "127.0.0.1:8080");
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_TRUE(config->database_url.empty());
  EXPECT_EQ(config->sqlite_synchronous, "full");
  EXPECT_TRUE(ValidateConfig(*config));
}

TEST(ConfigTest, EnvironmentOverridesTheFile) {
  auto file = WriteFile(
      "[server]\nlisten = \"0.0.0.0:9000\"\n[auth]\nlockout_minutes = 30\nmax_failed_logins = 3\n");
  auto config = LoadConfig(file, FakeEnvironment({{"OPENCREDIT_AUTH_LOCKOUT_MINUTES", "45"},
                                                  {"OPENCREDIT_DATA_DIR", "/var/lib/oc"}}));
  ASSERT_TRUE(config) << config.error().message.en_us;
  EXPECT_EQ(config->listen, "0.0.0.0:9000");
  EXPECT_EQ(config->lockout_minutes, 45);
  EXPECT_EQ(config->max_failed_logins, 3);
  EXPECT_EQ(config->data_dir, "/var/lib/oc");
  std::filesystem::remove(file);
}

TEST(ConfigTest, UnknownKeysAndWrongTypesNameTheKey) {
  auto file = WriteFile("[auth]\nlockout_minuts = 30\nidle_timeout_minutes = \"ten\"\n");
  auto config = LoadConfig(file, FakeEnvironment({}));
  ASSERT_FALSE(config);
  std::map<std::string, std::string> codes;
  for (const auto& v : config.error().field_violations) codes[v.field] = v.code;
  EXPECT_EQ(codes, (std::map<std::string, std::string>{
                       {"auth.lockout_minuts", "unknown_setting"},
                       {"auth.idle_timeout_minutes", "invalid_value"}}));
  std::filesystem::remove(file);
}

TEST(ConfigTest, MalformedTomlSaysWhere) {
  auto file = WriteFile("[server\nlisten = 1\n");
  auto config = LoadConfig(file, FakeEnvironment({}));
  ASSERT_FALSE(config);
  // The message names the file and the line and column of the problem.
  ASSERT_EQ(config.error().field_violations.size(), 1u);
  const auto& violation = config.error().field_violations[0];
  EXPECT_EQ(violation.code, "invalid_toml");
  EXPECT_NE(violation.message.en_us.find(file.string() + ":"), std::string::npos)
      << violation.message.en_us;
  EXPECT_EQ(config.error().message.en_us, "The configuration is invalid");
  std::filesystem::remove(file);
}

TEST(ConfigTest, BadEnvironmentValueIsRejected) {
  auto config = LoadConfig(std::nullopt, FakeEnvironment({{"OPENCREDIT_AUTH_LOCKOUT_MINUTES",
                                                           "soon"}}));
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().field_violations[0].field, "auth.lockout_minutes");
}

TEST(ConfigTest, ValidationNamesEachBadSetting) {
  Config config;
  config.listen = "localhost";
  config.crypto_suite = "des";
  config.lockout_minutes = 0;
  config.database_url = "mysql://x";
  config.write_threads = -1;
  config.sqlite_cache_mib = 1;
  auto valid = ValidateConfig(config);
  ASSERT_FALSE(valid);
  std::vector<std::string> fields;
  for (const auto& v : valid.error().field_violations) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"server.listen", "crypto.suite", "database.url",
                                              "auth.lockout_minutes", "server.write_threads",
                                              "database.sqlite_cache_mib"}));
}

TEST(ConfigTest, ParsesListenAddressesAndRecognisesLoopback) {
  auto v4 = ParseListen("127.0.0.1:8080");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->port, 8080);
  auto v6 = ParseListen("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_FALSE(ParseListen("127.0.0.1:99999"));
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("localhost"));
  EXPECT_FALSE(IsLoopback("0.0.0.0"));
  EXPECT_FALSE(IsLoopback("192.168.1.5"));
}

}  // namespace
}  // namespace oc::app

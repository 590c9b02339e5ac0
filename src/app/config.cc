#include "app/config.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <variant>

#include "app/housekeeping.h"
#include "app/webhooks.h"
#include "core/time_zone.h"
#include "http/client.h"

namespace oc::app {

namespace {

Error ConfigError(std::vector<FieldViolation> violations) {
  Error error = InvalidArgument(std::move(violations));
  error.message = {"配置有误", "The configuration is invalid"};
  return error;
}

Error ConfigError(std::string key, std::string code, Message message) {
  return ConfigError({FieldViolation{std::move(key), std::move(code), std::move(message)}});
}

// One entry per configuration key: where it lives in the file and the struct.
using Target = std::variant<std::string Config::*, int64_t Config::*, int Config::*,
                            bool Config::*>;
struct Key {
  std::string_view section;
  std::string_view name;
  Target target;
};

const std::vector<Key>& Keys() {
  static const auto* keys = new std::vector<Key>{
      {"server", "listen", &Config::listen},
      {"server", "network_threads", &Config::network_threads},
      {"server", "worker_threads", &Config::worker_threads},
      {"server", "write_threads", &Config::write_threads},
      {"server", "max_body_bytes", &Config::max_body_bytes},
      {"server", "shutdown_grace_seconds", &Config::shutdown_grace_seconds},
      {"server", "static_dir", &Config::static_dir},
      {"server", "cookie_secure", &Config::cookie_secure},
      {"database", "data_dir", &Config::data_dir},
      {"database", "url", &Config::database_url},
      {"database", "sqlite_synchronous", &Config::sqlite_synchronous},
      {"database", "pool_size", &Config::database_pool_size},
      {"database", "sqlite_cache_mib", &Config::sqlite_cache_mib},
      {"crypto", "master_key", &Config::master_key},
      {"crypto", "suite", &Config::crypto_suite},
      {"auth", "max_failed_logins", &Config::max_failed_logins},
      {"auth", "max_failed_logins_per_address", &Config::max_failed_logins_per_address},
      {"auth", "failure_window_minutes", &Config::failure_window_minutes},
      {"auth", "lockout_minutes", &Config::lockout_minutes},
      {"auth", "idle_timeout_minutes", &Config::idle_timeout_minutes},
      {"auth", "absolute_timeout_minutes", &Config::absolute_timeout_minutes},
      {"auth", "password_min_length", &Config::password_min_length},
      {"auth", "password_hash_memory_kib", &Config::password_hash_memory_kib},
      {"auth", "password_hash_passes", &Config::password_hash_passes},
      {"auth", "pii_lookups_per_hour", &Config::pii_lookups_per_hour},
      {"auth", "duplicate_findings_per_hour", &Config::duplicate_findings_per_hour},
      {"business", "time_zone", &Config::time_zone},
      {"business", "housekeeping_minutes", &Config::housekeeping_minutes},
      {"business", "close_of_business_at", &Config::close_of_business_at},
      {"business", "calendar", &Config::calendar},
      {"runtime", "delivery_lease_seconds", &Config::delivery_lease_seconds},
      {"runtime", "timer_lease_seconds", &Config::timer_lease_seconds},
      {"integration", "webhook_url", &Config::webhook_url},
      {"integration", "webhook_events", &Config::webhook_events},
      {"integration", "webhook_secret", &Config::webhook_secret},
      {"integration", "webhook_timeout_ms", &Config::webhook_timeout_ms},
      {"log", "level", &Config::log_level},
      {"log", "access_log", &Config::access_log},
      {"demo", "enabled", &Config::demo},
  };
  return *keys;
}

const std::map<std::string, std::string>& ShortEnvironmentNames() {
  static const auto* names = new std::map<std::string, std::string>{
      {"OPENCREDIT_LISTEN", "server.listen"},
      {"OPENCREDIT_DATA_DIR", "database.data_dir"},
      {"OPENCREDIT_DATABASE_URL", "database.url"},
      {"OPENCREDIT_MASTER_KEY", "crypto.master_key"},
  };
  return *names;
}

std::string FullName(const Key& key) {
  return std::string(key.section) + "." + std::string(key.name);
}

std::string EnvironmentName(const Key& key) {
  std::string name = "OPENCREDIT_" + std::string(key.section) + "_" + std::string(key.name);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

Error BadValue(const std::string& key, std::string_view expected_zh,
               std::string_view expected_en) {
  return ConfigError(key, "invalid_value",
                      {"配置项 " + key + " 必须是" + std::string(expected_zh),
                       "Setting " + key + " must be " + std::string(expected_en)});
}

// Sets a key from text (environment variables are text whatever the type).
Status SetFromText(Config& config, const Key& key, const std::string& text) {
  std::string name = FullName(key);
  return std::visit(
      [&](auto member) -> Status {
        using T = std::remove_reference_t<decltype(config.*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          config.*member = text;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (text == "true" || text == "1" || text == "yes") {
            config.*member = true;
          } else if (text == "false" || text == "0" || text == "no") {
            config.*member = false;
          } else {
            return BadValue(name, "true 或 false", "true or false");
          }
        } else {
          T value{};
          auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
          if (ec != std::errc() || p != text.data() + text.size()) {
            return BadValue(name, "整数", "an integer");
          }
          config.*member = value;
        }
        return Ok();
      },
      key.target);
}

Status SetFromToml(Config& config, const Key& key, const toml::node& node) {
  std::string name = FullName(key);
  return std::visit(
      [&](auto member) -> Status {
        using T = std::remove_reference_t<decltype(config.*member)>;
        if constexpr (std::is_same_v<T, std::string>) {
          auto v = node.value<std::string>();
          if (!node.is_string() || !v) return BadValue(name, "字符串", "a string");
          config.*member = *v;
        } else if constexpr (std::is_same_v<T, bool>) {
          if (!node.is_boolean()) return BadValue(name, "true 或 false", "true or false");
          config.*member = *node.value<bool>();
        } else {
          if (!node.is_integer()) return BadValue(name, "整数", "an integer");
          int64_t v = *node.value<int64_t>();
          if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) {
            return BadValue(name, "范围内的整数", "an integer in range");
          }
          config.*member = static_cast<T>(v);
        }
        return Ok();
      },
      key.target);
}

const Key* FindKey(std::string_view section, std::string_view name) {
  for (const auto& key : Keys()) {
    if (key.section == section && key.name == name) return &key;
  }
  return nullptr;
}

Status ApplyFile(Config& config, const std::filesystem::path& file) {
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    std::string at = file.string() + ":" + std::to_string(where.line) + ":" +
                     std::to_string(where.column);
    return ConfigError("config", "invalid_toml",
                        {"配置文件无法解析（" + at + "）：" + std::string(e.description()),
                         "Cannot parse the configuration file (" + at +
                             "): " + std::string(e.description())});
  }
  std::vector<FieldViolation> violations;
  for (const auto& [section, value] : table) {
    const toml::table* inner = value.as_table();
    if (!inner) {
      std::string s(section.str());
      violations.push_back({s, "unknown_setting",
                            {"未知的配置节：" + s, "Unknown configuration section: " + s}});
      continue;
    }
    for (const auto& [name, node] : *inner) {
      const Key* key = FindKey(section.str(), name.str());
      std::string full = std::string(section.str()) + "." + std::string(name.str());
      if (!key) {
        violations.push_back({full, "unknown_setting",
                              {"未知的配置项：" + full, "Unknown setting: " + full}});
        continue;
      }
      if (auto s = SetFromToml(config, *key, node); !s) {
        violations.push_back(s.error().field_violations[0]);
      }
    }
  }
  if (!violations.empty()) return ConfigError(std::move(violations));
  return Ok();
}

}  // namespace

Environment ProcessEnvironment() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
}

Result<Config> LoadConfig(const std::optional<std::filesystem::path>& file,
                          const Environment& environment) {
  Config config;
  if (file) RETURN_IF_ERROR(ApplyFile(config, *file));
  for (const auto& key : Keys()) {
    if (auto v = environment(EnvironmentName(key))) RETURN_IF_ERROR(SetFromText(config, key, *v));
  }
  for (const auto& [env_name, full] : ShortEnvironmentNames()) {
    auto v = environment(env_name);
    if (!v) continue;
    auto dot = full.find('.');
    RETURN_IF_ERROR(SetFromText(config, *FindKey(full.substr(0, dot), full.substr(dot + 1)), *v));
  }
  return config;
}

Result<ListenAddress> ParseListen(std::string_view listen) {
  auto colon = listen.rfind(':');
  Error bad = ConfigError("server.listen", "invalid_value",
                           {"监听地址须为 主机:端口，如 127.0.0.1:8080",
                            "The listen address must be HOST:PORT, e.g. 127.0.0.1:8080"});
  if (colon == std::string_view::npos || colon == 0) return bad;
  std::string_view host = listen.substr(0, colon);
  std::string_view port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned port = 0;
  auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || p != port_text.data() + port_text.size() || port > 65535 ||
      host.empty()) {
    return bad;
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(port)};
}

bool IsLoopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host.starts_with("127.");
}

std::optional<TimeOfDay> ParseTimeOfDay(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto two_digits = [&](size_t at) -> int {
    const char a = text[at], b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    return (a - '0') * 10 + (b - '0');
  };
  const int hour = two_digits(0), minute = two_digits(3);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return std::nullopt;
  return TimeOfDay{hour, minute};
}

Status ValidateConfig(const Config& config) {
  std::vector<FieldViolation> violations;
  auto add = [&](std::string key, Message message) {
    violations.push_back({std::move(key), "invalid_value", std::move(message)});
  };
  if (auto listen = ParseListen(config.listen); !listen) {
    violations.push_back(listen.error().field_violations[0]);
  }
  if (config.sqlite_synchronous != "full" && config.sqlite_synchronous != "normal") {
    add("database.sqlite_synchronous",
        {"只能是 full 或 normal", "must be full or normal"});
  }
  if (config.crypto_suite != "aes" && config.crypto_suite != "sm4") {
    add("crypto.suite", {"只能是 aes 或 sm4", "must be aes or sm4"});
  }
  if (!config.database_url.empty() && !config.database_url.starts_with("postgresql://") &&
      !config.database_url.starts_with("postgres://")) {
    add("database.url", {"须为 postgresql:// 开头的连接串",
                         "must be a postgresql:// connection URL"});
  }
  struct Positive {
    const char* key;
    int64_t value;
  };
  for (auto [key, value] :
       {Positive{"auth.max_failed_logins", config.max_failed_logins},
        Positive{"auth.max_failed_logins_per_address", config.max_failed_logins_per_address},
        Positive{"auth.failure_window_minutes", config.failure_window_minutes},
        Positive{"auth.lockout_minutes", config.lockout_minutes},
        Positive{"auth.idle_timeout_minutes", config.idle_timeout_minutes},
        Positive{"auth.absolute_timeout_minutes", config.absolute_timeout_minutes},
        Positive{"server.max_body_bytes", config.max_body_bytes},
        Positive{"database.pool_size", config.database_pool_size},
        Positive{"auth.password_hash_passes", config.password_hash_passes},
        Positive{"auth.pii_lookups_per_hour", config.pii_lookups_per_hour},
        Positive{"auth.duplicate_findings_per_hour", config.duplicate_findings_per_hour},
        Positive{"business.housekeeping_minutes", config.housekeeping_minutes},
        Positive{"runtime.delivery_lease_seconds", config.delivery_lease_seconds},
        Positive{"runtime.timer_lease_seconds", config.timer_lease_seconds},
        Positive{"integration.webhook_timeout_ms", config.webhook_timeout_ms}}) {
    if (value <= 0) add(key, {"必须大于 0", "must be greater than 0"});
  }
  if (config.password_hash_memory_kib < 64 || config.password_hash_memory_kib > 4 * 1024 * 1024) {
    add("auth.password_hash_memory_kib",
        {"必须在 64 到 4194304 之间", "must be between 64 and 4194304"});
  }
  for (auto [key, value] : {Positive{"server.network_threads", config.network_threads},
                            Positive{"server.worker_threads", config.worker_threads},
                            Positive{"server.write_threads", config.write_threads}}) {
    if (value < 0 || value > 1024) {
      add(key, {"必须在 0（自动）到 1024 之间", "must be between 0 (automatic) and 1024"});
    }
  }
  if (config.sqlite_cache_mib < 2 || config.sqlite_cache_mib > 1024 * 1024) {
    add("database.sqlite_cache_mib",
        {"必须在 2 到 1048576 之间", "must be between 2 and 1048576"});
  }
  if (config.password_min_length < 8) {
    add("auth.password_min_length", {"不能小于 8", "must be at least 8"});
  }
  if (auto zone = TimeZone::Parse(config.time_zone, "business.time_zone"); !zone) {
    violations.push_back(zone.error().field_violations[0]);
  }
  if (config.housekeeping_minutes > 0) {
    if (auto schedule = HousekeepingSchedule(config.housekeeping_minutes); !schedule) {
      violations.push_back(schedule.error().field_violations[0]);
    }
  }
  if (!ParseTimeOfDay(config.close_of_business_at)) {
    add("business.close_of_business_at",
        {"须为 24 小时制 HH:MM，如 23:30", "must be a 24-hour HH:MM time such as 23:30"});
  }
  if (!config.webhook_url.empty()) {
    if (auto url = http::ParseHttpUrl(config.webhook_url, "integration.webhook_url"); !url) {
      violations.push_back(url.error().field_violations[0]);
    }
  }
  if (auto types = ParseEventTypes(config.webhook_events, "integration.webhook_events"); !types) {
    violations.push_back(types.error().field_violations[0]);
  }
  if (config.webhook_timeout_ms * 1000 > config.delivery_lease_seconds * 1'000'000 / 2) {
    // A call still waiting when the lease ends would be made again by another node.
    add("integration.webhook_timeout_ms",
        {"必须小于 runtime.delivery_lease_seconds 的一半",
         "must be less than half of runtime.delivery_lease_seconds"});
  }
  static const std::vector<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
  if (std::find(kLevels.begin(), kLevels.end(), config.log_level) == kLevels.end()) {
    add("log.level", {"只能是 trace、debug、info、warn 或 error",
                      "must be trace, debug, info, warn or error"});
  }
  if (violations.empty()) return Ok();
  return ConfigError(std::move(violations));
}

}  // namespace oc::app

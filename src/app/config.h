#pragma once
// Configuration of the opencredit binary. Three layers, later ones winning: the TOML file
// (--config), environment variables OPENCREDIT_<SECTION>_<KEY> (plus the short forms
// OPENCREDIT_LISTEN, OPENCREDIT_DATA_DIR, OPENCREDIT_DATABASE_URL, OPENCREDIT_MASTER_KEY), and
// command-line flags. Unknown keys and wrongly typed values are errors that name the key, so a
// typo never silently leaves a default in force.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/error.h"

namespace oc::app {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";
  int network_threads = 0;
  int worker_threads = 0;  // handlers of reads; 0: the server's default
  int write_threads = 0;   // handlers of writes; 0: the server's default
  int64_t max_body_bytes = 1024 * 1024;
  int64_t shutdown_grace_seconds = 20;
  std::string static_dir;  // the built web app; empty: look for web/dist beside the binary
  bool cookie_secure = false;
  // [database]
  std::string data_dir = "./data";
  std::string database_url;  // empty: SQLite at data_dir/opencredit.db
  std::string sqlite_synchronous = "full";
  int64_t database_pool_size = 8;
  int64_t sqlite_cache_mib = 256;  // the SQLite writer's page cache
  // [crypto]
  std::string master_key;  // "id:base64,…"; empty: a generated key file (loopback only)
  std::string crypto_suite = "aes";  // "aes" (AES-256-GCM) or "sm4" (SM4-GCM, SM3-HMAC)
  // [auth]
  int64_t max_failed_logins = 5;               // per username at one client address
  int64_t max_failed_logins_per_address = 30;  // any usernames from one client address
  int64_t failure_window_minutes = 15;
  int64_t lockout_minutes = 15;
  int64_t idle_timeout_minutes = 30;
  int64_t absolute_timeout_minutes = 12 * 60;
  int64_t password_min_length = 10;
  int64_t password_hash_memory_kib = 19 * 1024;  // argon2id cost; see auth/password.h
  int64_t password_hash_passes = 2;
  // Per user and hour: exact lookups by personal data, and duplicates found that name another
  // manager's customer (see customers::CustomerSafeguards).
  int64_t pii_lookups_per_hour = 60;
  int64_t duplicate_findings_per_hour = 30;
  // [business]
  // The zone whose date is "today" everywhere (follow-ups, TODAY() in expressions, later the
  // business date): a fixed-offset zone name or an offset, see core/time_zone.h.
  std::string time_zone = "Asia/Shanghai";
  // How often expired sessions and idempotency keys are cleared away, in minutes.
  int64_t housekeeping_minutes = 10;
  // When close of business runs each day ("HH:MM" in time_zone): it moves the business date on
  // to the next working day of the calendar.
  std::string close_of_business_at = "23:30";
  // The business calendar that decides working days ("cn": the State Council's schedule).
  std::string calendar = "cn";

  // [runtime]
  // How long a node may hold a claimed delivery or timer before another node takes it over: the
  // longest a consumer may take, and how late a delivery is after its node dies.
  int64_t delivery_lease_seconds = 120;
  int64_t timer_lease_seconds = 120;

  // [integration]
  // Where domain events are POSTed as JSON (http:// only for now); empty: nowhere. Each request
  // carries Idempotency-Key (the same on every redelivery) and, with a secret, an HMAC-SHA256
  // signature of the body.
  std::string webhook_url;
  std::string webhook_events = "*";  // comma-separated event types, or * for every one
  std::string webhook_secret;
  int64_t webhook_timeout_ms = 10'000;
  // [log]
  std::string log_level = "info";
  bool access_log = true;
  // [demo]
  bool demo = true;  // seed a demo organisation into an empty database
};

using Environment = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment.
Environment ProcessEnvironment();

// Applies the TOML file (if given) and then the environment to the defaults. Flags are applied by
// the caller afterwards. Errors: kInvalidArgument naming the key ("auth.lockout_minutes") or the
// file.
Result<Config> LoadConfig(const std::optional<std::filesystem::path>& file,
                          const Environment& environment);

// Checks cross-field rules after all layers: listen address syntax, positive figures, known
// enumerations. Errors: kInvalidArgument naming the key.
Status ValidateConfig(const Config& config);

struct ListenAddress {
  std::string host;
  uint16_t port;
};
Result<ListenAddress> ParseListen(std::string_view listen);

struct TimeOfDay {
  int hour = 0;
  int minute = 0;
};
// "HH:MM" on a 24-hour clock ("07:05", "23:30"), or nullopt.
std::optional<TimeOfDay> ParseTimeOfDay(std::string_view text);

// Whether the host only accepts local connections (127.0.0.0/8, ::1, localhost).
bool IsLoopback(std::string_view host);

}  // namespace oc::app

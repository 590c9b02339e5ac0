// The customer registry at scale (issue 3, "Scale"), in three phases over fresh SQLite databases
// with synchronous=FULL:
//   load    N realistic customers through CustomerService::CreateBatch (validation, encryption,
//           blind indexes, audit), two producer threads each preparing and submitting batches;
//           prints rows per second.
//   lookup  p50/p99 of GET /api/v1/customers with phone=<exact>, id_number=<exact> and the first
//           page of q=<surname>, random probes over the loaded table, through the real server on
//           127.0.0.1 as an account manager (own scope) and a risk officer (all customers).
//   http    the real server (Application) on 127.0.0.1; concurrent keep-alive clients create
//           customers for a fixed time; prints creates per second, errors and timeouts.
//
// Usage: customer_load --work DIR [--rows N] [--batch B] [--probes P] [--clients C]
//                      [--seconds S] [--write-threads W] [--phases load,lookup,http]
// Exits non-zero when a phase cannot run or a create fails; goals missed are reported, not fatal.

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "app/application.h"
#include "app/demo_vocabulary.h"
#include "audit/audit_log.h"
#include "auth/password.h"
#include "auth/session_service.h"
#include "core/china_regions.h"
#include "core/clock.h"
#include "core/date.h"
#include "crypto/field_cipher.h"
#include "customers/customer_service.h"
#include "forms/entity_registry.h"
#include "runtime/event_log.h"

namespace oc::bench {
namespace {

namespace json = boost::json;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

constexpr char kPassword[] = "Bench-Password-2026";

using namespace app::demo_vocabulary;

constexpr const char* kMobilePrefixes[] = {"133", "135", "136", "138", "139", "150", "151",
                                           "158", "177", "186", "188", "189", "199"};

template <class T, size_t N>
constexpr size_t Count(const T (&)[N]) {
  return N;
}

// Customer number `i` maps to a unique (region, birth date, sequence) and a unique mobile through
// multiplications by primes modulo the size of each space: bijections, so no two customers of a
// run share an ID number or a phone however large N is (up to the space, ~10^9).
class Population {
 public:
  Population() : regions_(DemoChinaRegions()) {}

  std::string IdNumber(uint64_t i) const {
    const uint64_t days = kBirthDays;
    const uint64_t space = regions_.size() * days * 1000;
    uint64_t x = (i * 1'000'003ULL) % space;
    const ChinaRegion& region = regions_[x % regions_.size()];
    x /= regions_.size();
    int sequence = static_cast<int>(x % 1000);
    Date birth = kFirstBirth.AddDays(static_cast<int32_t>(x / 1000));
    return MakeResidentIdNumber(region.code, birth, sequence);
  }

  std::string Phone(uint64_t i) const {
    const uint64_t prefixes = Count(kMobilePrefixes);
    uint64_t x = (i * 998'244'353ULL) % (prefixes * 100'000'000ULL);
    char rest[9];
    std::snprintf(rest, sizeof rest, "%08llu", static_cast<unsigned long long>(x / prefixes));
    return std::string(kMobilePrefixes[x % prefixes]) + rest;
  }

  const ChinaRegion& Region(uint64_t i) const {
    uint64_t x = (i * 1'000'003ULL) % (regions_.size() * kBirthDays * 1000);
    return regions_[x % regions_.size()];
  }

  // A realistic individual: what an account manager types at intake.
  json::object Customer(uint64_t i, std::mt19937_64& rng) const {
    auto pick = [&rng](const auto& items) {
      return items[std::uniform_int_distribution<size_t>(0, Count(items) - 1)(rng)];
    };
    const ChinaRegion& region = Region(i);
    std::string surname = kSurnames[i % Count(kSurnames)];
    json::object c{{"type", "individual"},
                   {"name", surname + pick(kGivenNames)},
                   {"id_number", IdNumber(i)},
                   {"phone", Phone(i)},
                   {"marital_status", pick(kMaritalStatuses)},
                   {"education", pick(kEducation)},
                   {"occupation", pick(kOccupations)},
                   {"monthly_income",
                    std::to_string(std::uniform_int_distribution<int>(3, 60)(rng) * 1000) + ".00"},
                   {"province", std::string(region.province)},
                   {"city", std::string(region.city)},
                   {"district", std::string(region.district)},
                   {"address_detail", std::string(region.district) + "幸福路" +
                                          std::to_string(1 + rng() % 300) + "号"},
                   {"source_channel", pick(kChannels)},
                   {"risk_level", pick(kRiskLevels)},
                   {"status", pick(kStatuses)},
                   {"tags", json::array{pick(kTags)}}};
    if (i % 3 == 0) c["email"] = "c" + std::to_string(i) + "@example.com";
    return c;
  }

  static std::string Surname(uint64_t i) { return kSurnames[i % Count(kSurnames)]; }

 private:
  static constexpr uint64_t kBirthDays = 365 * 45;  // born 1960–2004
  static constexpr Date kFirstBirth = Date::FromDays(-3653);  // 1960-01-01
  std::span<const ChinaRegion> regions_;
};

struct Options {
  std::filesystem::path work;
  uint64_t rows = 1'000'000;
  size_t batch = 20000;
  int probes = 1000;
  int clients = 32;
  int seconds = 20;
  int write_threads = 0;  // the server's pool for writes; 0: the server's default
  std::string phases = "load,lookup,http";
};

[[noreturn]] void Fail(const std::string& what, const Error& error) {
  std::fprintf(stderr, "customer_load: %s: %s %s\n", what.c_str(), error.message.en_us.c_str(),
               error.internal_detail.c_str());
  std::exit(1);
}

app::Config BenchConfig(const std::filesystem::path& data_dir) {
  app::Config config;
  config.listen = "127.0.0.1:0";
  config.data_dir = data_dir.string();
  config.sqlite_synchronous = "full";
  config.access_log = false;
  // Sign-in is not what is measured: the cheapest argon2 cost the configuration takes.
  config.password_hash_memory_kib = 256;
  config.password_hash_passes = 1;
  // The lookups are what is measured, each still audited and counted: no user's rate ends them.
  config.pii_lookups_per_hour = 1'000'000'000;
  return config;
}

std::shared_ptr<spdlog::logger> QuietLog() {
  return std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
}

// A fresh server database with the demo organisation (no demo customers).
std::unique_ptr<app::Application> FreshApplication(const app::Config& config,
                                                   const oc::Clock& clock) {
  std::filesystem::remove_all(config.data_dir);
  auto db = app::OpenDatabase(config);
  if (!db) Fail("open database", db.error());
  auto application =
      app::Application::Create(config, std::move(*db), clock, {.app = QuietLog(), .access = {}});
  if (!application) Fail("start application", application.error());
  auto seeded = (*application)->SeedDemoIfEmpty(/*with_customers=*/false);
  if (!seeded) Fail("seed", seeded.error());
  return std::move(*application);
}

int64_t UserIdOf(storage::Db& db, const std::string& username) {
  auto id = db.ReadValue<int64_t>([&](storage::Tx& tx) -> Result<int64_t> {
    ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT id FROM users WHERE username = ?", {username}));
    if (!row) return NotFound({"无此用户", "no such user"});
    return row->Int(0);
  });
  if (!id) Fail("user " + username, id.error());
  return *id;
}

struct Percentiles {
  double p50_ms;
  double p99_ms;
};

Percentiles Summarise(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, static_cast<size_t>(q * ms.size()))]; };
  return {at(0.50), at(0.99)};
}

// One keep-alive HTTP/1.1 connection, signed in.
class Client {
 public:
  explicit Client(uint16_t port) : stream_(io_) {
    stream_.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  }

  // Returns the status, -1 on a transport error, 0 on a timeout.
  int Send(bhttp::verb method, const std::string& target, const std::string& body,
           std::string* response_body = nullptr, std::string* set_cookie = nullptr) {
    bhttp::request<bhttp::string_body> request{method, target, 11};
    request.set(bhttp::field::host, "127.0.0.1");
    request.set(bhttp::field::content_type, "application/json");
    if (!cookie_.empty()) request.set(bhttp::field::cookie, cookie_);
    if (!csrf_.empty()) request.set("X-CSRF-Token", csrf_);
    request.keep_alive(true);
    request.body() = body;
    request.prepare_payload();
    beast::error_code ec;
    stream_.expires_after(std::chrono::seconds(10));
    bhttp::write(stream_, request, ec);
    bhttp::response<bhttp::string_body> response;
    if (!ec) bhttp::read(stream_, buffer_, response, ec);
    if (ec) return ec == beast::error::timeout ? 0 : -1;
    if (response_body) *response_body = std::move(response.body());
    if (set_cookie) *set_cookie = std::string(response[bhttp::field::set_cookie]);
    return static_cast<int>(response.result_int());
  }

  bool Login(const std::string& username) {
    std::string body, cookie;
    int status = Send(bhttp::verb::post, "/api/v1/auth/login",
                      json::serialize(json::object{{"username", username}, {"password", kPassword}}),
                      &body, &cookie);
    if (status != 200) {
      std::fprintf(stderr, "login: %d %s\n", status, body.c_str());
      return false;
    }
    cookie_ = cookie.substr(0, cookie.find(';'));
    csrf_ = std::string(json::parse(body).at("csrf_token").as_string());
    return true;
  }

 private:
  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string cookie_;
  std::string csrf_;
};

// A known password for `username`, as an administrator's reset would set it.
void SetPassword(app::Application& application, const std::string& username) {
  auth::PasswordHasher hasher({.memory_kib = 256, .passes = 1, .lanes = 1});
  std::string hash = hasher.Hash(kPassword);
  auto reset = application.db().Write([&](storage::Tx& tx) -> Status {
    RETURN_IF_ERROR(tx.Execute("UPDATE users SET password_hash = ?, must_change_password = 0 "
                               "WHERE username = ?",
                               {hash, username}));
    return Ok();
  });
  if (!reset) Fail("reset password", reset.error());
}

std::string Encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// ---- phase 1: the service layer; phase 2: lookups over HTTP ----

void LoadAndLookup(const Options& options, bool load, bool lookup) {
  SystemClock clock;
  app::Config config = BenchConfig(options.work / "load");
  auto application = FreshApplication(config, clock);
  storage::Db& db = application->db();
  auto log = QuietLog();
  auto keys = app::LoadKeys(config, *log);
  if (!keys) Fail("keys", keys.error());
  audit::AuditLog audit(clock, *keys->audit);
  forms::EntityRegistry registry(db, clock, audit);
  runtime::Subscriptions subscriptions;
  runtime::EventLog events(clock, subscriptions);
  customers::CustomerService service(db, clock, audit, events, registry, *keys->cipher);
  auth::PasswordHasher hasher({.memory_kib = 256, .passes = 1, .lanes = 1});
  auth::SessionService sessions(db, clock, audit, hasher, {});
  auto owner = sessions.PrincipalOf(auth::UserId(UserIdOf(db, "am.zhang")));
  if (!owner) Fail("principal", owner.error());
  audit::Actor actor{.user_id = (*owner)->user_id.value(), .username = "am.zhang",
                     .request_id = "bench", .client_ip = "127.0.0.1"};
  Population population;

  uint64_t rows = load ? options.rows : 0;
  if (load) {
    std::atomic<uint64_t> next{0};
    std::atomic<uint64_t> failed{0};
    std::mutex error_mu;
    std::string first_error;
    auto start = Clock::now();
    auto producer = [&](int seed) {
      std::mt19937_64 rng(seed);
      std::vector<json::object> batch;
      for (;;) {
        uint64_t from = next.fetch_add(options.batch);
        if (from >= rows) return;
        uint64_t to = std::min<uint64_t>(rows, from + options.batch);
        batch.clear();
        for (uint64_t i = from; i < to; ++i) batch.push_back(population.Customer(i, rng));
        auto results = service.CreateBatch(**owner, actor, batch);
        if (!results) Fail("create batch", results.error());
        for (const auto& r : *results) {
          if (r.id) continue;
          failed.fetch_add(1);
          std::lock_guard lock(error_mu);
          if (first_error.empty() && r.error) {
            first_error = r.error->message.en_us;
            for (const auto& v : r.error->field_violations) first_error += " " + v.field + ":" + v.code;
          }
        }
        if (from / 250000 != to / 250000) {
          double s = std::chrono::duration<double>(Clock::now() - start).count();
          std::printf("  … %llu rows, %.0f rows/s\n", static_cast<unsigned long long>(to),
                      static_cast<double>(to) / s);
          std::fflush(stdout);
        }
      }
    };
    std::thread a(producer, 1), b(producer, 2);
    a.join();
    b.join();
    double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("load: %llu customers in %.1f s = %.0f rows/s (goal >= 20000), %llu refused%s%s\n",
                static_cast<unsigned long long>(rows), seconds, rows / seconds,
                static_cast<unsigned long long>(failed.load()), first_error.empty() ? "" : ": ",
                first_error.c_str());
    if (failed.load() > 0) std::exit(1);
  }

  if (lookup) {
    if (rows == 0) {
      std::fprintf(stderr, "customer_load: lookup needs the load phase\n");
      std::exit(1);
    }
    // The lookups a clerk makes, through the real server: session, scope, query, masking, JSON.
    SetPassword(*application, "am.zhang");
    SetPassword(*application, "risk.li");
    if (auto started = application->Start(); !started) Fail("listen", started.error());
    std::thread server([&] { application->Run(false); });
    Client clerk(application->port()), risk_officer(application->port());
    if (!clerk.Login("am.zhang") || !risk_officer.Login("risk.li")) std::exit(1);

    std::mt19937_64 rng(42);
    std::uniform_int_distribution<uint64_t> any(0, rows - 1);
    struct Probe {
      const char* what;
      Client* client;
      std::function<std::string(uint64_t)> query;
      double goal_ms;
    };
    const std::vector<Probe> probes = {
        {"phone=<exact>       (own scope)", &clerk,
         [&](uint64_t i) { return "phone=" + population.Phone(i); }, 5},
        {"id_number=<exact>   (own scope)", &clerk,
         [&](uint64_t i) { return "id_number=" + population.IdNumber(i); }, 5},
        {"q=<surname> page 1  (own scope)", &clerk,
         [&](uint64_t i) { return "q=" + Encode(Population::Surname(i)); }, 20},
        {"phone=<exact>       (all scope)", &risk_officer,
         [&](uint64_t i) { return "phone=" + population.Phone(i); }, 5},
        {"q=<surname> page 1  (all scope)", &risk_officer,
         [&](uint64_t i) { return "q=" + Encode(Population::Surname(i)); }, 20},
    };
    for (const auto& probe : probes) {
      std::vector<double> ms;
      for (int n = 0; n < options.probes; ++n) {
        std::string target = "/api/v1/customers?" + probe.query(any(rng));
        std::string body;
        auto t0 = Clock::now();
        int status = probe.client->Send(bhttp::verb::get, target, "", &body);
        auto t1 = Clock::now();
        if (status != 200) {
          std::fprintf(stderr, "customer_load: GET %s: %d %s\n", target.c_str(), status,
                       body.c_str());
          std::exit(1);
        }
        if (json::parse(body).at("items").as_array().empty()) {
          std::fprintf(stderr, "customer_load: GET %s found nothing\n", target.c_str());
          std::exit(1);
        }
        ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      }
      Percentiles p = Summarise(std::move(ms));
      std::printf("GET /api/v1/customers?%s: p50 %.2f ms, p99 %.2f ms (goal p99 < %.0f ms) over "
                  "%d probes\n",
                  probe.what, p.p50_ms, p.p99_ms, probe.goal_ms, options.probes);
    }
    application->Stop();
    server.join();
  }
}

// ---- phase 3: over HTTP ----

void OverHttp(const Options& options) {
  SystemClock clock;
  app::Config config = BenchConfig(options.work / "http");
  config.write_threads = options.write_threads;
  auto application = FreshApplication(config, clock);
  SetPassword(*application, "am.zhang");
  if (auto started = application->Start(); !started) Fail("listen", started.error());
  std::thread server([&] { application->Run(false); });
  uint16_t port = application->port();

  Population population;
  std::vector<std::unique_ptr<Client>> clients;
  for (int c = 0; c < options.clients; ++c) {
    clients.push_back(std::make_unique<Client>(port));
    if (!clients.back()->Login("am.zhang")) std::exit(1);
  }

  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> created{0}, errors{0}, timeouts{0};
  std::mutex error_mu;
  std::string first_error;
  std::vector<double> latencies_ms;
  std::mutex latency_mu;
  auto start = Clock::now();
  auto deadline = start + std::chrono::seconds(options.seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < options.clients; ++c) {
    threads.emplace_back([&, c] {
      std::mt19937_64 rng(1000 + c);
      std::vector<double> mine;
      while (Clock::now() < deadline) {
        std::string body = json::serialize(population.Customer(next.fetch_add(1), rng));
        std::string response;
        auto t0 = Clock::now();
        int status = clients[c]->Send(bhttp::verb::post, "/api/v1/customers", body, &response);
        mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        if (status == 201) {
          created.fetch_add(1);
        } else if (status == 0) {
          timeouts.fetch_add(1);
        } else {
          errors.fetch_add(1);
          std::lock_guard lock(error_mu);
          if (first_error.empty()) first_error = std::to_string(status) + " " + response;
          if (status < 0) return;  // the connection is gone
        }
      }
      std::lock_guard lock(latency_mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  application->Stop();
  server.join();
  Percentiles p = Summarise(std::move(latencies_ms));
  std::printf("http: %d clients, %.1f s: %llu created = %.0f creates/s (goal >= 3000), "
              "%llu errors, %llu timeouts; latency p50 %.1f ms, p99 %.1f ms%s%s\n",
              options.clients, seconds, static_cast<unsigned long long>(created.load()),
              created.load() / seconds, static_cast<unsigned long long>(errors.load()),
              static_cast<unsigned long long>(timeouts.load()), p.p50_ms, p.p99_ms,
              first_error.empty() ? "" : "; first error: ", first_error.c_str());
  if (errors.load() > 0 || timeouts.load() > 0) std::exit(1);
}

Options Parse(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--work") {
      options.work = value;
    } else if (flag == "--rows") {
      options.rows = std::stoull(value);
    } else if (flag == "--batch") {
      options.batch = std::stoul(value);
    } else if (flag == "--probes") {
      options.probes = std::stoi(value);
    } else if (flag == "--clients") {
      options.clients = std::stoi(value);
    } else if (flag == "--seconds") {
      options.seconds = std::stoi(value);
    } else if (flag == "--write-threads") {
      options.write_threads = std::stoi(value);
    } else if (flag == "--phases") {
      options.phases = value;
    } else {
      std::fprintf(stderr, "customer_load: unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  if (options.work.empty() || options.rows == 0 || options.batch == 0 || options.probes <= 0 ||
      options.clients <= 0 || options.seconds <= 0) {
    std::fprintf(stderr,
                 "usage: customer_load --work DIR [--rows N] [--batch B] [--probes P] "
                 "[--clients C] [--seconds S] [--write-threads W] [--phases load,lookup,http]\n");
    std::exit(2);
  }
  return options;
}

}  // namespace
}  // namespace oc::bench

int main(int argc, char** argv) {
  using namespace oc::bench;
  Options options = Parse(argc, argv);
  auto has = [&](const char* phase) { return options.phases.find(phase) != std::string::npos; };
  if (has("load") || has("lookup")) LoadAndLookup(options, has("load"), has("lookup"));
  if (has("http")) OverHttp(options);
  return 0;
}

#include "app/application.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "api/api_context.h"
#include "api/audit_handlers.h"
#include "api/auth_handlers.h"
#include "api/calendar_handlers.h"
#include "api/customer_handlers.h"
#include "api/department_handlers.h"
#include "api/entity_handlers.h"
#include "api/expr_handlers.h"
#include "api/guard.h"
#include "api/health_handlers.h"
#include "api/idempotency.h"
#include "api/openapi.h"
#include "api/operations_handlers.h"
#include "api/pending_change_handlers.h"
#include "api/role_handlers.h"
#include "api/todo_handlers.h"
#include "api/user_handlers.h"
#include "api/workbench_handlers.h"
#include "app/close_of_business.h"
#include "app/demo_data.h"
#include "app/housekeeping.h"
#include "app/json_log.h"
#include "app/webhooks.h"
#include "audit/audit_log.h"
#include "auth/migrations.h"
#include "auth/organization_service.h"
#include "auth/session_service.h"
#include "core/private_files.h"
#include "core/time_zone.h"
#include "crypto/field_cipher.h"
#include "crypto/mac_keyring.h"
#include "crypto/master_key.h"
#include "customers/customer_entity.h"
#include "customers/customer_service.h"
#include "customers/followup_service.h"
#include "customers/relationship_service.h"
#include "forms/entity_registry.h"
#include "http/server.h"
#include "runtime/business_calendar.h"
#include "runtime/business_date.h"
#include "runtime/event_log.h"
#include "runtime/live_feed.h"
#include "runtime/migrations.h"
#include "runtime/notification_service.h"
#include "runtime/outbox.h"
#include "runtime/scheduler.h"
#include "runtime/todo_service.h"
#include "storage/postgres/postgres_db.h"
#include "storage/sqlite/sqlite_db.h"

namespace oc::app {

std::vector<storage::Migration> AllMigrations() {
  std::vector<storage::Migration> all;
  for (auto module : {audit::Migrations(), runtime::Migrations(), auth::Migrations(),
                      forms::Migrations(), api::IdempotencyMigrations(), customers::Migrations()}) {
    for (auto& m : module) all.push_back(std::move(m));
  }
  return all;
}

Result<std::vector<std::string>> Migrate(storage::Db& db, const audit::AuditLog& audit) {
  auto migrations = AllMigrations();
  ASSIGN_OR_RETURN(auto applied, storage::ApplyMigrations(db, migrations));
  if (std::find(applied.begin(), applied.end(), audit::kKeyedChainMigration) != applied.end()) {
    RETURN_IF_ERROR(audit.SealUpgradedChain(db));
  }
  return applied;
}

Result<std::unique_ptr<storage::Db>> OpenDatabase(const Config& config) {
  if (!config.database_url.empty()) {
    ASSIGN_OR_RETURN(auto db, storage::PostgresDb::Open(
                                  {.conninfo = config.database_url,
                                   .pool_size = static_cast<int>(config.database_pool_size)}));
    return std::unique_ptr<storage::Db>(std::move(db));
  }
  RETURN_IF_ERROR(CreatePrivateDirectory(config.data_dir));
  storage::SqliteOptions options;
  options.path = (std::filesystem::path(config.data_dir) / "opencredit.db").string();
  options.synchronous = config.sqlite_synchronous == "normal"
                            ? storage::SqliteOptions::Synchronous::kNormal
                            : storage::SqliteOptions::Synchronous::kFull;
  options.reader_pool_size = static_cast<int>(config.database_pool_size);
  options.writer_cache_mib = static_cast<int>(config.sqlite_cache_mib);
  ASSIGN_OR_RETURN(auto db, storage::SqliteDb::Open(options));
  return std::unique_ptr<storage::Db>(std::move(db));
}

Result<Keys> LoadKeys(const Config& config, spdlog::logger& log, KeyFile key_file) {
  auto suite = config.crypto_suite == "sm4" ? crypto::CipherSuite::kSm4Gcm
                                            : crypto::CipherSuite::kAes256Gcm;
  std::string spec = config.master_key;
  if (spec.empty()) {
    ASSIGN_OR_RETURN(ListenAddress listen, ParseListen(config.listen));
    if (!IsLoopback(listen.host)) {
      return MakeError(
          ErrorCode::kFailedPrecondition,
          {"在非本机地址上监听时必须配置主密钥（OPENCREDIT_MASTER_KEY 或 crypto.master_key）",
           "A master key must be configured (OPENCREDIT_MASTER_KEY or crypto.master_key) to "
           "listen on a non-loopback address"});
    }
    const std::filesystem::path key_path =
        std::filesystem::path(config.data_dir) / crypto::kMasterKeyFileName;
    std::error_code ec;
    if (key_file == KeyFile::kMustExist && !std::filesystem::exists(key_path, ec)) {
      return MakeError(ErrorCode::kFailedPrecondition,
                       {"找不到主密钥（" + key_path.string() +
                            "，或 OPENCREDIT_MASTER_KEY / crypto.master_key）",
                        "No master key found (" + key_path.string() +
                            ", or OPENCREDIT_MASTER_KEY / crypto.master_key)"});
    }
    bool created = false;
    ASSIGN_OR_RETURN(spec, crypto::LoadOrCreateKeyFile(config.data_dir, &created));
    if (created) {
      log.warn("generated a field-encryption master key into {}/{} (mode 0600); back it up: "
               "without it the encrypted personal data cannot be read",
               config.data_dir, crypto::kMasterKeyFileName);
    }
  }
  ASSIGN_OR_RETURN(crypto::Keyring keyring, crypto::KeyringFromConfig(spec, suite));
  ASSIGN_OR_RETURN(crypto::MacKeyring audit_keys,
                   crypto::MacKeyringFromConfig(spec, suite, crypto::MacKeyring::kAuditChain));
  return Keys{std::make_unique<crypto::FieldCipher>(std::move(keyring)),
              std::make_unique<crypto::MacKeyring>(std::move(audit_keys))};
}

struct Application::Parts {
  Config config;
  std::unique_ptr<storage::Db> db;
  const Clock& clock;
  std::shared_ptr<spdlog::logger> log;
  Keys keys;
  std::unique_ptr<audit::AuditLog> audit;
  // Filled in while the parts are built, before the first event is appended.
  runtime::Subscriptions subscriptions;
  std::unique_ptr<runtime::EventLog> events;
  std::unique_ptr<runtime::Outbox> outbox;
  std::unique_ptr<runtime::Dispatcher> dispatcher;
  std::unique_ptr<runtime::Scheduler> scheduler;
  std::unique_ptr<runtime::BusinessCalendarService> calendars;
  std::unique_ptr<runtime::BusinessDateService> business_date;
  std::unique_ptr<runtime::LiveFeed> live;
  std::unique_ptr<runtime::TodoService> todos;
  std::unique_ptr<runtime::NotificationService> notifications;
  auth::PasswordHasher hasher;
  std::unique_ptr<auth::SessionService> sessions;
  std::unique_ptr<auth::OrganizationService> organization;
  std::unique_ptr<api::Guard> guard;
  std::unique_ptr<api::ApiContext> context;
  std::unique_ptr<forms::EntityRegistry> registry;
  std::unique_ptr<customers::CustomerService> customers;
  std::unique_ptr<customers::RelationshipService> relationships;
  std::unique_ptr<customers::FollowUpService> followups;
  std::unique_ptr<api::IdempotencyKeys> idempotency;
  TimeZone zone;
  http::Router router;
  AccessLog access_log;  // declared before the server, so it outlives it
  std::unique_ptr<http::Server> server;

  Parts(const Config& c, std::unique_ptr<storage::Db> d, const Clock& k,
        std::shared_ptr<spdlog::logger> l)
      : config(c),
        db(std::move(d)),
        clock(k),
        log(std::move(l)),
        hasher(auth::PasswordHashCost{
            .memory_kib = static_cast<uint32_t>(c.password_hash_memory_kib),
            .passes = static_cast<uint32_t>(c.password_hash_passes)}) {}
};

namespace {

// Names this process in lease tokens and job runs, so that an administrator can tell which node
// holds what.
std::string NodeName() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  return std::string(host[0] ? host : "node") + ":" + std::to_string(getpid());
}

std::string StaticDir(const Config& config) {
  if (!config.static_dir.empty()) return config.static_dir;
  std::error_code ec;
  if (std::filesystem::exists("web/dist/index.html", ec)) {
    return std::filesystem::absolute("web/dist", ec).string();
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<Application>> Application::Create(const Config& config,
                                                         std::unique_ptr<storage::Db> db,
                                                         const Clock& clock, Logs logs) {
  const std::shared_ptr<spdlog::logger>& log = logs.app;
  RETURN_IF_ERROR(ValidateConfig(config));
  auto parts = std::make_unique<Parts>(config, std::move(db), clock, log);
  ASSIGN_OR_RETURN(parts->zone, TimeZone::Parse(config.time_zone, "business.time_zone"));
  ASSIGN_OR_RETURN(parts->keys, LoadKeys(config, *log));
  parts->audit = std::make_unique<audit::AuditLog>(clock, *parts->keys.audit);
  ASSIGN_OR_RETURN(auto applied, Migrate(*parts->db, *parts->audit));
  for (const auto& id : applied) log->info("applied migration {}", id);
  parts->events = std::make_unique<runtime::EventLog>(clock, parts->subscriptions);
  parts->outbox = std::make_unique<runtime::Outbox>(clock);
  parts->dispatcher = std::make_unique<runtime::Dispatcher>(
      *parts->db, clock, *parts->events,
      runtime::DispatcherOptions{.node = NodeName(),
                                 .lease = std::chrono::seconds(config.delivery_lease_seconds)});
  if (!config.webhook_url.empty()) {
    ASSIGN_OR_RETURN(http::Url url,
                     http::ParseHttpUrl(config.webhook_url, "integration.webhook_url"));
    ASSIGN_OR_RETURN(auto types,
                     ParseEventTypes(config.webhook_events, "integration.webhook_events"));
    AddWebhook(parts->subscriptions, *parts->dispatcher,
               {.url = std::move(url),
                .event_types = std::move(types),
                .secret = config.webhook_secret,
                .timeout = std::chrono::milliseconds(config.webhook_timeout_ms)});
  }

  auth::SessionOptions session_options{
      .max_failed_logins = static_cast<int>(config.max_failed_logins),
      .max_failed_logins_per_address = static_cast<int>(config.max_failed_logins_per_address),
      .failure_window = std::chrono::minutes(config.failure_window_minutes),
      .lockout = std::chrono::minutes(config.lockout_minutes),
      .idle_timeout = std::chrono::minutes(config.idle_timeout_minutes),
      .absolute_timeout = std::chrono::minutes(config.absolute_timeout_minutes),
      .password_policy = {.min_length = static_cast<size_t>(config.password_min_length)}};
  Parts* p = parts.get();
  p->sessions =
      std::make_unique<auth::SessionService>(*p->db, clock, *p->audit, p->hasher, session_options);
  p->organization = std::make_unique<auth::OrganizationService>(
      *p->db, clock, *p->audit, *p->events, p->hasher, session_options.password_policy,
      [p] { p->sessions->InvalidateCache(); });
  p->guard = std::make_unique<api::Guard>(*p->sessions, *p->audit, *p->db, clock,
                                          api::CookieOptions{.secure = config.cookie_secure});
  p->calendars =
      std::make_unique<runtime::BusinessCalendarService>(*p->db, clock, *p->audit, *p->events);
  RETURN_IF_ERROR(p->calendars->SeedShipped());
  p->business_date = std::make_unique<runtime::BusinessDateService>(
      *p->db, clock, *p->audit, *p->events, *p->calendars, config.calendar, p->zone);
  p->context = std::make_unique<api::ApiContext>(
      api::ApiContext{*p->db, clock, *p->audit, *p->sessions, *p->organization, *p->guard, p->zone,
                      *p->business_date});

  p->registry = std::make_unique<forms::EntityRegistry>(*p->db, clock, *p->audit);
  customers::CustomerSafeguards safeguards;
  safeguards.pii_lookups.max_events = config.pii_lookups_per_hour;
  safeguards.duplicate_findings.max_events = config.duplicate_findings_per_hour;
  p->customers = std::make_unique<customers::CustomerService>(
      *p->db, clock, *p->audit, *p->events, *p->registry, *p->keys.cipher, safeguards);
  RETURN_IF_ERROR(p->customers->RegisterEntity());
  ASSIGN_OR_RETURN(customers::PhoneTailFill tails, p->customers->FillPendingPhoneTails());
  if (tails.filled > 0) log->info("computed the phone tails of {} customers", tails.filled);
  if (tails.unreadable > 0) {
    log->warn("the phones of {} customers do not decrypt with the configured keys; a search by "
              "phone tail misses them until they do",
              tails.unreadable);
  }
  p->relationships = std::make_unique<customers::RelationshipService>(
      *p->db, clock, *p->audit, *p->events, *p->keys.cipher, *p->customers);
  p->followups = std::make_unique<customers::FollowUpService>(*p->db, clock, *p->audit, *p->events,
                                                              *p->customers, p->zone);
  p->live = std::make_unique<runtime::LiveFeed>(
      *p->db, clock, runtime::LiveFeedOptions{},
      [log](const Error& e) { log->warn("live feed: {}", e.message.en_us); });
  p->todos = std::make_unique<runtime::TodoService>(*p->db, clock, *p->audit, *p->events,
                                                    [p] { p->live->Wake(); });
  p->notifications = std::make_unique<runtime::NotificationService>(
      *p->db, clock, *p->audit, *p->events, [p] { p->live->Wake(); });
  ASSIGN_OR_RETURN(auto working_day, p->calendars->FollowingDayFilter(config.calendar));
  p->scheduler = std::make_unique<runtime::Scheduler>(
      *p->db, clock,
      runtime::SchedulerOptions{.node = NodeName(),
                                .zone = p->zone,
                                .working_day = std::move(working_day),
                                .timer_lease = std::chrono::seconds(config.timer_lease_seconds)});
  runtime::RegisterDueReminders(*p->scheduler, *p->todos, *p->notifications);
  ASSIGN_OR_RETURN(runtime::JobSpec close_of_business,
                   CloseOfBusinessJob(*p->business_date, p->zone, config.close_of_business_at));
  RETURN_IF_ERROR(p->scheduler->RegisterJob(std::move(close_of_business)));
  p->idempotency = std::make_unique<api::IdempotencyKeys>(*p->db, clock);
  ASSIGN_OR_RETURN(
      runtime::JobSpec housekeeping,
      HousekeepingJob({{"expired sessions", [p] { return p->sessions->PurgeExpired(); }},
                       {"expired idempotency keys", [p] { return p->idempotency->PurgeExpired(); }},
                       {"delivered events",
                        [p]() -> Status {
                          // The log keeps every event; a delivery row only needs to outlive
                          // questions about whether it was made.
                          RETURN_IF_ERROR(
                              p->outbox->PurgeDone(*p->db, p->clock.Now() - std::chrono::days(7)));
                          return Ok();
                        }}},
                      config.housekeeping_minutes, log));
  RETURN_IF_ERROR(p->scheduler->RegisterJob(std::move(housekeeping)));

  api::AddHealthRoutes(p->router, *p->db);
  api::AddAuthRoutes(p->router, *p->context);
  api::AddUserRoutes(p->router, *p->context);
  api::AddDepartmentRoutes(p->router, *p->context);
  api::AddRoleRoutes(p->router, *p->context);
  api::AddPendingChangeRoutes(p->router, *p->context);
  api::AddAuditRoutes(p->router, *p->context, *p->registry, *p->customers);
  api::AddEntityRoutes(p->router, *p->context, *p->registry);
  api::AddExprRoutes(p->router, *p->context, *p->registry);
  api::AddCustomerRoutes(p->router, *p->context,
                         {*p->customers, *p->relationships, *p->followups, *p->idempotency});
  api::AddWorkbenchRoutes(p->router, *p->context, *p->followups);
  api::AddTodoRoutes(p->router, *p->context,
                     {*p->todos, *p->notifications, *p->live, *p->customers, *p->idempotency});
  api::AddCalendarRoutes(p->router, *p->context,
                         {*p->calendars, *p->business_date, config.calendar});
  api::AddOperationsRoutes(p->router, *p->context,
                           {*p->outbox, *p->events, *p->scheduler, *p->dispatcher});
  api::AddOpenApiRoute(p->router);

  ASSIGN_OR_RETURN(ListenAddress listen, ParseListen(config.listen));
  http::ServerOptions server_options;
  server_options.host = listen.host;
  server_options.port = listen.port;
  server_options.network_threads = config.network_threads;
  server_options.worker_threads = config.worker_threads;
  server_options.write_threads = config.write_threads;
  server_options.max_body_bytes = static_cast<size_t>(config.max_body_bytes);
  server_options.shutdown_grace = std::chrono::seconds(config.shutdown_grace_seconds);
  server_options.static_dir = StaticDir(config);
  if (logs.access) {
    p->access_log.logger = logs.access;
  } else if (config.access_log) {
    p->access_log = MakeAccessLog();
  }
  p->server = std::make_unique<http::Server>(server_options, p->router, p->access_log.logger);
  return std::unique_ptr<Application>(new Application(std::move(parts)));
}

Application::Application(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}
Application::~Application() = default;

Result<bool> Application::SeedDemoIfEmpty(bool with_customers) {
  ASSIGN_OR_RETURN(auto users, parts_->organization->ListUsers({.limit = 1}));
  ASSIGN_OR_RETURN(auto departments, parts_->organization->ListDepartments());
  if (!users.empty() || !departments.empty()) return false;
  ASSIGN_OR_RETURN(auto accounts,
                   SeedDemoOrganization(*parts_->organization, audit::Actor{.username = "demo"}));
  int customers = 0;
  if (with_customers) {
    ASSIGN_OR_RETURN(customers,
                     SeedDemoCustomers(*parts_->organization, *parts_->sessions, *parts_->customers,
                                       *parts_->followups, *parts_->todos, parts_->clock));
  }
  parts_->log->warn("seeded the demo organisation with {} customers; these passwords are shown "
                    "only now:",
                    customers);
  for (const auto& a : accounts) {
    parts_->log->warn("demo account {} ({}) password {}", a.username, a.role, a.password);
  }
  return true;
}

Status Application::Start() {
  RETURN_IF_ERROR(parts_->server->Start());
  RETURN_IF_ERROR(parts_->live->Start());
  parts_->dispatcher->Start();
  parts_->scheduler->Start();
  return Ok();
}
uint16_t Application::port() const { return parts_->server->port(); }
void Application::Run(bool handle_signals) { parts_->server->Run(handle_signals); }
void Application::Stop() {
  parts_->scheduler->Stop();
  parts_->dispatcher->Stop();
  parts_->live->Stop();
  parts_->server->Stop();
}
storage::Db& Application::db() { return *parts_->db; }

std::vector<std::pair<std::string, std::string>> Application::Routes() const {
  std::vector<std::pair<std::string, std::string>> routes;
  for (const auto& route : parts_->router.routes()) {
    routes.emplace_back(http::MethodName(route->method), route->pattern);
  }
  return routes;
}

std::string Application::OpenApiText() const { return api::OpenApiText(parts_->router); }

}  // namespace oc::app

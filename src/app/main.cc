// opencredit: the single binary. Subcommands: serve, migrate, admin create-user, audit verify,
// expr, openapi. Configuration precedence: defaults < TOML file < OPENCREDIT_* environment < flags.

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "app/application.h"
#include "app/config.h"
#include "app/expr_command.h"
#include "app/json_log.h"
#include "audit/audit_log.h"
#include "auth/organization_service.h"
#include "core/clock.h"
#include "runtime/event_log.h"

namespace oc::app {
namespace {

// Flags shared by the subcommands that open the database.
struct CommonFlags {
  std::optional<std::string> config_file;
  std::optional<std::string> data_dir;
  std::optional<std::string> database;
};

void AddCommonFlags(CLI::App* command, CommonFlags& flags) {
  command->add_option("--config", flags.config_file, "TOML configuration file")
      ->check(CLI::ExistingFile);
  command->add_option("--data-dir", flags.data_dir,
                      "Data directory: the SQLite database and the generated key file "
                      "(default ./data)");
  command->add_option("--database", flags.database,
                      "postgresql://user@host:port/db to use PostgreSQL instead of SQLite");
}

void PrintError(const Error& error) {
  std::cerr << "error: " << error.message.en_us << " / " << error.message.zh_cn << "\n";
  for (const auto& v : error.field_violations) {
    std::cerr << "  " << v.field << ": " << v.message.en_us << " / " << v.message.zh_cn << "\n";
  }
  if (!error.internal_detail.empty()) std::cerr << "  detail: " << error.internal_detail << "\n";
}

Result<Config> ResolveConfig(const CommonFlags& flags) {
  std::optional<std::filesystem::path> file;
  if (flags.config_file) file = *flags.config_file;
  ASSIGN_OR_RETURN(Config config, LoadConfig(file, ProcessEnvironment()));
  if (flags.data_dir) config.data_dir = *flags.data_dir;
  if (flags.database) config.database_url = *flags.database;
  return config;
}

int Serve(const CommonFlags& flags, const std::optional<std::string>& listen, bool no_demo) {
  auto config = ResolveConfig(flags);
  if (!config) return PrintError(config.error()), 2;
  if (listen) config->listen = *listen;
  if (no_demo) config->demo = false;
  if (auto valid = ValidateConfig(*config); !valid) return PrintError(valid.error()), 2;

  auto log = MakeJsonLogger("app", config->log_level);
  spdlog::set_default_logger(log);
  auto db = OpenDatabase(*config);
  if (!db) return PrintError(db.error()), 1;
  SystemClock clock;
  auto application = Application::Create(*config, std::move(*db), clock, Logs{.app = log});
  if (!application) return PrintError(application.error()), 1;
  if (config->demo) {
    auto seeded = (*application)->SeedDemoIfEmpty();
    if (!seeded) return PrintError(seeded.error()), 1;
  }
  if (auto started = (*application)->Start(); !started) return PrintError(started.error()), 1;
  log->info("opencredit listening on http://{}:{} ({})", ParseListen(config->listen)->host,
            (*application)->port(),
            config->database_url.empty() ? config->data_dir + "/opencredit.db" : "PostgreSQL");
  (*application)->Run(/*handle_signals=*/true);
  log->info("opencredit stopped");
  return 0;
}

// The audit trail of a command that runs without the server: keyed by the configured master key.
struct CommandAudit {
  Keys keys;
  std::unique_ptr<audit::AuditLog> log;
};

Result<CommandAudit> OpenAudit(const Config& config, const Clock& clock, KeyFile key_file) {
  auto log = MakeJsonLogger("cli", config.log_level);
  ASSIGN_OR_RETURN(Keys keys, LoadKeys(config, *log, key_file));
  auto audit = std::make_unique<audit::AuditLog>(clock, *keys.audit);
  return CommandAudit{std::move(keys), std::move(audit)};
}

int MigrateCommand(const CommonFlags& flags) {
  auto config = ResolveConfig(flags);
  if (!config) return PrintError(config.error()), 2;
  auto db = OpenDatabase(*config);
  if (!db) return PrintError(db.error()), 1;
  SystemClock clock;
  auto audit = OpenAudit(*config, clock, KeyFile::kCreateIfMissing);
  if (!audit) return PrintError(audit.error()), 1;
  auto applied = Migrate(**db, *audit->log);
  if (!applied) return PrintError(applied.error()), 1;
  for (const auto& id : *applied) std::cout << "applied " << id << "\n";
  std::cout << (applied->empty() ? "schema is up to date\n" : "done\n");
  return 0;
}

struct NewUserFlags {
  std::string username;
  std::string password;
  std::string role;
  std::optional<std::string> department;
  std::optional<std::string> display_name;
};

int CreateUser(const CommonFlags& flags, NewUserFlags user) {
  auto config = ResolveConfig(flags);
  if (!config) return PrintError(config.error()), 2;
  if (user.password == "-") {
    // Read from standard input, so the password never shows in the process list or history.
    std::getline(std::cin, user.password);
  }
  auto db = OpenDatabase(*config);
  if (!db) return PrintError(db.error()), 1;
  SystemClock clock;
  auto command_audit = OpenAudit(*config, clock, KeyFile::kCreateIfMissing);
  if (!command_audit) return PrintError(command_audit.error()), 1;
  if (auto applied = Migrate(**db, *command_audit->log); !applied) {
    return PrintError(applied.error()), 1;
  }
  const audit::AuditLog& audit = *command_audit->log;
  auth::PasswordHasher hasher(
      {.memory_kib = static_cast<uint32_t>(config->password_hash_memory_kib),
       .passes = static_cast<uint32_t>(config->password_hash_passes)});
  // The shell's changes are recorded as events like the server's; consumers subscribed in the
  // server's configuration are not known here, so none is handed these.
  runtime::Subscriptions subscriptions;
  runtime::EventLog events(clock, subscriptions);
  auth::OrganizationService organization(
      **db, clock, audit, events, hasher,
      {.min_length = static_cast<size_t>(config->password_min_length)}, [] {});
  audit::Actor actor{.username = "cli"};

  std::string department_name = user.department.value_or("总行");
  auto department = organization.FindDepartmentByName(department_name);
  if (!department) return PrintError(department.error()), 1;
  auth::DepartmentId department_id;
  if (*department) {
    department_id = (*department)->id;
  } else {
    // A missing department is created under the head office (the first top-level department),
    // or as the head office itself on an empty database.
    auto all = organization.ListDepartments();
    if (!all) return PrintError(all.error()), 1;
    auth::NewDepartment input{.name = department_name};
    for (const auto& d : *all) {
      if (!d.parent_id) {
        input.parent_id = d.id;
        break;
      }
    }
    auto created = organization.CreateDepartment(actor, input);
    if (!created) return PrintError(created.error()), 1;
    department_id = created->id;
    std::cout << "created department " << department_name << " (id " << department_id.value()
              << ")\n";
  }
  auto created = organization.CreateUser(
      actor, {.username = user.username,
              .display_name = user.display_name.value_or(user.username),
              .password = user.password,
              .department_id = department_id,
              .role_keys = {user.role}});
  if (!created) return PrintError(created.error()), 1;
  std::cout << "created user " << created->username << " (id " << created->id.value()
            << ", role " << user.role << ")\n";
  return 0;
}

int VerifyAudit(const CommonFlags& flags) {
  auto config = ResolveConfig(flags);
  if (!config) return PrintError(config.error()), 2;
  auto db = OpenDatabase(*config);
  if (!db) return PrintError(db.error()), 1;
  SystemClock clock;
  // Verifying needs the key that sealed the chain; a key made up now would verify nothing.
  auto audit = OpenAudit(*config, clock, KeyFile::kMustExist);
  if (!audit) return PrintError(audit.error()), 1;
  auto report = audit->log->Verify(**db);
  if (!report) return PrintError(report.error()), 1;
  if (!report->intact) {
    std::cout << "audit chain BROKEN at entry " << *report->first_broken_id << ": "
              << report->problem << " (" << report->entries_checked
              << " entries before it are intact)\n";
    return 1;
  }
  std::cout << "audit chain intact: " << report->entries_checked << " entries, head hash "
            << report->head_hash << "\n";
  return 0;
}

// The document comes from the routes the composition root registers, so it is built by the real
// Application; that needs a database and keys, and gets throwaway ones in a temporary directory
// (removed afterwards), never the configured ones: the document does not depend on them.
int PrintOpenApi() {
  std::error_code ec;
  std::string pattern =
      (std::filesystem::temp_directory_path(ec) / "opencredit-openapi-XXXXXX").string();
  if (ec || mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "error: cannot create a temporary directory\n";
    return 1;
  }
  const std::filesystem::path scratch = pattern;
  int status = 1;
  {
    Config config;
    config.data_dir = scratch.string();
    config.demo = false;
    config.access_log = false;
    auto db = OpenDatabase(config);
    if (!db) {
      PrintError(db.error());
    } else {
      SystemClock clock;
      // No sinks: nothing but the document reaches standard output.
      auto quiet = std::make_shared<spdlog::logger>("openapi");
      auto application = Application::Create(config, std::move(*db), clock, Logs{.app = quiet});
      if (!application) {
        PrintError(application.error());
      } else {
        std::cout << (*application)->OpenApiText();
        status = 0;
      }
    }
  }
  std::filesystem::remove_all(scratch, ec);
  return status;
}

}  // namespace
}  // namespace oc::app

int main(int argc, char** argv) {
  using namespace oc::app;
  CLI::App app{"OpenCredit — credit customer information management / 信贷客户信息管理系统",
               "opencredit"};
  app.require_subcommand(1);

  CommonFlags serve_flags;
  std::optional<std::string> listen;
  bool no_demo = false;
  auto* serve = app.add_subcommand("serve", "Run the HTTP server and web app");
  AddCommonFlags(serve, serve_flags);
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_flag("--no-demo", no_demo, "Do not seed demo data into an empty database");

  CommonFlags migrate_flags;
  auto* migrate = app.add_subcommand("migrate", "Apply pending schema migrations");
  AddCommonFlags(migrate, migrate_flags);

  auto* admin = app.add_subcommand("admin", "Administration from the shell");
  admin->require_subcommand(1);
  CommonFlags admin_flags;
  NewUserFlags new_user;
  auto* create_user = admin->add_subcommand(
      "create-user", "Create a user (for example the first administrator)");
  AddCommonFlags(create_user, admin_flags);
  create_user->add_option("--username", new_user.username, "Login name")->required();
  create_user->add_option("--password", new_user.password,
                          "Password, or - to read it from standard input")
      ->required();
  create_user
      ->add_option("--role", new_user.role,
                   "Role key: admin, account_manager, risk_officer, department_manager, finance, "
                   "general_manager, auditor, or a custom role")
      ->required();
  create_user->add_option("--department", new_user.department,
                          "Department name (default 总行, created if missing)");
  create_user->add_option("--display-name", new_user.display_name, "Name shown in the UI");

  auto* audit_cmd = app.add_subcommand("audit", "Audit trail tools");
  audit_cmd->require_subcommand(1);
  CommonFlags audit_flags;
  auto* verify = audit_cmd->add_subcommand(
      "verify",
      "Check the audit chain with the master key; exits non-zero naming the first broken entry");
  AddCommonFlags(verify, audit_flags);

  AddExprCommands(app);

  auto* openapi = app.add_subcommand(
      "openapi", "Print the OpenAPI document the server serves at /api/v1/openapi.json");

  CLI11_PARSE(app, argc, argv);

  if (serve->parsed()) return Serve(serve_flags, listen, no_demo);
  if (migrate->parsed()) return MigrateCommand(migrate_flags);
  if (create_user->parsed()) return CreateUser(admin_flags, new_user);
  if (verify->parsed()) return VerifyAudit(audit_flags);
  if (openapi->parsed()) return PrintOpenApi();
  return 0;  // expr ran in its own callbacks
}

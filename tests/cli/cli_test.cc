// The `opencredit` binary as an operator runs it: real processes, real flags, real exit codes,
// stdout and stderr, signals, files on disk. Nothing is linked in from the product here except
// through the binary itself, so these tests see exactly what a shell user sees.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "crypto/digest.h"
#include "storage/testing/test_databases.h"
#include "test_client.h"
#include "test_process.h"

extern char** environ;

namespace oc::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
constexpr char kStrongPassword[] = "Operator-Chosen-2026";

// Password hashing at the lowest cost the configuration accepts: these tests are about the
// binary's plumbing, not argon2's.
const Env kFastHashing = {{"OPENCREDIT_AUTH_PASSWORD_HASH_MEMORY_KIB", "256"},
                          {"OPENCREDIT_AUTH_PASSWORD_HASH_PASSES", "1"}};

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  // Runs the binary to completion (at most 60 s; sanitizer builds are slow to start).
  Outcome Run(const std::vector<std::string>& args, const Env& env = {},
              const std::optional<std::string>& stdin_text = std::nullopt) {
    Process process(scratch_.path(), args, env, stdin_text);
    auto code = process.Wait(60s);
    EXPECT_TRUE(code) << "timed out: " << ::testing::PrintToString(args);
    return {code.value_or(-1), process.Stdout(), process.Stderr()};
  }

  fs::path Dir(const std::string& name) {
    fs::path dir = scratch_.path() / name;
    fs::create_directories(dir);
    return dir;
  }

  // Writes a fresh SQLite data directory with one administrator.
  fs::path DataDirWithAdmin(const std::string& name) {
    fs::path dir = Dir(name);
    auto created = Run({"admin", "create-user", "--data-dir", dir.string(), "--username", "boss",
                        "--password", kStrongPassword, "--role", "admin"},
                       kFastHashing);
    EXPECT_EQ(created.exit_code, 0) << created.err;
    return dir;
  }

  storage::testing::ScratchDir scratch_;
};

TEST_F(CliTest, EverySubcommandHasHelpNamingItsFlags) {
  struct Case {
    std::vector<std::string> args;
    std::vector<std::string> mentions;
  };
  const Case cases[] = {
      {{"--help"}, {"serve", "migrate", "admin", "audit"}},
      {{"serve", "--help"}, {"--listen", "--data-dir", "--database", "--config", "--no-demo"}},
      {{"migrate", "--help"}, {"--data-dir", "--database", "--config"}},
      {{"admin", "--help"}, {"create-user"}},
      {{"admin", "create-user", "--help"},
       {"--username", "--password", "--role", "--department", "--data-dir", "--database"}},
      {{"audit", "--help"}, {"verify"}},
      {{"audit", "verify", "--help"}, {"--data-dir", "--database", "--config"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(::testing::PrintToString(c.args));
    Outcome outcome = Run(c.args);
    EXPECT_EQ(outcome.exit_code, 0) << outcome.err;
    for (const std::string& flag : c.mentions) {
      EXPECT_NE(outcome.out.find(flag), std::string::npos) << flag << " not in\n" << outcome.out;
    }
  }
}

TEST_F(CliTest, UnknownSubcommandOrFlagFails) {
  EXPECT_NE(Run({"frobnicate"}).exit_code, 0);
  Outcome bad_flag = Run({"migrate", "--no-such-flag"});
  EXPECT_NE(bad_flag.exit_code, 0);
  EXPECT_NE(bad_flag.err.find("--no-such-flag"), std::string::npos) << bad_flag.err;
  EXPECT_NE(Run({}).exit_code, 0);
}

TEST_F(CliTest, MigrateAppliesThenReportsUpToDate) {
  fs::path data = Dir("data");
  Outcome first = Run({"migrate", "--data-dir", data.string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("applied "), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("done"), std::string::npos) << first.out;
  EXPECT_TRUE(fs::exists(data / "opencredit.db"));
  Outcome second = Run({"migrate", "--data-dir", data.string()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "schema is up to date\n");
}

TEST_F(CliTest, CreateUserMakesTheFirstAdministrator) {
  fs::path data = Dir("data");
  Outcome created = Run({"admin", "create-user", "--data-dir", data.string(), "--username", "boss",
                         "--password", kStrongPassword, "--role", "admin"},
                        kFastHashing);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find("created user boss"), std::string::npos) << created.out;
  EXPECT_NE(created.out.find("role admin"), std::string::npos) << created.out;
  // On an empty database the department is created as the head office.
  EXPECT_NE(created.out.find("created department 总行"), std::string::npos) << created.out;
  // The password is never echoed.
  EXPECT_EQ(created.out.find(kStrongPassword), std::string::npos);
  EXPECT_EQ(created.err.find(kStrongPassword), std::string::npos);

  Outcome again = Run({"admin", "create-user", "--data-dir", data.string(), "--username", "boss",
                       "--password", kStrongPassword, "--role", "admin"},
                      kFastHashing);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.err.find("username"), std::string::npos) << again.err;
}

TEST_F(CliTest, CreateUserRefusesAWeakPasswordNamingTheField) {
  fs::path data = Dir("data");
  Outcome short_one = Run({"admin", "create-user", "--data-dir", data.string(), "--username",
                           "boss", "--password", "short", "--role", "admin"},
                          kFastHashing);
  EXPECT_NE(short_one.exit_code, 0);
  EXPECT_NE(short_one.err.find("password:"), std::string::npos) << short_one.err;
  Outcome common = Run({"admin", "create-user", "--data-dir", data.string(), "--username", "boss",
                        "--password", "password123", "--role", "admin"},
                       kFastHashing);
  EXPECT_NE(common.exit_code, 0);
  EXPECT_NE(common.err.find("password:"), std::string::npos) << common.err;
  Outcome unknown_role = Run({"admin", "create-user", "--data-dir", data.string(), "--username",
                              "boss", "--password", kStrongPassword, "--role", "emperor"},
                             kFastHashing);
  EXPECT_NE(unknown_role.exit_code, 0);
  EXPECT_NE(unknown_role.err.find("roles"), std::string::npos) << unknown_role.err;
}

TEST_F(CliTest, CreateUserReadsThePasswordFromStdin) {
  fs::path data = Dir("data");
  Outcome created = Run({"admin", "create-user", "--data-dir", data.string(), "--username",
                         "boss", "--password", "-", "--role", "admin"},
                        kFastHashing, std::string(kStrongPassword) + "\n");
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_NE(created.out.find("created user boss"), std::string::npos);

  // The password really was the one from stdin: the server accepts it.
  Process server(scratch_.path(),
                 {"serve", "--no-demo", "--listen", "127.0.0.1:0", "--data-dir", data.string()},
                 kFastHashing);
  auto port = server.WaitForListening(60s);
  ASSERT_TRUE(port) << server.Stdout() << server.Stderr();
  TestClient client(*port);
  EXPECT_EQ(client.Login("boss", kStrongPassword).status, 200);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30s), 0);

  Outcome weak = Run({"admin", "create-user", "--data-dir", data.string(), "--username", "other",
                      "--password", "-", "--role", "auditor"},
                     kFastHashing, "tiny\n");
  EXPECT_NE(weak.exit_code, 0);
  EXPECT_NE(weak.err.find("password:"), std::string::npos) << weak.err;
}

// The highest resident memory of a running process, from the kernel's own count.
int64_t PeakResidentKib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmHWM:")) return std::stoll(line.substr(6));
  }
  return -1;
}

// Anyone can reach the sign-in, so nobody may make the server hold much memory through it: eight
// clients upload 10 MB to it at once (declared and chunked), and a signed-in user sends an object
// of 100,000 unknown fields. Each gets a short problem document, and the server's peak resident
// memory stays under 400 MiB.
TEST_F(CliTest, HostileBodiesKeepTheServersMemoryBounded) {
  fs::path data = DataDirWithAdmin("data");
  // AddressSanitizer keeps up to 256 MiB of freed memory resident to catch use after free; a
  // small quarantine lets the figure measure the server rather than the sanitizer.
  Env env = kFastHashing;
  const char* asan = std::getenv("ASAN_OPTIONS");
  env["ASAN_OPTIONS"] = std::string(asan ? asan : "") + ":quarantine_size_mb=16";
  Process server(scratch_.path(),
                 {"serve", "--no-demo", "--listen", "127.0.0.1:0", "--data-dir", data.string()},
                 env);
  auto port = server.WaitForListening(60s);
  ASSERT_TRUE(port) << server.Stdout() << server.Stderr();

  const std::string ten_megabytes(10 * 1024 * 1024, 'a');
  std::string chunks;
  const std::string megabyte(1024 * 1024, 'a');
  for (int i = 0; i < 10; ++i) chunks += "100000\r\n" + megabyte + "\r\n";
  chunks += "0\r\n\r\n";
  const std::string head =
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  std::vector<std::future<std::string>> uploads;
  for (int i = 0; i < 8; ++i) {
    uploads.push_back(std::async(std::launch::async, [&, i] {
      if (i % 2 == 0) {
        return UploadWhileReading(
            *port, head + "Content-Length: " + std::to_string(ten_megabytes.size()) + "\r\n\r\n",
            ten_megabytes);
      }
      return UploadWhileReading(*port, head + "Transfer-Encoding: chunked\r\n\r\n", chunks);
    }));
  }
  for (auto& upload : uploads) {
    std::string raw = upload.get();
    EXPECT_TRUE(raw.starts_with("HTTP/1.1 413")) << raw.substr(0, 300);
    EXPECT_NE(raw.find("\"code\":\"body_too_large\""), std::string::npos) << raw.substr(0, 300);
    EXPECT_LT(raw.size(), 4096u);
  }

  TestClient client(*port);
  ASSERT_EQ(client.Login("boss", kStrongPassword).status, 200);
  boost::json::object unknown;
  // Base-36 names keep the body of 100,000 fields inside the default 1 MiB limit.
  for (int i = 0; i < 100'000; ++i) {
    std::string name;
    for (int n = i; n > 0 || name.empty(); n /= 36)
      name += "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36];
    unknown["k" + name] = 0;
  }
  auto refused = client.PostJson("/api/v1/customers", unknown);
  EXPECT_EQ(refused.status, 422) << refused.body.substr(0, 300);
  EXPECT_LT(refused.body.size(), 64u * 1024);
  auto problem = refused.Json();
  ASSERT_TRUE(problem.is_object()) << refused.body.substr(0, 300);
  EXPECT_EQ(problem.at("errors").as_array().size(), 50u);
  EXPECT_GE(problem.at("errors_not_listed").to_number<int64_t>(), 100'000 - 50);

  const int64_t peak_kib = PeakResidentKib(server.pid());
  std::cout << "peak resident memory of the server: " << peak_kib / 1024 << " MiB\n";
  EXPECT_GT(peak_kib, 0);
  EXPECT_LT(peak_kib, 400 * 1024);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30s), 0);
}

TEST_F(CliTest, AuditVerifyPassesAnIntactChainAndNamesTheFirstEditedEntry) {
  fs::path data = DataDirWithAdmin("data");
  Outcome intact = Run({"audit", "verify", "--data-dir", data.string()});
  ASSERT_EQ(intact.exit_code, 0) << intact.out << intact.err;
  EXPECT_NE(intact.out.find("audit chain intact"), std::string::npos) << intact.out;

  // Behind the server's back: rewrite what the second entry says happened.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data / "opencredit.db").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* select = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT id FROM audit_events ORDER BY id LIMIT 1 OFFSET 1", -1,
                               &select, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(select), SQLITE_ROW) << "expected at least two audit entries";
  int64_t victim = sqlite3_column_int64(select, 0);
  sqlite3_finalize(select);
  std::string update =
      "UPDATE audit_events SET username = 'someone-else' WHERE id = " + std::to_string(victim);
  char* message = nullptr;
  ASSERT_EQ(sqlite3_exec(db, update.c_str(), nullptr, nullptr, &message), SQLITE_OK) << message;
  ASSERT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);

  Outcome broken = Run({"audit", "verify", "--data-dir", data.string()});
  EXPECT_NE(broken.exit_code, 0);
  EXPECT_NE(broken.out.find("BROKEN at entry " + std::to_string(victim)), std::string::npos)
      << broken.out << broken.err;
}

// Someone who can write the database file but cannot read the master key rewrites who acted in
// an entry and recomputes every hash after it, and the head, by the unkeyed rule an older
// version used: the chain is keyed, so `audit verify` still names the rewritten entry. Without
// the key the check refuses to run rather than vouch for anything.
TEST_F(CliTest, AuditVerifyCatchesAChainRecomputedWithoutTheKey) {
  fs::path data = DataDirWithAdmin("data");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data / "opencredit.db").c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  auto field = [](const std::string& value) {
    return std::to_string(value.size()) + ":" + value + ";";
  };
  auto text = [](sqlite3_stmt* stmt, int column) {
    const unsigned char* value = sqlite3_column_text(stmt, column);
    return value ? std::string(reinterpret_cast<const char*>(value)) : std::string();
  };
  sqlite3_stmt* select = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT id, at_us, user_id, username, action, entity_type, "
                               "entity_id, changes, detail, request_id, client_ip, prev_hash "
                               "FROM audit_events WHERE id >= 2 ORDER BY id",
                               -1, &select, nullptr),
            SQLITE_OK);
  std::vector<std::string> updates;
  std::string prev;
  int64_t last = 0;
  while (sqlite3_step(select) == SQLITE_ROW) {
    const int64_t id = sqlite3_column_int64(select, 0);
    if (prev.empty()) prev = text(select, 11);
    const std::string username = id == 2 ? "someone-else" : text(select, 3);
    const std::string content = field(text(select, 2)) + field(username) + field(text(select, 4)) +
                                field(text(select, 5)) + field(text(select, 7)) +
                                field(text(select, 8)) + field(text(select, 9)) +
                                field(text(select, 10));
    const std::string hash = crypto::Sha256Hex(
        field("2") + field(prev) + field(std::to_string(id)) + field(text(select, 1)) +
        field(text(select, 6)) + field(crypto::Sha256(content)));
    updates.push_back("UPDATE audit_events SET username = '" + username + "', prev_hash = '" +
                      prev + "', hash = '" + hash +
                      "', hash_version = 2, hash_key_id = NULL WHERE id = " + std::to_string(id));
    prev = hash;
    last = id;
  }
  sqlite3_finalize(select);
  ASSERT_GE(last, 2) << "expected at least two audit entries";
  updates.push_back("UPDATE audit_head SET last_id = " + std::to_string(last) + ", last_hash = '" +
                    prev + "'");
  for (const std::string& update : updates) {
    char* message = nullptr;
    ASSERT_EQ(sqlite3_exec(db, update.c_str(), nullptr, nullptr, &message), SQLITE_OK) << message;
  }
  sqlite3_close(db);

  Outcome broken = Run({"audit", "verify", "--data-dir", data.string()});
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.out.find("audit chain BROKEN at entry"), std::string::npos)
      << broken.out << broken.err;
  EXPECT_NE(broken.out.find("without the key"), std::string::npos) << broken.out;

  fs::path keyless = Dir("keyless");
  fs::copy_file(data / "opencredit.db", keyless / "opencredit.db");
  Outcome refused = Run({"audit", "verify", "--data-dir", keyless.string()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("No master key"), std::string::npos) << refused.err;
  EXPECT_FALSE(fs::exists(keyless / "master.key")) << "verify must not invent a key";
}

TEST_F(CliTest, AuditVerifyNoticesADeletedEntry) {
  fs::path data = DataDirWithAdmin("data");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data / "opencredit.db").c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  ASSERT_EQ(sqlite3_exec(db,
                         "DELETE FROM audit_events WHERE id = "
                         "(SELECT id FROM audit_events ORDER BY id LIMIT 1)",
                         nullptr, nullptr, &message),
            SQLITE_OK)
      << message;
  ASSERT_EQ(sqlite3_changes(db), 1);
  sqlite3_close(db);
  Outcome broken = Run({"audit", "verify", "--data-dir", data.string()});
  EXPECT_NE(broken.exit_code, 0);
  EXPECT_NE(broken.out.find("BROKEN at entry"), std::string::npos) << broken.out << broken.err;
}

TEST_F(CliTest, ServeRefusesAPublicAddressWithoutAMasterKey) {
  fs::path data = Dir("data");
  Outcome refused = Run({"serve", "--no-demo", "--listen", "0.0.0.0:0", "--data-dir",
                         data.string()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE((refused.out + refused.err).find("OPENCREDIT_MASTER_KEY"), std::string::npos)
      << refused.out << refused.err;
  EXPECT_FALSE(fs::exists(data / "master.key"));
}

TEST_F(CliTest, ServeOnLoopbackGeneratesAPrivateKeyFileAndSaysSo) {
  fs::path data = Dir("data");
  Process server(scratch_.path(),
                 {"serve", "--no-demo", "--listen", "127.0.0.1:0", "--data-dir", data.string()},
                 kFastHashing);
  auto port = server.WaitForListening(60s);
  ASSERT_TRUE(port) << server.Stdout() << server.Stderr();
  fs::path key = data / "master.key";
  ASSERT_TRUE(fs::exists(key));
  struct stat info {};
  ASSERT_EQ(stat(key.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);
  EXPECT_NE(server.Stdout().find("generated a field-encryption master key"), std::string::npos);
  EXPECT_NE(server.Stdout().find("master.key"), std::string::npos);
  std::string key_text = ReadFile(key);
  server.Signal(SIGTERM);
  ASSERT_EQ(server.Wait(30s), 0) << server.Stderr();

  // A second start reuses the key rather than replacing it (the data would be unreadable).
  Process again(scratch_.path(),
                {"serve", "--no-demo", "--listen", "127.0.0.1:0", "--data-dir", data.string()},
                kFastHashing);
  ASSERT_TRUE(again.WaitForListening(60s)) << again.Stdout() << again.Stderr();
  EXPECT_EQ(ReadFile(key), key_text);
  EXPECT_EQ(again.Stdout().find("generated a field-encryption master key"), std::string::npos);
  again.Signal(SIGTERM);
  EXPECT_EQ(again.Wait(30s), 0);
}

// An operator who starts the server with a permissive umask (a service manager's 000, a shared
// account's 002) still gets a data directory only the service's account can enter, and a
// database, log, shared memory and key only it can read.
TEST_F(CliTest, AFreshDataDirectoryAndItsFilesArePrivateWhateverTheUmask) {
  fs::path data = scratch_.path() / "fresh" / "data";
  const mode_t saved = ::umask(0);
  Process server(scratch_.path(), {"serve", "--listen", "127.0.0.1:0", "--data-dir", data.string()},
                 kFastHashing);
  ::umask(saved);
  auto port = server.WaitForListening(60s);
  ASSERT_TRUE(port) << server.Stdout() << server.Stderr();
  auto mode_of = [](const fs::path& path) {
    struct stat info {};
    EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  };
  EXPECT_EQ(mode_of(data), 0700u);
  for (const char* name :
       {"opencredit.db", "opencredit.db-wal", "opencredit.db-shm", "master.key"}) {
    EXPECT_EQ(mode_of(data / name), 0600u) << name;
  }
  for (const auto& entry : fs::directory_iterator(data)) {
    EXPECT_EQ(mode_of(entry.path()) & 0077, 0u) << entry.path() << " is open to others";
  }
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30s), 0);
}

TEST_F(CliTest, ServeOnAPublicAddressRunsWithAConfiguredKey) {
  fs::path data = Dir("data");
  // 32 bytes of key, base64, under key id 1.
  Env env = Merge(kFastHashing,
                  {{"OPENCREDIT_MASTER_KEY", "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}});
  Process server(scratch_.path(),
                 {"serve", "--no-demo", "--listen", "0.0.0.0:0", "--data-dir", data.string()},
                 env);
  auto port = server.WaitForListening(60s);
  ASSERT_TRUE(port) << server.Stdout() << server.Stderr();
  EXPECT_FALSE(fs::exists(data / "master.key"));
  EXPECT_EQ(TestClient(*port).Get("/healthz").status, 200);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30s), 0);
}

// Which data directory a command used shows in where the database file appears.
TEST_F(CliTest, ConfigFileThenEnvironmentThenFlagsEachOverrideTheLast) {
  fs::path from_file = scratch_.path() / "from-file";
  fs::path from_env = scratch_.path() / "from-env";
  fs::path from_flag = scratch_.path() / "from-flag";
  fs::path config = scratch_.path() / "opencredit.toml";
  std::ofstream(config) << "[database]\ndata_dir = \"" << from_file.string()
                        << "\"\n[log]\nlevel = \"warn\"\n";

  Outcome file_only = Run({"migrate", "--config", config.string()});
  ASSERT_EQ(file_only.exit_code, 0) << file_only.err;
  EXPECT_TRUE(fs::exists(from_file / "opencredit.db"));

  fs::remove_all(from_file);
  Outcome env_wins = Run({"migrate", "--config", config.string()},
                         {{"OPENCREDIT_DATA_DIR", from_env.string()}});
  ASSERT_EQ(env_wins.exit_code, 0) << env_wins.err;
  EXPECT_TRUE(fs::exists(from_env / "opencredit.db"));
  EXPECT_FALSE(fs::exists(from_file));

  fs::remove_all(from_env);
  Outcome flag_wins = Run({"migrate", "--config", config.string(), "--data-dir",
                           from_flag.string()},
                          {{"OPENCREDIT_DATA_DIR", from_env.string()}});
  ASSERT_EQ(flag_wins.exit_code, 0) << flag_wins.err;
  EXPECT_TRUE(fs::exists(from_flag / "opencredit.db"));
  EXPECT_FALSE(fs::exists(from_env));
  EXPECT_FALSE(fs::exists(from_file));

  // The same layering for the listen address, seen from the running server: the file says a port
  // that is taken, the environment one that is free.
  std::ofstream(config) << "[server]\nlisten = \"127.0.0.1:1\"\n[database]\ndata_dir = \""
                        << from_file.string() << "\"\n";
  Process server(scratch_.path(), {"serve", "--no-demo", "--config", config.string()},
                 Merge(kFastHashing, {{"OPENCREDIT_LISTEN", "127.0.0.1:0"}}));
  auto port = server.WaitForListening(60s);
  ASSERT_TRUE(port) << server.Stdout() << server.Stderr();
  EXPECT_NE(*port, 1);
  EXPECT_NE(server.Stdout().find(from_file.string() + "/opencredit.db"), std::string::npos);
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30s), 0);

  Outcome bad_key = Run({"migrate", "--config", config.string()},
                        {{"OPENCREDIT_AUTH_LOCKOUT_MINUTES", "soon"}});
  EXPECT_NE(bad_key.exit_code, 0);
  EXPECT_NE(bad_key.err.find("auth.lockout_minutes"), std::string::npos) << bad_key.err;
}

TEST_F(CliTest, SigtermWhileIdleExitsZero) {
  fs::path data = Dir("data");
  Process server(scratch_.path(),
                 {"serve", "--no-demo", "--listen", "127.0.0.1:0", "--data-dir", data.string()},
                 kFastHashing);
  auto port = server.WaitForListening(60s);
  ASSERT_TRUE(port) << server.Stdout() << server.Stderr();
  EXPECT_EQ(TestClient(*port).Get("/readyz").status, 200);
  auto signalled = std::chrono::steady_clock::now();
  server.Signal(SIGTERM);
  ASSERT_EQ(server.Wait(30s), 0) << server.Stderr();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, 10s);
  EXPECT_NE(server.Stdout().find("opencredit stopped"), std::string::npos);
}

TEST_F(CliTest, SigtermLetsASlowInFlightRequestFinishThenExitsZero) {
  fs::path data = DataDirWithAdmin("data");
  // A sign-in for an unknown user still pays a full password hash (so timing reveals nothing);
  // at this cost that takes long enough to still be running when the signal arrives.
  Env slow = {{"OPENCREDIT_AUTH_PASSWORD_HASH_MEMORY_KIB", "65536"},
              {"OPENCREDIT_AUTH_PASSWORD_HASH_PASSES", "40"},
              {"OPENCREDIT_SERVER_SHUTDOWN_GRACE_SECONDS", "60"}};
  Process server(scratch_.path(),
                 {"serve", "--no-demo", "--listen", "127.0.0.1:0", "--data-dir", data.string()},
                 slow);
  auto port = server.WaitForListening(60s);
  ASSERT_TRUE(port) << server.Stdout() << server.Stderr();

  auto started = std::chrono::steady_clock::now();
  auto in_flight = std::async(std::launch::async, [port = *port] {
    TestClient client(port);
    return client.Login("nobody-here", "Some-Password-2026");
  });
  // Give the request time to reach the worker pool; the hash it starts takes far longer.
  std::this_thread::sleep_for(500ms);
  ASSERT_EQ(in_flight.wait_for(0ms), std::future_status::timeout)
      << "the request finished before the signal; raise the hash cost";
  server.Signal(SIGTERM);
  auto exit_code = server.Wait(60s);
  HttpResult result = in_flight.get();
  EXPECT_EQ(result.status, 401) << result.body;
  ASSERT_EQ(exit_code, 0) << server.Stderr();
  EXPECT_GT(std::chrono::steady_clock::now() - started, 500ms);
  // New connections are refused once the server has stopped.
  EXPECT_ANY_THROW(TestClient(*port).Get("/healthz"));
}

TEST_F(CliTest, ServeOnPostgresqlIsReady) {
  const char* url = std::getenv("OC_TEST_POSTGRES_URL");
  if (url == nullptr || *url == '\0') {
    if (storage::testing::MaySkipUnavailableBackend()) GTEST_SKIP() << "no PostgreSQL";
    FAIL() << "OC_TEST_POSTGRES_URL is not set; run under scripts/with-postgres.sh";
  }
  fs::path data = Dir("data");
  Process server(scratch_.path(),
                 {"serve", "--no-demo", "--listen", "127.0.0.1:0", "--data-dir", data.string(),
                  "--database", url},
                 kFastHashing);
  auto port = server.WaitForListening(60s);
  ASSERT_TRUE(port) << server.Stdout() << server.Stderr();
  EXPECT_NE(server.Stdout().find("PostgreSQL"), std::string::npos);
  EXPECT_FALSE(fs::exists(data / "opencredit.db"));
  auto ready = TestClient(*port).Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  server.Signal(SIGTERM);
  EXPECT_EQ(server.Wait(30s), 0);

  // The chain is sealed under the master key the server generated into the data directory.
  Outcome verify = Run({"audit", "verify", "--database", url, "--data-dir", data.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace oc::testing

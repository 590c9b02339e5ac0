#pragma once
// The opencredit binary as a child process, for the tests that run it the way an operator does:
// real flags, exit codes, signals (SIGTERM, SIGKILL) and output files. The including target
// defines OC_BINARY, the path of the binary it depends on.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace oc::testing {

using Env = std::map<std::string, std::string>;

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline Env Merge(Env a, const Env& b) {
  for (const auto& [k, v] : b) a[k] = v;
  return a;
}

// A child process running the binary. Its environment is built from scratch (PATH and the
// sanitizer settings only, plus what the test passes), so an OPENCREDIT_* variable in the
// developer's shell cannot change what a test observes. Output goes to files in `dir`.
class Process {
 public:
  Process(const std::filesystem::path& dir, const std::vector<std::string>& args, const Env& env,
          const std::optional<std::string>& stdin_text = std::nullopt) {
    static int counter = 0;
    std::string stem = "proc" + std::to_string(++counter);
    stdout_path_ = dir / (stem + ".out");
    stderr_path_ = dir / (stem + ".err");

    std::vector<std::string> argv_storage{OC_BINARY};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_storage) argv.push_back(a.data());
    argv.push_back(nullptr);

    Env full;
    for (const char* name : {"PATH", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "TZ"}) {
      if (const char* v = std::getenv(name)) full[name] = v;
    }
    full = Merge(full, env);
    std::vector<std::string> env_storage;
    for (const auto& [k, v] : full) env_storage.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& e : env_storage) envp.push_back(e.data());
    envp.push_back(nullptr);

    int in_pipe[2] = {-1, -1};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (stdin_text) {
      if (pipe(in_pipe) != 0) std::abort();
      posix_spawn_file_actions_adddup2(&actions, in_pipe[0], STDIN_FILENO);
      posix_spawn_file_actions_addclose(&actions, in_pipe[1]);
      posix_spawn_file_actions_addclose(&actions, in_pipe[0]);
    } else {
      posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path_.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int spawned = posix_spawn(&pid_, OC_BINARY, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) {
      ADD_FAILURE() << "cannot start " << OC_BINARY << ": " << std::strerror(spawned);
      pid_ = -1;
    }
    if (stdin_text) {
      close(in_pipe[0]);
      // Small enough for the pipe buffer, so this never waits for the child.
      if (write(in_pipe[1], stdin_text->data(), stdin_text->size()) < 0) std::abort();
      close(in_pipe[1]);
    }
  }

  ~Process() {
    if (pid_ > 0 && !exit_code_) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }

  // The exit code, or nullopt if the process is still running after `timeout`. A death by signal
  // is reported as 128 + the signal number, as a shell would.
  std::optional<int> Wait(std::chrono::milliseconds timeout) {
    if (exit_code_ || pid_ <= 0) return exit_code_;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return exit_code_;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  void Signal(int signal) { kill(pid_, signal); }
  pid_t pid() const { return pid_; }
  std::string Stdout() const { return ReadFile(stdout_path_); }
  std::string Stderr() const { return ReadFile(stderr_path_); }

  // Waits for the server's "listening" log line and returns its port.
  std::optional<uint16_t> WaitForListening(std::chrono::milliseconds timeout) {
    static const std::regex kListening(R"(listening on http://[^:]+:(\d+))");
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      std::smatch match;
      std::string out = Stdout();
      if (std::regex_search(out, match, kListening)) {
        return static_cast<uint16_t>(std::stoi(match[1]));
      }
      if (Wait(std::chrono::milliseconds(0))) return std::nullopt;  // exited instead
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
};

}  // namespace oc::testing

#pragma once
// Log lines as JSON objects, one per line, so operators can ship them to any log store:
// {"ts":"…Z","level":"info","logger":"app","msg":"…"}. Messages are JSON-escaped, so a value
// with quotes or newlines cannot break or forge a line.

#include <memory>
#include <string>

#include <spdlog/async.h>
#include <spdlog/logger.h>

namespace oc::app {

// A logger writing JSON lines to standard output at `level` ("info", "debug", …).
std::shared_ptr<spdlog::logger> MakeJsonLogger(const std::string& name, const std::string& level);

// The access log: lines the HTTP server already formats as JSON, written asynchronously by the
// pool's thread. The logger only holds a weak reference to its pool: keep both alive together.
struct AccessLog {
  std::shared_ptr<spdlog::details::thread_pool> pool;
  std::shared_ptr<spdlog::logger> logger;
};
AccessLog MakeAccessLog();

// The formatter itself, for tests that log into a string stream.
std::unique_ptr<spdlog::formatter> MakeJsonFormatter();

}  // namespace oc::app

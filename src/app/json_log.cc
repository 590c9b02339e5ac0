#include "app/json_log.h"

#include <boost/json.hpp>
#include <spdlog/async.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

#include "core/clock.h"

namespace oc::app {

namespace {

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    boost::json::object line;
    line["ts"] = FormatInstant(std::chrono::time_point_cast<std::chrono::microseconds>(msg.time));
    line["level"] = std::string_view(spdlog::level::to_string_view(msg.level).data(),
                                     spdlog::level::to_string_view(msg.level).size());
    line["logger"] = std::string_view(msg.logger_name.data(), msg.logger_name.size());
    line["msg"] = std::string_view(msg.payload.data(), msg.payload.size());
    std::string out = boost::json::serialize(line);
    out += '\n';
    dest.append(out.data(), out.data() + out.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

std::unique_ptr<spdlog::formatter> MakeJsonFormatter() { return std::make_unique<JsonFormatter>(); }

std::shared_ptr<spdlog::logger> MakeJsonLogger(const std::string& name, const std::string& level) {
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  sink->set_formatter(MakeJsonFormatter());
  auto logger = std::make_shared<spdlog::logger>(name, sink);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  return logger;
}

AccessLog MakeAccessLog() {
  // The server formats each line as JSON already. Writing happens on a background thread so a
  // slow terminal or pipe never holds up a network thread; a full queue blocks rather than drops
  // lines, because the access log is an operational record.
  AccessLog log;
  log.pool = std::make_shared<spdlog::details::thread_pool>(65536, 1);
  auto sink = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  sink->set_pattern("%v");
  log.logger = std::make_shared<spdlog::async_logger>("access", sink, log.pool,
                                                      spdlog::async_overflow_policy::block);
  return log;
}

}  // namespace oc::app

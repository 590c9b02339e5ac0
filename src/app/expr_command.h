#pragma once
// `opencredit expr eval|check`: the expression language from the shell, for administrators
// writing rules and for scripts.
//
//   opencredit expr eval 'EXPR' [--vars JSON] [--schema JSON] [--today YYYY-MM-DD] [--explain]
//       prints {"value": …, "type": "…"} (and "explain": […]) and exits 0, or prints
//       {"errors": [{code, message, line, column, offset, length}]} and exits 2.
//   opencredit expr check 'EXPR' [--schema JSON] [--vars JSON]
//       prints {"valid": true, "type": "…", "referenced_fields": […]} and exits 0, or the
//       errors and exits 2.
// Without --schema the field types are inferred from --vars. Messages follow --lang (zh-CN
// by default, en-US). TODAY() is --today, else the system clock's date in UTC+8; NOW() is the
// system clock.

#include <iosfwd>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

namespace oc::app {

struct ExprCommandOptions {
  std::string expression;
  std::optional<std::string> vars_json;
  std::optional<std::string> schema_json;
  std::optional<std::string> today;  // YYYY-MM-DD
  std::string language = "zh-CN";
  bool explain = false;
};

// Runs `expr eval` (evaluate = true) or `expr check`, printing the JSON result to `out`.
// Returns the exit code: 0, or 2 when the expression or the inputs are invalid.
int RunExprCommand(const ExprCommandOptions& options, bool evaluate, std::ostream& out);

// Adds the `expr` command with its `eval` and `check` subcommands to `app`. They run from
// CLI11 callbacks; a failure ends parsing with CLI::RuntimeError(2), which CLI11_PARSE turns
// into exit code 2.
void AddExprCommands(CLI::App& app);

}  // namespace oc::app

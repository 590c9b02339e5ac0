#include "app/expr_command.h"

#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "api/expr_json.h"
#include "core/clock.h"
#include "expr/expr.h"
#include "runtime/business_calendar.h"

namespace oc::app {
namespace {

namespace json = boost::json;

int PrintErrors(json::array errors, std::ostream& out) {
  out << json::serialize(json::object{{"errors", std::move(errors)}}) << "\n";
  return 2;
}

int PrintError(const Error& error, std::string_view language, std::ostream& out) {
  json::array errors;
  for (const auto& v : error.field_violations) {
    errors.push_back(
        json::object{{"field", v.field}, {"code", v.code}, {"message", v.message.In(language)}});
  }
  if (errors.empty()) {
    errors.push_back(json::object{{"code", ErrorCodeName(error.code)},
                                  {"message", error.message.In(language)}});
  }
  return PrintErrors(std::move(errors), out);
}

std::optional<json::value> ParseJson(const std::string& text, std::string_view option,
                                     std::string_view language, std::ostream& out) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) {
    PrintError(InvalidField(std::string(option), "invalid_json",
                            {"不是有效的 JSON", "is not valid JSON"}),
               language, out);
    return std::nullopt;
  }
  return v;
}

}  // namespace

int RunExprCommand(const ExprCommandOptions& options, bool evaluate, std::ostream& out) {
  const std::string& lang = options.language;
  json::object variables;
  if (options.vars_json) {
    auto v = ParseJson(*options.vars_json, "--vars", lang, out);
    if (!v) return 2;
    if (!v->is_object()) {
      return PrintError(InvalidField("--vars", "not_an_object",
                                     {"须为 JSON 对象", "must be a JSON object"}),
                        lang, out);
    }
    variables = v->get_object();
  }
  Result<expr::Schema> schema = expr::Schema();
  if (options.schema_json) {
    auto v = ParseJson(*options.schema_json, "--schema", lang, out);
    if (!v) return 2;
    schema = api::ExprSchemaFromJson(*v);
  } else {
    schema = api::InferExprSchema(variables);
  }
  if (!schema) return PrintError(schema.error(), lang, out);

  auto compiled = expr::Compile(options.expression, *schema);
  if (!compiled) {
    json::array errors;
    for (const auto& d : compiled.error()) {
      errors.push_back(api::ExprDiagnosticToJson(d, lang, ""));
    }
    return PrintErrors(std::move(errors), out);
  }
  std::string type = compiled->result_type().Name();
  if (!evaluate) {
    json::array fields;
    for (const auto& f : compiled->referenced_fields()) fields.push_back(json::string(f));
    out << json::serialize(json::object{
               {"valid", true}, {"type", type}, {"referenced_fields", std::move(fields)}})
        << "\n";
    return 0;
  }

  auto record = api::ExprRecordFromJson(variables, *schema);
  if (!record) return PrintError(record.error(), lang, out);
  SystemClock clock;
  expr::EvalContext ctx;
  ctx.clock = &clock;
  // Without a database there is no business calendar: WORKDAY, NETWORKDAYS and ISWORKDAY count
  // by the national one this release ships.
  const runtime::CalendarView national = runtime::ShippedChinaCalendar();
  national.ApplyTo(ctx);
  if (options.today) {
    ctx.today = Date::Parse(*options.today);
    if (!ctx.today) {
      return PrintError(InvalidField("--today", "invalid_date",
                                     {"须为 YYYY-MM-DD 格式的日期", "must be a date YYYY-MM-DD"}),
                        lang, out);
    }
  }
  auto explained = expr::Explain(*compiled, *record, ctx);
  if (!explained) {
    json::array errors;
    errors.push_back(api::ExprDiagnosticToJson(explained.error(), lang, ""));
    return PrintErrors(std::move(errors), out);
  }
  json::object result{{"value", api::ExprValueToJson(explained->value)}, {"type", type}};
  if (options.explain) result["explain"] = api::ExprExplanationToJson(*explained);
  out << json::serialize(result) << "\n";
  return 0;
}

void AddExprCommands(CLI::App& app) {
  auto* expr_cmd = app.add_subcommand("expr", "Evaluate or check a formula / 公式求值与检查");
  expr_cmd->require_subcommand(1);

  auto eval_options = std::make_shared<ExprCommandOptions>();
  auto* eval = expr_cmd->add_subcommand("eval", "Evaluate an expression and print the result");
  eval->add_option("expression", eval_options->expression, "The expression")->required();
  eval->add_option("--vars", eval_options->vars_json, "Variables as a JSON object");
  eval->add_option("--schema", eval_options->schema_json,
                   R"(Field types: [{"name":"金额","type":"number"}] or {"金额":"number"})");
  eval->add_option("--today", eval_options->today, "Business date for TODAY() (YYYY-MM-DD)");
  eval->add_option("--lang", eval_options->language, "Message language: zh-CN or en-US");
  eval->add_flag("--explain", eval_options->explain, "Also print each sub-expression's value");
  eval->callback([eval_options] {
    if (int code = RunExprCommand(*eval_options, true, std::cout); code != 0) {
      throw CLI::RuntimeError(code);
    }
  });

  auto check_options = std::make_shared<ExprCommandOptions>();
  auto* check = expr_cmd->add_subcommand("check", "Type-check an expression without running it");
  check->add_option("expression", check_options->expression, "The expression")->required();
  check->add_option("--schema", check_options->schema_json, "Field types as JSON");
  check->add_option("--vars", check_options->vars_json,
                    "Sample variables to infer field types from, when --schema is absent");
  check->add_option("--lang", check_options->language, "Message language: zh-CN or en-US");
  check->callback([check_options] {
    if (int code = RunExprCommand(*check_options, false, std::cout); code != 0) {
      throw CLI::RuntimeError(code);
    }
  });
}

}  // namespace oc::app

#pragma once
// The expression language shared by forms, approval flows, rules and reports: an Excel-like
// formula and condition language that business staff write, e.g.
//   IF(AND(负债率 > 0.8, 逾期天数 >= 3), "高", "中")
//   DAYS(应还款日, TODAY()) <= 3
//   金额 >= 100000 AND 客户类型 IN ("个人", "个体工商户")
//
// Pipeline: Compile() lexes and parses the source, binds field names against a Schema, resolves
// functions and overloads, type-checks, and produces a CompiledExpr: a compact tree of typed
// nodes with field slots and constants resolved, so Evaluate() never re-parses or looks a name
// up. Compile once, evaluate millions of times against different Records.
//
// Semantics (the full reference is docs in README.md beside this header):
// - Types: boolean, integer (int64), number (exact decimal, 18 fractional digits, 38 digits in
//   all), text (UTF-8; lengths and positions count characters), date, datetime, list, null.
//   Integer converts to number implicitly; nothing else converts implicitly. date ± integer is a
//   date; date - date is an integer number of days.
// - Null: arithmetic, comparison, IN and BETWEEN with a null operand give null; AND/OR/NOT are
//   three-valued (FALSE AND NULL = FALSE, TRUE OR NULL = TRUE); a condition that evaluates to
//   null counts as false (IF, IFS, EvaluateCondition). Functions return null when a required
//   argument is null, except ISBLANK, COALESCE, IF/IFS/SWITCH, CONCAT and & (null is empty text)
//   and the aggregates (which skip nulls).
// - Errors are values: compile errors are Diagnostics with code, bilingual message and position;
//   run-time errors (division by zero, invalid date, budget exceeded, …) are one Diagnostic.
//   Nothing here throws, crashes or loops without bound on any input.
//
// Thread-safety: Schema, CompiledExpr and EvalContext are immutable after construction and may
// be shared between threads; a Record is a plain value (one per evaluating thread).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/error.h"
#include "expr/diagnostic.h"
#include "expr/value.h"

namespace oc::expr {

struct FieldSchema {
  std::string name;
  Type type;
};

// The typed fields an expression may reference, in slot order.
class Schema {
 public:
  Schema() = default;
  // Returns kInvalidArgument (field "schema") when a name is empty or appears twice, or a type
  // is null or a list of null.
  static Result<Schema> Create(std::vector<FieldSchema> fields);

  // The slot of `name` (exact, case-sensitive match), or nullopt.
  std::optional<size_t> Find(std::string_view name) const;
  const std::vector<FieldSchema>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  // Identifies names and types; records and compiled expressions carry it so a record built for
  // another schema is rejected instead of read through the wrong slots.
  uint64_t fingerprint() const { return fingerprint_; }

 private:
  std::vector<FieldSchema> fields_;
  uint64_t fingerprint_ = 0;
};

// One set of field values, in the slots of a Schema. Unset fields are null.
class Record {
 public:
  // REQUIRES: `schema` outlives the record.
  explicit Record(const Schema& schema);

  // Sets a field by name. An integer is accepted for a number field (converted); a null is
  // accepted for any field. Returns kNotFound for an unknown name, kInvalidArgument (field =
  // the name, code "wrong_type") when the value's type does not match the field's.
  Status Set(std::string_view name, Value value);
  // Sets a slot without checks, for hosts that fill records in bulk.
  // REQUIRES: slot < size(), and value is null or of the slot's type (integer for an integer
  // field, number for a number field, …).
  void SetSlot(size_t slot, Value value) { values_[slot] = std::move(value); }
  const Value& Get(size_t slot) const { return values_[slot]; }
  size_t size() const { return values_.size(); }
  uint64_t fingerprint() const { return fingerprint_; }

 private:
  const Schema* schema_;
  std::vector<Value> values_;
  uint64_t fingerprint_;
};

struct CompileOptions {
  size_t max_source_bytes = 16 * 1024;
  int max_depth = 128;  // nesting levels of the syntax tree
  // When set, the expression must produce this type (integer is accepted for number; null for
  // anything): e.g. boolean for a condition. Otherwise "wrong_result_type".
  std::optional<Type> expected_type;
};

// Limits on one evaluation. Exceeding one is an error ("budget_exceeded",
// "size_limit_exceeded", "regex_too_costly"), never a hang or an exhausted memory.
struct Budget {
  uint64_t max_steps = 1'000'000;        // node evaluations plus per-item work in functions
  size_t max_text_bytes = 1 << 20;       // any intermediate or final text
  size_t max_list_items = 100'000;       // any intermediate or final list
  size_t max_regex_input_chars = 10'000; // REGEXMATCH input (the matcher is linear; see regex.h)
};

struct EvalContext {
  // The business date; TODAY() returns it when set.
  std::optional<Date> today;
  // NOW(), and TODAY() when `today` is not set. Null means neither is available, and calling
  // them is an error ("no_business_date"); the wall clock is never read directly.
  const Clock* clock = nullptr;
  // The zone in which datetimes are split into dates and times (default Asia/Shanghai, UTC+8).
  int utc_offset_minutes = 480;
  // The calendar of WORKDAY, NETWORKDAYS and ISWORKDAY: the days of the week that are working
  // days (bit 0 Monday … bit 6 Sunday; Monday to Friday by default), public holidays, and days
  // off that are working days (调休). A date listed as extra working day is one, whatever else
  // says. Any order; the lists must outlive the evaluation.
  uint8_t work_week = 0b0011111;
  std::span<const Date> holidays;
  std::span<const Date> extra_workdays;
  Budget budget;
};

namespace internal {
struct Program;
}

// A compiled expression. Immutable, cheap to copy (shared), safe to evaluate from many threads.
class CompiledExpr {
 public:
  const std::string& source() const;
  // The static result type (null only for an expression that is always NULL).
  Type result_type() const;
  // The schema fields the expression reads, in order of first use (for dependency graphs).
  const std::vector<std::string>& referenced_fields() const;

 private:
  friend tl::expected<CompiledExpr, std::vector<Diagnostic>> Compile(std::string_view,
                                                                     const Schema&,
                                                                     const CompileOptions&);
  friend const internal::Program& ProgramOf(const CompiledExpr&);
  CompiledExpr() = default;  // only Compile makes one, so every instance holds a program

  std::shared_ptr<const internal::Program> program_;
};

using CompileResult = tl::expected<CompiledExpr, std::vector<Diagnostic>>;
using EvalResult = tl::expected<Value, Diagnostic>;

// Compiles `source` against `schema`. Returns every error found: the first syntax error (the
// parser does not guess past one), or else every name and type error in source order.
CompileResult Compile(std::string_view source, const Schema& schema,
                      const CompileOptions& options = {});

// The source with field references renamed: each reference whose name `rename` maps to a new
// name is rewritten (bare when the new name allows it, else in braces); everything else —
// spacing, texts, function names, other references — stays exactly as written. Hosts store
// expressions under field keys and show them under labels with it.
// Errors: the syntax error, as Compile reports it.
// REQUIRES: every new name is non-empty, without '}' and without surrounding blanks.
using FieldRename = std::function<std::optional<std::string>(std::string_view name)>;
tl::expected<std::string, std::vector<Diagnostic>> RenameFields(std::string_view source,
                                                                const FieldRename& rename,
                                                                const CompileOptions& options = {});

// Evaluates against one record. The value has the kind of expr.result_type() (or is null; an
// integer-typed expression never yields a number). Errors: "record_mismatch" when the record was
// built for a different schema, otherwise the run-time error of the first failing node.
EvalResult Evaluate(const CompiledExpr& expr, const Record& record, const EvalContext& context);

// Evaluates a condition: true only when the value is TRUE; FALSE and null give false.
// REQUIRES: expr.result_type() is boolean or null (compile with expected_type = boolean).
tl::expected<bool, Diagnostic> EvaluateCondition(const CompiledExpr& expr, const Record& record,
                                                 const EvalContext& context);

// One evaluated sub-expression: its source text and position, its value, and its depth in the
// tree (0 = the whole expression).
struct TraceStep {
  std::string text;
  int line = 1;
  int column = 1;
  int offset = 0;
  int length = 0;
  int depth = 0;
  Value value;
};

struct Explanation {
  Value value;
  // Every sub-expression that was evaluated, children before parents (short-circuited branches
  // are absent). "负债率 = 0.83", "负债率 > 0.8 = true", …
  std::vector<TraceStep> steps;
};

// Evaluate() that also records the value of each evaluated sub-expression. Same errors.
tl::expected<Explanation, Diagnostic> Explain(const CompiledExpr& expr, const Record& record,
                                              const EvalContext& context);

// The names of every built-in function, upper case, sorted (for editors' completion lists).
std::vector<std::string> FunctionNames();

}  // namespace oc::expr

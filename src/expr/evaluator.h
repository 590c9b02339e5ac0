#pragma once
// Walks a compiled Program against one record (internal to the expr module). One Evaluator per
// evaluation; it counts steps against the budget and stops at the first run-time error.

#include <optional>
#include <vector>

#include "expr/expr.h"
#include "expr/program.h"

namespace oc::expr::internal {

// The three values of a condition.
enum class Truth : uint8_t { kFalse, kTrue, kNull };

class Evaluator {
 public:
  // `trace`, when not null, receives (node, value) for every evaluated node, children first.
  Evaluator(const Program& program, const Record& record, const EvalContext& context,
            std::vector<std::pair<uint32_t, Value>>* trace)
      : p_(program), record_(record), ctx_(context), trace_(trace) {}

  EvalResult Run();

 private:
  friend class Call;

  Value Eval(uint32_t index);
  // Evaluates a node, returning a reference to the record's or constant's value for leaves so
  // the hot comparisons copy nothing; other nodes are evaluated into `scratch`.
  const Value& EvalRef(uint32_t index, Value& scratch);
  Value EvalNode(uint32_t index, const Node& n);
  Value Arith(const Node& n);
  Truth Compare(const Node& n);
  Truth Logic(const Node& n);  // AND, OR
  // Evaluates a boolean-typed node; kNull also when an error was recorded.
  Truth EvalTruth(uint32_t index);
  static Value FromTruth(Truth t);
  Value In(const Node& n);
  Value Between(const Node& n);
  Value Concat(const Node& n);
  Value CallBuiltin(uint32_t index, const Node& n);
  Value Fail(uint32_t node, ErrorKind kind, const std::vector<MessageArg>& args = {});
  // Counts one node evaluation against the budget; the failure path stays out of line so the
  // check inlines into the hot loop.
  bool Step(uint32_t index) {
    if (++steps_ <= ctx_.budget.max_steps) [[likely]] return true;
    return OverBudget(index);
  }
  [[gnu::noinline]] bool OverBudget(uint32_t index);

  const Program& p_;
  const Record& record_;
  const EvalContext& ctx_;
  std::vector<std::pair<uint32_t, Value>>* trace_;
  uint64_t steps_ = 0;
  bool failed_ = false;
  std::optional<Diagnostic> error_;
  std::vector<Value> stack_;  // arguments of built-in calls
};

}  // namespace oc::expr::internal

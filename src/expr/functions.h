#pragma once
// The table of built-in functions evaluated eagerly (internal to the expr module). The
// functions that decide which arguments to evaluate (IF, IFS, SWITCH, AND, OR, NOT, COALESCE)
// are operations of their own in the checker and evaluator instead.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "expr/diagnostic.h"
#include "expr/regex.h"
#include "expr/value.h"

namespace oc::expr {
struct EvalContext;
}

namespace oc::expr::internal {

class Evaluator;

// What a built-in sees of the evaluation it runs in. Implemented by the evaluator.
class Call {
 public:
  Call(Evaluator* evaluator, uint32_t node, std::string_view name)
      : evaluator_(evaluator), node_(node), name_(name) {}

  const EvalContext& context() const;
  // The static result type the checker gave this call.
  Type result_type() const;
  std::string_view name() const { return name_; }
  // Records a run-time error at this call; the returned null is what the built-in returns.
  Value Fail(ErrorKind kind, const std::vector<MessageArg>& args = {});
  // Adds `steps` of work to the budget; false (and the error recorded) when it is exhausted.
  bool Charge(uint64_t steps);
  // False (and "size_limit_exceeded" recorded) when a text of `bytes` would exceed the budget.
  bool FitsText(size_t bytes);
  // The pattern pre-compiled by the checker when it was a literal; null otherwise.
  const Regex* constant_regex() const;
  // TODAY(): the business date, or the clock's date in the context's zone; nullopt (and the
  // error recorded) when neither is available.
  std::optional<Date> Today();

 private:
  Evaluator* evaluator_;
  uint32_t node_;
  std::string_view name_;
};

enum class ResultRule : uint8_t {
  kNumber,
  kInteger,
  kText,
  kBoolean,
  kDate,
  kDateTime,
  kNumericLike,  // integer when every numeric argument (or list element) is an integer
};

struct Builtin {
  std::string_view name;
  // One letter per parameter (see ParamAccepts in checker.cc); when max_args is -1 the last
  // letter repeats.
  std::string_view params;
  int min_args;
  int max_args;
  ResultRule result;
  bool null_propagates;  // any null argument makes the result null without calling `fn`
  Value (*fn)(Call& call, std::span<const Value> args);
};

std::span<const Builtin> Builtins();
// REQUIRES: upper_name is upper case.
const Builtin* FindBuiltin(std::string_view upper_name);
// IF, IFS, SWITCH, AND, OR, NOT, COALESCE.
std::span<const std::string_view> SpecialForms();

}  // namespace oc::expr::internal

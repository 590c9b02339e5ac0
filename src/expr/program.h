#pragma once
// The compiled form of an expression (internal to the expr module): a flat array of typed nodes
// whose children are index ranges into `kids`, with field slots, constants, built-in functions
// and constant regular expressions resolved by the checker. The evaluator walks it without any
// name lookup or type test beyond what each node's operation needs. Immutable once built.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "expr/diagnostic.h"
#include "expr/regex.h"
#include "expr/value.h"

namespace oc::expr {
class CompiledExpr;
}

namespace oc::expr::internal {

enum class Op : uint8_t {
  kConst,     // aux = constant index
  kField,     // aux = slot
  kList,      // children = items
  kToNumber,  // integer (or list of integers) → number where it meets a number (IF branches,
              // list items, COALESCE)
  kNegate,    // integer or number
  kNot,
  kAnd,       // children: 2 or more; three-valued, short-circuit
  kOr,
  kArith,     // mode = ArithMode; children = left, right
  kConcat,    // children: 2 or more; null is empty text
  kCompare,   // mode = CompareMode | (CompareOp << 4)
  kIn,        // children = needle, items… (or needle, list when aux == 1)
  kBetween,   // children = value, low, high; mode = CompareMode
  kIf,        // children = condition, then, [else]
  kIfs,       // children = condition, value, …
  kSwitch,    // children = subject, case, value, …, [default]; mode = CompareMode
  kCoalesce,
  kCall,      // aux = built-in index; children = arguments
};

enum class ArithMode : uint8_t {
  kAddInt, kSubInt, kMulInt, kModInt,
  kAddNum, kSubNum, kMulNum, kDivNum, kModNum, kPowNum,
  kDatePlusDays, kDateMinusDays, kDaysBetween,
};

// How two values of the same static class compare.
enum class CompareMode : uint8_t { kNumeric, kText, kBoolean, kDate, kDateTime, kList, kNull };
enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

struct Node {
  Op op = Op::kConst;
  uint8_t mode = 0;
  Type type;
  uint32_t first = 0;   // first child in Program::kids
  uint32_t count = 0;   // number of children
  uint32_t aux = 0;
  SourceSpan span;
};

struct Program {
  std::string source;
  std::vector<Node> nodes;
  std::vector<uint32_t> kids;
  std::vector<Value> constants;
  // Pre-compiled patterns of REGEXMATCH calls whose pattern is a literal, by node index;
  // null where the pattern is computed at run time.
  std::vector<std::shared_ptr<const Regex>> regexes;
  uint32_t root = 0;
  Type result_type;
  uint64_t schema_fingerprint = 0;
  std::vector<std::string> referenced_fields;

  std::span<const uint32_t> Children(const Node& n) const {
    return std::span<const uint32_t>(kids.data() + n.first, n.count);
  }
};

}  // namespace oc::expr::internal

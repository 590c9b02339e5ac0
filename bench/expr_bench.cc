// Expression language speed: one typical rule condition compiled once and evaluated against a
// million different records, and the compile time of a 200-character expression.
// Goals (issue 5): >= 10 million evaluations per second on one core; compile < 20 µs.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <random>

#include "expr/expr.h"

namespace oc::expr {
namespace {

constexpr std::string_view kRuleCondition = R"(AND(负债率 > 0.8, 逾期天数 >= 3, 客户类型 = "个人"))";

// About 200 characters: the kind of expression an approval branch or a scorecard line holds.
constexpr std::string_view kLongExpression =
    R"(IF(AND(负债率 > 0.8, 逾期天数 >= 3, 客户类型 IN ("个人", "个体工商户")), "高", )"
    R"(IF(OR(金额 >= 500000, DAYS(应还款日, TODAY()) <= 3), "中", IF(ISBLANK(客户类型), "未知", )"
    R"(IF(ROUND(金额 * 负债率, 2) > 100000 AND LEN(客户类型) >= 2, "关注", "低")))))";

Schema MakeSchema() {
  auto schema = Schema::Create({{"负债率", Type::Of(TypeKind::kNumber)},
                                {"逾期天数", Type::Of(TypeKind::kInteger)},
                                {"客户类型", Type::Of(TypeKind::kText)},
                                {"金额", Type::Of(TypeKind::kNumber)},
                                {"应还款日", Type::Of(TypeKind::kDate)}});
  if (!schema) std::abort();
  return *schema;
}

void BM_EvaluateRuleCondition(benchmark::State& state) {
  Schema schema = MakeSchema();
  auto expr = Compile(kRuleCondition, schema);
  if (!expr) std::abort();
  // A million different records, built before timing starts.
  constexpr size_t kRecords = 1'000'000;
  static constexpr std::string_view kTypes[] = {"个人", "个体工商户", "企业"};
  std::mt19937_64 rng(42);
  std::vector<Record> records;
  records.reserve(kRecords);
  for (size_t i = 0; i < kRecords; ++i) {
    Record r(schema);
    r.SetSlot(0, Value::Number(Decimal::FromParts(int64_t(rng() % 10000), 4)));  // 0.0000-0.9999
    r.SetSlot(1, Value::Integer(int64_t(rng() % 10)));
    r.SetSlot(2, Value::Text(std::string(kTypes[rng() % 3])));
    records.push_back(std::move(r));
  }
  EvalContext ctx;
  size_t i = 0;
  int64_t hits = 0;
  for (auto _ : state) {
    auto v = EvaluateCondition(*expr, records[i], ctx);
    hits += v.has_value() && *v;
    if (++i == kRecords) i = 0;
  }
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateRuleCondition);

void BM_CompileLongExpression(benchmark::State& state) {
  Schema schema = MakeSchema();
  for (auto _ : state) {
    auto expr = Compile(kLongExpression, schema);
    if (!expr) std::abort();
    benchmark::DoNotOptimize(expr);
  }
  double chars = 0;
  for (char c : kLongExpression) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  state.counters["source_chars"] = chars;
}
BENCHMARK(BM_CompileLongExpression);

void BM_CompileRuleCondition(benchmark::State& state) {
  Schema schema = MakeSchema();
  for (auto _ : state) {
    auto expr = Compile(kRuleCondition, schema);
    benchmark::DoNotOptimize(expr);
  }
}
BENCHMARK(BM_CompileRuleCondition);

}  // namespace
}  // namespace oc::expr

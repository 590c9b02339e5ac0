// The expression language on arbitrary input: lexing, parsing, checking and a bounded
// evaluation must never crash, leak, overflow the stack or run past the budget, and a value
// must always have the kind of the expression's static type.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/clock.h"
#include "expr/expr.h"

namespace {

using oc::expr::Type;
using oc::expr::TypeKind;
using oc::expr::Value;

const oc::expr::Schema& FuzzSchema() {
  static const oc::expr::Schema* schema = [] {
    auto s = oc::expr::Schema::Create({
        {"a", Type::Of(TypeKind::kInteger)},
        {"b", Type::Of(TypeKind::kNumber)},
        {"t", Type::Of(TypeKind::kText)},
        {"d", Type::Of(TypeKind::kDate)},
        {"f", Type::Of(TypeKind::kBoolean)},
        {"n", Type::Of(TypeKind::kNumber)},
        {"l", Type::ListOf(TypeKind::kNumber)},
        {"s", Type::ListOf(TypeKind::kText)},
        {"负债率", Type::Of(TypeKind::kNumber)},
        {"客户 类型", Type::Of(TypeKind::kText)},
        {"ts", Type::Of(TypeKind::kDateTime)},
    });
    if (!s) std::abort();
    return new oc::expr::Schema(std::move(*s));
  }();
  return *schema;
}

oc::expr::Record FuzzRecord() {
  using oc::Decimal;
  oc::expr::Record r(FuzzSchema());
  r.SetSlot(0, Value::Integer(7));
  r.SetSlot(1, Value::Number(*Decimal::Parse("-12.345")));
  r.SetSlot(2, Value::Text("张三 abc"));
  r.SetSlot(3, Value::Date(*oc::Date::Parse("2024-02-29")));
  r.SetSlot(4, Value::Boolean(true));
  // slot 5 stays null
  r.SetSlot(6, Value::List({Value::Number(Decimal::FromInt(1)), Value(),
                            Value::Number(*Decimal::Parse("0.5"))}));
  r.SetSlot(7, Value::List({Value::Text("x"), Value::Text("优质")}));
  r.SetSlot(8, Value::Number(*Decimal::Parse("0.83")));
  r.SetSlot(9, Value::Text("个人"));
  r.SetSlot(10, Value::DateTime(oc::FromUnixMicros(1'710'000'000'000'000)));
  return r;
}

// Whether a value has exactly the kinds its static type promises, list elements included.
bool Conforms(const Value& v, Type t) {
  if (v.is_null() || t.kind == TypeKind::kNull) return true;
  if (v.kind() != t.kind) return false;
  if (t.kind != TypeKind::kList) return true;
  for (const Value& item : v.list()) {
    if (!Conforms(item, Type::Of(t.element))) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  auto compiled = oc::expr::Compile(source, FuzzSchema());
  if (!compiled) {
    if (compiled.error().empty()) std::abort();  // a failure must say why
    return 0;
  }
  static const oc::expr::Record record = FuzzRecord();
  static const oc::FakeClock clock(oc::FromUnixMicros(1'710'000'000'000'000));
  static const oc::Date holidays[] = {*oc::Date::Parse("2024-10-01")};
  oc::expr::EvalContext ctx;
  ctx.today = oc::Date::Parse("2024-03-15");
  ctx.clock = &clock;
  ctx.holidays = holidays;
  // Small limits, so budget paths are exercised and a run stays fast.
  ctx.budget.max_steps = 20'000;
  ctx.budget.max_text_bytes = 64 * 1024;
  ctx.budget.max_list_items = 1'000;
  ctx.budget.max_regex_input_chars = 1'000;
  auto value = oc::expr::Evaluate(*compiled, record, ctx);
  if (value && !Conforms(*value, compiled->result_type())) {
    std::abort();  // the checker and the evaluator disagree about the type
  }
  auto explained = oc::expr::Explain(*compiled, record, ctx);
  if (explained.has_value() != value.has_value()) std::abort();
  if (value && !(explained->value == *value)) std::abort();
  return 0;
}

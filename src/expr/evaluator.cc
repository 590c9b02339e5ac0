#include "expr/evaluator.h"

#include "expr/functions.h"

namespace oc::expr::internal {
namespace {

// -1, 0, 1, or 2 when the values are not comparable (only lists, which support = and <>).
int CompareSame(const Value& a, const Value& b, CompareMode mode) {
  switch (mode) {
    case CompareMode::kNumeric:
      if (a.kind() == TypeKind::kInteger && b.kind() == TypeKind::kInteger) {
        return a.integer() < b.integer() ? -1 : a.integer() > b.integer() ? 1 : 0;
      }
      return oc::Compare(a.AsDecimal(), b.AsDecimal());
    case CompareMode::kText: {
      int c = a.text().compare(b.text());  // byte order of UTF-8 is code point order
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
    case CompareMode::kBoolean: return int(a.boolean()) - int(b.boolean());
    case CompareMode::kDate: return a.date() < b.date() ? -1 : a.date() > b.date() ? 1 : 0;
    case CompareMode::kDateTime:
      return a.datetime() < b.datetime() ? -1 : a.datetime() > b.datetime() ? 1 : 0;
    case CompareMode::kList: return a == b ? 0 : 2;
    case CompareMode::kNull: return 0;
  }
  return 0;
}

bool Holds(int c, CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return c == 0;
    case CompareOp::kNe: return c != 0;
    case CompareOp::kLt: return c == -1;
    case CompareOp::kLe: return c == -1 || c == 0;
    case CompareOp::kGt: return c == 1;
    case CompareOp::kGe: return c == 1 || c == 0;
  }
  return false;
}

// Excel MOD: the remainder takes the sign of the divisor.
int64_t FloorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

}  // namespace

EvalResult Evaluator::Run() {
  if (record_.fingerprint() != p_.schema_fingerprint) {
    return tl::unexpected(MakeDiagnostic(ErrorKind::kRecordMismatch, p_.source,
                                         p_.nodes[p_.root].span));
  }
  Value v = Eval(p_.root);
  if (failed_) return tl::unexpected(std::move(*error_));
  return v;
}

bool Evaluator::OverBudget(uint32_t index) {
  Fail(index, ErrorKind::kBudgetExceeded, {std::to_string(ctx_.budget.max_steps)});
  return false;
}

Value Evaluator::Fail(uint32_t node, ErrorKind kind, const std::vector<MessageArg>& args) {
  if (!failed_) {
    failed_ = true;
    error_ = MakeDiagnostic(kind, p_.source, p_.nodes[node].span, args);
  }
  return Value();
}

Value Evaluator::Eval(uint32_t index) {
  if (!Step(index)) return Value();
  Value v = EvalNode(index, p_.nodes[index]);
  if (trace_ != nullptr && !failed_) trace_->emplace_back(index, v);
  return v;
}

const Value& Evaluator::EvalRef(uint32_t index, Value& scratch) {
  const Node& n = p_.nodes[index];
  if (n.op == Op::kField || n.op == Op::kConst) {
    if (!Step(index)) return scratch;
    const Value& v = n.op == Op::kField ? record_.Get(n.aux) : p_.constants[n.aux];
    if (trace_ != nullptr) trace_->emplace_back(index, v);
    return v;
  }
  scratch = Eval(index);
  return scratch;
}

Value Evaluator::EvalNode(uint32_t index, const Node& n) {
  auto kids = p_.Children(n);
  switch (n.op) {
    case Op::kConst: return p_.constants[n.aux];
    case Op::kField: return record_.Get(n.aux);
    case Op::kList: {
      if (n.count > ctx_.budget.max_list_items) {
        return Fail(index, ErrorKind::kSizeLimitExceeded,
                    {MessageArg("列表长度", "The list length"),
                     std::to_string(ctx_.budget.max_list_items)});
      }
      std::vector<Value> items;
      items.reserve(n.count);
      for (uint32_t k : kids) {
        items.push_back(Eval(k));
        if (failed_) return Value();
      }
      return Value::List(std::move(items));
    }
    case Op::kNegate: {
      Value scratch;
      const Value& v = EvalRef(kids[0], scratch);
      if (failed_ || v.is_null()) return Value();
      if (v.kind() == TypeKind::kInteger) {
        if (v.integer() == INT64_MIN) return Fail(index, ErrorKind::kNumberOverflow);
        return Value::Integer(-v.integer());
      }
      return Value::Number(v.number().Negate());
    }
    case Op::kToNumber: {
      Value v = Eval(kids[0]);
      if (v.kind() == TypeKind::kInteger) return Value::Number(Decimal::FromInt(v.integer()));
      if (v.kind() != TypeKind::kList) return v;
      std::vector<Value> items;
      items.reserve(v.list().size());
      for (const Value& item : v.list()) {
        items.push_back(item.kind() == TypeKind::kInteger
                            ? Value::Number(Decimal::FromInt(item.integer()))
                            : item);
      }
      return Value::List(std::move(items));
    }
    case Op::kNot: {
      Truth t = EvalTruth(kids[0]);
      if (failed_ || t == Truth::kNull) return Value();
      return Value::Boolean(t == Truth::kFalse);
    }
    case Op::kAnd:
    case Op::kOr: return FromTruth(Logic(n));
    case Op::kArith: return Arith(n);
    case Op::kConcat: return Concat(n);
    case Op::kCompare: return FromTruth(Compare(n));
    case Op::kIn: return In(n);
    case Op::kBetween: return Between(n);
    case Op::kIf: {
      Truth c = EvalTruth(kids[0]);
      if (failed_) return Value();
      // A null condition counts as false.
      if (c == Truth::kTrue) return Eval(kids[1]);
      return n.count == 3 ? Eval(kids[2]) : Value();
    }
    case Op::kIfs: {
      for (size_t i = 0; i + 1 < kids.size(); i += 2) {
        Truth c = EvalTruth(kids[i]);
        if (failed_) return Value();
        if (c == Truth::kTrue) return Eval(kids[i + 1]);
      }
      return Value();
    }
    case Op::kSwitch: {
      Value subject = Eval(kids[0]);
      if (failed_) return Value();
      size_t pairs_end = 1 + ((kids.size() - 1) / 2) * 2;
      for (size_t i = 1; i < pairs_end; i += 2) {
        Value scratch;
        const Value& c = EvalRef(kids[i], scratch);
        if (failed_) return Value();
        if (!subject.is_null() && !c.is_null() &&
            CompareSame(subject, c, CompareMode(n.mode)) == 0) {
          return Eval(kids[i + 1]);
        }
      }
      return pairs_end < kids.size() ? Eval(kids.back()) : Value();
    }
    case Op::kCoalesce: {
      for (uint32_t k : kids) {
        Value v = Eval(k);
        if (failed_) return Value();
        if (!v.is_null()) return v;
      }
      return Value();
    }
    case Op::kCall: return CallBuiltin(index, n);
  }
  return Value();
}

Value Evaluator::Arith(const Node& n) {
  auto kids = p_.Children(n);
  uint32_t index = uint32_t(&n - p_.nodes.data());
  Value ls, rs;
  const Value& l = EvalRef(kids[0], ls);
  if (failed_) return Value();
  const Value& r = EvalRef(kids[1], rs);
  if (failed_ || l.is_null() || r.is_null()) return Value();
  auto number = [&](std::optional<Decimal> d) {
    if (!d) return Fail(index, ErrorKind::kNumberOverflow);
    return Value::Number(*d);
  };
  int64_t out = 0;
  switch (ArithMode(n.mode)) {
    case ArithMode::kAddInt:
      if (__builtin_add_overflow(l.integer(), r.integer(), &out)) {
        return Fail(index, ErrorKind::kNumberOverflow);
      }
      return Value::Integer(out);
    case ArithMode::kSubInt:
      if (__builtin_sub_overflow(l.integer(), r.integer(), &out)) {
        return Fail(index, ErrorKind::kNumberOverflow);
      }
      return Value::Integer(out);
    case ArithMode::kMulInt:
      if (__builtin_mul_overflow(l.integer(), r.integer(), &out)) {
        return Fail(index, ErrorKind::kNumberOverflow);
      }
      return Value::Integer(out);
    case ArithMode::kModInt:
      if (r.integer() == 0) return Fail(index, ErrorKind::kDivisionByZero);
      if (r.integer() == -1) return Value::Integer(0);
      return Value::Integer(FloorMod(l.integer(), r.integer()));
    case ArithMode::kAddNum: return number(Add(l.AsDecimal(), r.AsDecimal()));
    case ArithMode::kSubNum: return number(Subtract(l.AsDecimal(), r.AsDecimal()));
    case ArithMode::kMulNum: return number(Multiply(l.AsDecimal(), r.AsDecimal()));
    case ArithMode::kDivNum:
      if (r.AsDecimal().IsZero()) return Fail(index, ErrorKind::kDivisionByZero);
      return number(Divide(l.AsDecimal(), r.AsDecimal()));
    case ArithMode::kModNum:
    case ArithMode::kPowNum: {
      // Shared with MOD and POWER so operator and function agree exactly.
      stack_.push_back(l);
      stack_.push_back(r);
      const Builtin* fn = FindBuiltin(ArithMode(n.mode) == ArithMode::kModNum ? "MOD" : "POWER");
      Call call(this, index, fn->name);
      Value v = fn->fn(call, std::span<const Value>(stack_.data() + stack_.size() - 2, 2));
      stack_.resize(stack_.size() - 2);
      return v;
    }
    case ArithMode::kDatePlusDays:
    case ArithMode::kDateMinusDays: {
      int64_t days = r.integer();
      if (ArithMode(n.mode) == ArithMode::kDateMinusDays) days = -days;
      int64_t target = int64_t(l.date().days_since_epoch()) + days;
      auto check = Date::FromDays(int32_t(std::clamp<int64_t>(target, INT32_MIN, INT32_MAX)));
      if (target < INT32_MIN || target > INT32_MAX || check.year() < 1 || check.year() > 9999) {
        return Fail(index, ErrorKind::kInvalidDate,
                    {MessageArg("超出 0001-01-01 至 9999-12-31", "outside 0001-01-01..9999-12-31")});
      }
      return Value::Date(check);
    }
    case ArithMode::kDaysBetween:
      return Value::Integer(int64_t(l.date().days_since_epoch()) - r.date().days_since_epoch());
  }
  return Value();
}

Truth Evaluator::Compare(const Node& n) {
  auto kids = p_.Children(n);
  Value ls, rs;
  const Value& l = EvalRef(kids[0], ls);
  if (failed_) return Truth::kNull;
  const Value& r = EvalRef(kids[1], rs);
  if (failed_ || l.is_null() || r.is_null()) return Truth::kNull;
  int c = CompareSame(l, r, CompareMode(n.mode & 0x0F));
  return Holds(c, CompareOp(n.mode >> 4)) ? Truth::kTrue : Truth::kFalse;
}

Truth Evaluator::Logic(const Node& n) {
  // Three-valued logic (Kleene): a decisive operand ends the evaluation early; otherwise a null
  // operand makes the result null.
  Truth decisive = n.op == Op::kOr ? Truth::kTrue : Truth::kFalse;
  bool saw_null = false;
  for (uint32_t k : p_.Children(n)) {
    Truth t = EvalTruth(k);
    if (failed_) return Truth::kNull;
    if (t == Truth::kNull) {
      saw_null = true;
    } else if (t == decisive) {
      return decisive;
    }
  }
  if (saw_null) return Truth::kNull;
  return decisive == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
}

Truth Evaluator::EvalTruth(uint32_t index) {
  const Node& n = p_.nodes[index];
  // Conditions are the hot path of rules: comparisons and AND/OR answer without building a
  // Value. Tracing needs the Values, so it takes the general path.
  if (trace_ == nullptr && (n.op == Op::kCompare || n.op == Op::kAnd || n.op == Op::kOr)) {
    if (!Step(index)) return Truth::kNull;
    return n.op == Op::kCompare ? Compare(n) : Logic(n);
  }
  Value scratch;
  const Value& v = EvalRef(index, scratch);
  if (failed_ || v.is_null()) return Truth::kNull;
  return v.boolean() ? Truth::kTrue : Truth::kFalse;
}

Value Evaluator::FromTruth(Truth t) {
  return t == Truth::kNull ? Value() : Value::Boolean(t == Truth::kTrue);
}

Value Evaluator::In(const Node& n) {
  auto kids = p_.Children(n);
  Value ns;
  const Value& needle = EvalRef(kids[0], ns);
  if (failed_ || needle.is_null()) return Value();
  CompareMode mode = CompareMode(n.mode);
  if (n.aux == 1) {
    Value list = Eval(kids[1]);
    if (failed_ || list.is_null()) return Value();
    for (const Value& item : list.list()) {
      if (!item.is_null() && CompareSame(needle, item, mode) == 0) return Value::Boolean(true);
    }
    return Value::Boolean(false);
  }
  for (size_t i = 1; i < kids.size(); ++i) {
    Value scratch;
    const Value& item = EvalRef(kids[i], scratch);
    if (failed_) return Value();
    if (!item.is_null() && CompareSame(needle, item, mode) == 0) return Value::Boolean(true);
  }
  return Value::Boolean(false);
}

Value Evaluator::Between(const Node& n) {
  auto kids = p_.Children(n);
  Value vs, lows, highs;
  const Value& v = EvalRef(kids[0], vs);
  if (failed_) return Value();
  const Value& low = EvalRef(kids[1], lows);
  if (failed_) return Value();
  const Value& high = EvalRef(kids[2], highs);
  if (failed_ || v.is_null() || low.is_null() || high.is_null()) return Value();
  CompareMode mode = CompareMode(n.mode);
  return Value::Boolean(CompareSame(v, low, mode) >= 0 && CompareSame(v, high, mode) <= 0);
}

Value Evaluator::Concat(const Node& n) {
  auto kids = p_.Children(n);
  uint32_t index = uint32_t(&n - p_.nodes.data());
  std::string out;
  for (uint32_t k : kids) {
    Value scratch;
    const Value& v = EvalRef(k, scratch);
    if (failed_) return Value();
    if (v.is_null()) continue;  // as in Excel, a blank joins as empty text
    if (v.kind() == TypeKind::kText) {
      if (out.size() + v.text().size() > ctx_.budget.max_text_bytes) {
        return Fail(index, ErrorKind::kSizeLimitExceeded,
                    {MessageArg("文本长度", "The text length"),
                     std::to_string(ctx_.budget.max_text_bytes)});
      }
      out += v.text();
    } else {
      std::string piece = v.kind() == TypeKind::kBoolean ? (v.boolean() ? "TRUE" : "FALSE")
                                                         : v.ToString();
      if (out.size() + piece.size() > ctx_.budget.max_text_bytes) {
        return Fail(index, ErrorKind::kSizeLimitExceeded,
                    {MessageArg("文本长度", "The text length"),
                     std::to_string(ctx_.budget.max_text_bytes)});
      }
      out += piece;
    }
  }
  return Value::Text(std::move(out));
}

Value Evaluator::CallBuiltin(uint32_t index, const Node& n) {
  const Builtin& fn = Builtins()[n.aux];
  size_t base = stack_.size();
  bool has_null = false;
  for (uint32_t k : p_.Children(n)) {
    Value v = Eval(k);
    if (failed_) {
      stack_.resize(base);
      return Value();
    }
    has_null = has_null || v.is_null();
    stack_.push_back(std::move(v));
  }
  Value result;
  if (!(has_null && fn.null_propagates)) {
    Call call(this, index, fn.name);
    result = fn.fn(call, std::span<const Value>(stack_.data() + base, stack_.size() - base));
  }
  stack_.resize(base);
  if (failed_) return Value();
  if (result.kind() == TypeKind::kText && result.text().size() > ctx_.budget.max_text_bytes) {
    return Fail(index, ErrorKind::kSizeLimitExceeded,
                {MessageArg("文本长度", "The text length"),
                 std::to_string(ctx_.budget.max_text_bytes)});
  }
  return result;
}

// ---- Call: the built-ins' view of the evaluation ----

const EvalContext& Call::context() const { return evaluator_->ctx_; }

Type Call::result_type() const { return evaluator_->p_.nodes[node_].type; }

Value Call::Fail(ErrorKind kind, const std::vector<MessageArg>& args) {
  return evaluator_->Fail(node_, kind, args);
}

bool Call::Charge(uint64_t steps) {
  evaluator_->steps_ += steps;
  if (evaluator_->steps_ <= evaluator_->ctx_.budget.max_steps) return true;
  Fail(ErrorKind::kBudgetExceeded, {std::to_string(evaluator_->ctx_.budget.max_steps)});
  return false;
}

bool Call::FitsText(size_t bytes) {
  if (bytes <= evaluator_->ctx_.budget.max_text_bytes) return true;
  Fail(ErrorKind::kSizeLimitExceeded, {MessageArg("文本长度", "The text length"),
                                       std::to_string(evaluator_->ctx_.budget.max_text_bytes)});
  return false;
}

const Regex* Call::constant_regex() const {
  const auto& regexes = evaluator_->p_.regexes;
  return node_ < regexes.size() ? regexes[node_].get() : nullptr;
}

std::optional<Date> Call::Today() {
  const EvalContext& ctx = evaluator_->ctx_;
  if (ctx.today) return ctx.today;
  if (ctx.clock == nullptr) {
    Fail(ErrorKind::kNoBusinessDate, {std::string(name_)});
    return std::nullopt;
  }
  auto local = ctx.clock->Now() + std::chrono::minutes(ctx.utc_offset_minutes);
  return Date::FromDays(
      int32_t(std::chrono::floor<std::chrono::days>(local).time_since_epoch().count()));
}

}  // namespace oc::expr::internal

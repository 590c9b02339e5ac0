#include "expr/checker.h"

#include <algorithm>
#include <unordered_map>

#include "expr/functions.h"

namespace oc::expr::internal {
namespace {

constexpr uint32_t kInvalid = UINT32_MAX;

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  }
  return out;
}

std::u32string CodePoints(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + size_t(len) > s.size()) len = 1;
    char32_t v = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(v);
    i += size_t(len);
  }
  return out;
}

// A type's name for messages, in both languages.
MessageArg TypeArg(Type t) {
  switch (t.kind) {
    case TypeKind::kNull: return {"空值", "null"};
    case TypeKind::kBoolean: return {"布尔值", "a boolean"};
    case TypeKind::kInteger: return {"整数", "an integer"};
    case TypeKind::kNumber: return {"数字", "a number"};
    case TypeKind::kText: return {"文本", "text"};
    case TypeKind::kDate: return {"日期", "a date"};
    case TypeKind::kDateTime: return {"日期时间", "a datetime"};
    case TypeKind::kList: {
      MessageArg e = TypeArg(Type::Of(t.element));
      return {e.zh_cn + "列表", "a list of " + std::string(TypeKindName(t.element))};
    }
  }
  return {"空值", "null"};
}

// Whether a value of type `t` may be passed where the parameter letter `p` is expected. Null
// fits everywhere. Letters: n numeric, t text, d date, D date or datetime, b boolean, a any
// scalar or list, N numeric or list of numerics, f numeric, text, date or datetime, y list of
// dates.
bool ParamAccepts(char p, Type t) {
  if (t.kind == TypeKind::kNull) return true;
  bool list_of_numeric = t.kind == TypeKind::kList &&
                         (t.element == TypeKind::kInteger || t.element == TypeKind::kNumber ||
                          t.element == TypeKind::kNull);
  switch (p) {
    case 'n': return t.IsNumeric();
    case 't': return t.kind == TypeKind::kText;
    case 'd': return t.kind == TypeKind::kDate;
    case 'D': return t.kind == TypeKind::kDate || t.kind == TypeKind::kDateTime;
    case 'b': return t.kind == TypeKind::kBoolean;
    case 'a': return true;
    case 'N': return t.IsNumeric() || list_of_numeric;
    case 'f':
      return t.IsNumeric() || t.kind == TypeKind::kText || t.kind == TypeKind::kDate ||
             t.kind == TypeKind::kDateTime;
    default: return false;
  }
}

MessageArg ParamArg(char p) {
  switch (p) {
    case 'n': return {"数字", "a number"};
    case 't': return {"文本", "text"};
    case 'd': return {"日期", "a date"};
    case 'D': return {"日期或日期时间", "a date or datetime"};
    case 'b': return {"布尔值", "a boolean"};
    case 'N': return {"数字或数字列表", "a number or a list of numbers"};
    case 'f': return {"数字、文本或日期", "a number, text or date"};
    default: return {"任意值", "any value"};
  }
}

// The common type of two branches or items, or nullopt when they differ. Null joins anything;
// integer joins number as number.
std::optional<Type> Unify(Type a, Type b) {
  if (a.kind == TypeKind::kNull) return b;
  if (b.kind == TypeKind::kNull) return a;
  if (a == b) return a;
  if (a.IsNumeric() && b.IsNumeric()) return Type::Of(TypeKind::kNumber);
  if (a.kind == TypeKind::kList && b.kind == TypeKind::kList) {
    auto e = Unify(Type::Of(a.element), Type::Of(b.element));
    if (!e) return std::nullopt;
    return Type::ListOf(e->kind);
  }
  return std::nullopt;
}

// The comparison class of a type; nullopt for types that cannot be compared at all.
std::optional<CompareMode> ModeOf(Type t) {
  switch (t.kind) {
    case TypeKind::kNull: return CompareMode::kNull;
    case TypeKind::kInteger:
    case TypeKind::kNumber: return CompareMode::kNumeric;
    case TypeKind::kText: return CompareMode::kText;
    case TypeKind::kBoolean: return CompareMode::kBoolean;
    case TypeKind::kDate: return CompareMode::kDate;
    case TypeKind::kDateTime: return CompareMode::kDateTime;
    case TypeKind::kList: return CompareMode::kList;
  }
  return std::nullopt;
}

class Checker {
 public:
  Checker(const SyntaxTree& tree, const Schema& schema, const CompileOptions& options,
          Program* program, std::vector<Diagnostic>* diagnostics)
      : tree_(tree), schema_(schema), options_(options), p_(program), diags_(diagnostics) {}

  bool Run() {
    uint32_t root = Visit(tree_.root);
    if (root == kInvalid) return false;
    Type t = p_->nodes[root].type;
    if (options_.expected_type) {
      Type want = *options_.expected_type;
      bool ok = t.kind == TypeKind::kNull || t == want ||
                (want.kind == TypeKind::kNumber && t.kind == TypeKind::kInteger) ||
                (want.kind == TypeKind::kList && t.kind == TypeKind::kList &&
                 (t.element == TypeKind::kNull || t.element == want.element));
      if (!ok) {
        Error(ErrorKind::kWrongResultType, tree_.nodes[tree_.root].span,
              {TypeArg(want), TypeArg(t)});
        return false;
      }
    }
    p_->root = root;
    p_->result_type = t;
    p_->regexes.resize(p_->nodes.size());
    for (auto& [node, regex] : regexes_) p_->regexes[node] = std::move(regex);
    return true;
  }

 private:
  void Error(ErrorKind kind, SourceSpan span, const std::vector<MessageArg>& args = {}) {
    diags_->push_back(MakeDiagnostic(kind, p_->source, span, args));
  }

  uint32_t Emit(Op op, Type type, SourceSpan span, const std::vector<uint32_t>& children,
                uint32_t aux = 0, uint8_t mode = 0) {
    Node n;
    n.op = op;
    n.type = type;
    n.span = span;
    n.first = uint32_t(p_->kids.size());
    n.count = uint32_t(children.size());
    n.aux = aux;
    n.mode = mode;
    p_->kids.insert(p_->kids.end(), children.begin(), children.end());
    p_->nodes.push_back(n);
    return uint32_t(p_->nodes.size() - 1);
  }

  uint32_t Constant(Value v, Type type, SourceSpan span) {
    p_->constants.push_back(std::move(v));
    return Emit(Op::kConst, type, span, {}, uint32_t(p_->constants.size() - 1));
  }

  Type TypeOf(uint32_t node) const { return p_->nodes[node].type; }

  // Wraps an integer-typed node that must yield a number (its unified type), so every value an
  // expression produces has exactly the kind of its static type.
  uint32_t Widen(uint32_t node, Type to) {
    Type from = TypeOf(node);
    bool scalar = to.kind == TypeKind::kNumber && from.kind == TypeKind::kInteger;
    bool list = to.kind == TypeKind::kList && to.element == TypeKind::kNumber &&
                from.kind == TypeKind::kList && from.element == TypeKind::kInteger;
    if (scalar || list) {
      return Emit(Op::kToNumber, to, p_->nodes[node].span, {node});
    }
    return node;
  }

  // Visits every child (so independent errors are all reported); kInvalid if any failed.
  bool VisitAll(const std::vector<uint32_t>& syntax_children, std::vector<uint32_t>* out) {
    bool ok = true;
    for (uint32_t c : syntax_children) {
      uint32_t v = Visit(c);
      ok = ok && v != kInvalid;
      out->push_back(v);
    }
    return ok;
  }

  uint32_t Visit(uint32_t index) {
    const SyntaxNode& s = tree_.nodes[index];
    switch (s.kind) {
      case SyntaxKind::kInteger: {
        int64_t v = 0;
        bool fits = s.text.size() < 19 || (s.text.size() == 19 && s.text <= "9223372036854775807");
        if (fits) {
          for (char c : s.text) v = v * 10 + (c - '0');
          return Constant(Value::Integer(v), Type::Of(TypeKind::kInteger), s.span);
        }
        // Too large for an integer: an exact number if it fits.
        auto d = Decimal::Parse(s.text);
        if (!d) {
          Error(ErrorKind::kInvalidNumber, s.span, {s.text});
          return kInvalid;
        }
        return Constant(Value::Number(*d), Type::Of(TypeKind::kNumber), s.span);
      }
      case SyntaxKind::kNumber: {
        auto d = Decimal::Parse(s.text);
        if (!d) {
          Error(ErrorKind::kInvalidNumber, s.span, {s.text});
          return kInvalid;
        }
        return Constant(Value::Number(*d), Type::Of(TypeKind::kNumber), s.span);
      }
      case SyntaxKind::kText:
        return Constant(Value::Text(s.text), Type::Of(TypeKind::kText), s.span);
      case SyntaxKind::kBoolean:
        return Constant(Value::Boolean(s.text == "TRUE"), Type::Of(TypeKind::kBoolean), s.span);
      case SyntaxKind::kNull:
        return Constant(Value(), Type::Of(TypeKind::kNull), s.span);
      case SyntaxKind::kField: return VisitField(s);
      case SyntaxKind::kList: return VisitList(s);
      case SyntaxKind::kUnary: return VisitUnary(s);
      case SyntaxKind::kBinary: return VisitBinary(s);
      case SyntaxKind::kIn: return VisitIn(s);
      case SyntaxKind::kBetween: return VisitBetween(s);
      case SyntaxKind::kCall: return VisitCall(s);
    }
    return kInvalid;
  }

  uint32_t VisitField(const SyntaxNode& s) {
    auto slot = schema_.Find(s.text);
    if (!slot) {
      Error(ErrorKind::kUnknownField, s.span, {s.text});
      std::vector<std::string_view> names;
      for (const auto& f : schema_.fields()) names.push_back(f.name);
      if (auto best = Closest(s.text, names, false)) AddSuggestion(diags_->back(), *best);
      return kInvalid;
    }
    const std::string& name = schema_.fields()[*slot].name;
    if (std::find(p_->referenced_fields.begin(), p_->referenced_fields.end(), name) ==
        p_->referenced_fields.end()) {
      p_->referenced_fields.push_back(name);
    }
    return Emit(Op::kField, schema_.fields()[*slot].type, s.span, {}, uint32_t(*slot));
  }

  // The closest candidate within a distance that still looks like a typo.
  std::optional<std::string> Closest(std::string_view name,
                                     const std::vector<std::string_view>& candidates,
                                     bool ignore_case) {
    std::string key = ignore_case ? Upper(name) : std::string(name);
    size_t len = CodePoints(key).size();
    size_t limit = std::max<size_t>(1, std::min<size_t>(3, (len + 1) / 2));
    std::optional<std::string> best;
    size_t best_distance = limit + 1;
    for (std::string_view c : candidates) {
      std::string cand = ignore_case ? Upper(c) : std::string(c);
      size_t d = EditDistance(key, cand, best_distance);
      if (d < best_distance) {
        best_distance = d;
        best = std::string(c);
      }
    }
    if (best || key.empty()) return best;
    // A name typed only partly ("逾期" for "逾期天数") is far by edit distance but obvious.
    for (std::string_view c : candidates) {
      std::string cand = ignore_case ? Upper(c) : std::string(c);
      if (cand.starts_with(key)) return std::string(c);
    }
    return std::nullopt;
  }

  uint32_t VisitList(const SyntaxNode& s) {
    std::vector<uint32_t> items;
    if (!VisitAll(s.children, &items)) return kInvalid;
    Type element = Type::Of(TypeKind::kNull);
    for (size_t i = 0; i < items.size(); ++i) {
      Type t = TypeOf(items[i]);
      if (t.kind == TypeKind::kList) {
        Error(ErrorKind::kMixedTypes, p_->nodes[items[i]].span,
              {MessageArg("列表", "the list"), TypeArg(element), TypeArg(t)});
        return kInvalid;
      }
      auto u = Unify(element, t);
      if (!u) {
        Error(ErrorKind::kMixedTypes, p_->nodes[items[i]].span,
              {MessageArg("列表", "the list"), TypeArg(element), TypeArg(t)});
        return kInvalid;
      }
      element = *u;
    }
    for (uint32_t& item : items) item = Widen(item, element);
    return Emit(Op::kList, Type::ListOf(element.kind), s.span, items);
  }

  uint32_t VisitUnary(const SyntaxNode& s) {
    uint32_t operand = Visit(s.children[0]);
    if (operand == kInvalid) return kInvalid;
    Type t = TypeOf(operand);
    if (s.text == "NOT") {
      if (t.kind != TypeKind::kBoolean && t.kind != TypeKind::kNull) {
        Error(ErrorKind::kWrongArgumentType, s.span,
              {"NOT", "1", TypeArg(Type::Of(TypeKind::kBoolean)), TypeArg(t)});
        return kInvalid;
      }
      return Emit(Op::kNot, Type::Of(TypeKind::kBoolean), s.span, {operand});
    }
    if (!t.IsNumeric() && t.kind != TypeKind::kNull) {
      Error(ErrorKind::kIncompatibleOperands, s.span,
            {s.text, TypeArg(t), MessageArg("（无）", "nothing")});
      return kInvalid;
    }
    if (s.text == "+") {
      p_->nodes[operand].span = s.span;
      return operand;
    }
    return Emit(Op::kNegate, t.kind == TypeKind::kNull ? Type::Of(TypeKind::kInteger) : t,
                s.span, {operand});
  }

  // Flattens chains of the same associative operator into one n-ary node.
  void Flatten(Op op, uint32_t node, std::vector<uint32_t>* out) {
    const Node& n = p_->nodes[node];
    if (n.op == op) {
      for (uint32_t c : p_->Children(n)) out->push_back(c);
    } else {
      out->push_back(node);
    }
  }

  uint32_t VisitBinary(const SyntaxNode& s) {
    std::vector<uint32_t> kids;
    if (!VisitAll(s.children, &kids)) return kInvalid;
    uint32_t l = kids[0];
    uint32_t r = kids[1];
    Type lt = TypeOf(l);
    Type rt = TypeOf(r);
    const std::string& op = s.text;
    auto incompatible = [&] {
      Error(ErrorKind::kIncompatibleOperands, s.span, {op, TypeArg(lt), TypeArg(rt)});
      return kInvalid;
    };
    if (op == "AND" || op == "OR") {
      for (uint32_t k : {l, r}) {
        Type t = TypeOf(k);
        if (t.kind != TypeKind::kBoolean && t.kind != TypeKind::kNull) return incompatible();
      }
      Op o = op == "AND" ? Op::kAnd : Op::kOr;
      std::vector<uint32_t> flat;
      Flatten(o, l, &flat);
      Flatten(o, r, &flat);
      return Emit(o, Type::Of(TypeKind::kBoolean), s.span, flat);
    }
    if (op == "&") {
      if (lt.kind == TypeKind::kList || rt.kind == TypeKind::kList) return incompatible();
      std::vector<uint32_t> flat;
      Flatten(Op::kConcat, l, &flat);
      flat.push_back(r);
      return Emit(Op::kConcat, Type::Of(TypeKind::kText), s.span, flat);
    }
    if (op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=") {
      auto mode = CompareModeFor(lt, rt, s.span, op);
      if (!mode) return kInvalid;
      bool ordering = op != "=" && op != "<>";
      if (ordering && (*mode == CompareMode::kBoolean || *mode == CompareMode::kList)) {
        return incompatible();
      }
      static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
          {"=", CompareOp::kEq}, {"<>", CompareOp::kNe}, {"<", CompareOp::kLt},
          {"<=", CompareOp::kLe}, {">", CompareOp::kGt}, {">=", CompareOp::kGe}};
      CompareOp cop = CompareOp::kEq;
      for (const auto& [name, o] : kOps) {
        if (name == op) cop = o;
      }
      return Emit(Op::kCompare, Type::Of(TypeKind::kBoolean), s.span, {l, r}, 0,
                  uint8_t(uint8_t(*mode) | (uint8_t(cop) << 4)));
    }
    // Arithmetic. A NULL literal takes the role of the other operand's type.
    // Beside a date it is a number of days.
    auto stand_in = [](Type other) {
      return other.kind == TypeKind::kNull || other.kind == TypeKind::kDate
                 ? Type::Of(TypeKind::kInteger)
                 : other;
    };
    if (lt.kind == TypeKind::kNull) lt = stand_in(rt);
    if (rt.kind == TypeKind::kNull) rt = stand_in(lt);
    bool ints = lt.kind == TypeKind::kInteger && rt.kind == TypeKind::kInteger;
    bool nums = lt.IsNumeric() && rt.IsNumeric();
    Type integer = Type::Of(TypeKind::kInteger);
    Type number = Type::Of(TypeKind::kNumber);
    Type date = Type::Of(TypeKind::kDate);
    auto arith = [&](ArithMode m, Type t) {
      return Emit(Op::kArith, t, s.span, {l, r}, 0, uint8_t(m));
    };
    if (op == "+") {
      if (ints) return arith(ArithMode::kAddInt, integer);
      if (nums) return arith(ArithMode::kAddNum, number);
      if (lt.kind == TypeKind::kDate && rt.kind == TypeKind::kInteger) {
        return arith(ArithMode::kDatePlusDays, date);
      }
      if (lt.kind == TypeKind::kInteger && rt.kind == TypeKind::kDate) {
        return Emit(Op::kArith, date, s.span, {r, l}, 0, uint8_t(ArithMode::kDatePlusDays));
      }
      return incompatible();
    }
    if (op == "-") {
      if (ints) return arith(ArithMode::kSubInt, integer);
      if (nums) return arith(ArithMode::kSubNum, number);
      if (lt.kind == TypeKind::kDate && rt.kind == TypeKind::kInteger) {
        return arith(ArithMode::kDateMinusDays, date);
      }
      if (lt.kind == TypeKind::kDate && rt.kind == TypeKind::kDate) {
        return arith(ArithMode::kDaysBetween, integer);
      }
      return incompatible();
    }
    if (!nums) return incompatible();
    if (op == "*") return ints ? arith(ArithMode::kMulInt, integer) : arith(ArithMode::kMulNum, number);
    if (op == "/") return arith(ArithMode::kDivNum, number);
    if (op == "%") return ints ? arith(ArithMode::kModInt, integer) : arith(ArithMode::kModNum, number);
    return arith(ArithMode::kPowNum, number);  // "^"
  }

  std::optional<CompareMode> CompareModeFor(Type lt, Type rt, SourceSpan span,
                                            std::string_view op) {
    auto lm = ModeOf(lt);
    auto rm = ModeOf(rt);
    if (lm == CompareMode::kNull) return rm;
    if (rm == CompareMode::kNull) return lm;
    if (lm == rm && (lm != CompareMode::kList || Unify(lt, rt))) return lm;
    if ((lm == CompareMode::kText && rm == CompareMode::kNumeric) ||
        (lm == CompareMode::kNumeric && rm == CompareMode::kText)) {
      Error(ErrorKind::kTextNumberComparison, span, {std::string(op)});
      return std::nullopt;
    }
    Error(ErrorKind::kIncompatibleOperands, span, {std::string(op), TypeArg(lt), TypeArg(rt)});
    return std::nullopt;
  }

  uint32_t VisitIn(const SyntaxNode& s) {
    std::vector<uint32_t> kids;
    if (!VisitAll(s.children, &kids)) return kInvalid;
    Type needle = TypeOf(kids[0]);
    bool membership = s.list_form;
    if (!membership && kids.size() == 2 && TypeOf(kids[1]).kind == TypeKind::kList &&
        needle.kind != TypeKind::kList) {
      membership = true;  // "x IN (list_field)"
    }
    CompareMode mode = ModeOf(needle).value_or(CompareMode::kNull);
    if (membership) {
      Type list = TypeOf(kids[1]);
      if (list.kind != TypeKind::kList && list.kind != TypeKind::kNull) {
        Error(ErrorKind::kIncompatibleOperands, s.span, {"IN", TypeArg(needle), TypeArg(list)});
        return kInvalid;
      }
      auto m = CompareModeFor(needle, Type::Of(list.element), s.span, "IN");
      if (!m) return kInvalid;
      mode = *m;
    } else {
      for (size_t i = 1; i < kids.size(); ++i) {
        auto m = CompareModeFor(needle, TypeOf(kids[i]), p_->nodes[kids[i]].span, "IN");
        if (!m) return kInvalid;
        if (mode == CompareMode::kNull) mode = *m;
      }
    }
    uint32_t n = Emit(Op::kIn, Type::Of(TypeKind::kBoolean), s.span, kids, membership ? 1 : 0,
                      uint8_t(mode));
    if (!s.negated) return n;
    return Emit(Op::kNot, Type::Of(TypeKind::kBoolean), s.span, {n});
  }

  uint32_t VisitBetween(const SyntaxNode& s) {
    std::vector<uint32_t> kids;
    if (!VisitAll(s.children, &kids)) return kInvalid;
    auto m1 = CompareModeFor(TypeOf(kids[0]), TypeOf(kids[1]), s.span, "BETWEEN");
    if (!m1) return kInvalid;
    auto m2 = CompareModeFor(TypeOf(kids[0]), TypeOf(kids[2]), s.span, "BETWEEN");
    if (!m2) return kInvalid;
    CompareMode mode = *m1 == CompareMode::kNull ? *m2 : *m1;
    if (mode == CompareMode::kBoolean || mode == CompareMode::kList) {
      Error(ErrorKind::kIncompatibleOperands, s.span,
            {"BETWEEN", TypeArg(TypeOf(kids[0])), TypeArg(TypeOf(kids[1]))});
      return kInvalid;
    }
    uint32_t n = Emit(Op::kBetween, Type::Of(TypeKind::kBoolean), s.span, kids, 0, uint8_t(mode));
    if (!s.negated) return n;
    return Emit(Op::kNot, Type::Of(TypeKind::kBoolean), s.span, {n});
  }

  void ArgCountError(const SyntaxNode& s, std::string_view name, MessageArg expected) {
    Error(ErrorKind::kWrongArgumentCount, s.span,
          {std::string(name), std::move(expected), std::to_string(s.children.size())});
  }

  static MessageArg CountArg(int min, int max) {
    std::string lo = std::to_string(min);
    std::string hi = std::to_string(max);
    std::string zh;
    std::string en;
    if (max == min) {
      zh.append(" ").append(lo).append(" ");
      en = lo;
    } else if (max < 0) {
      zh.append("至少 ").append(lo).append(" ");
      en.append("at least ").append(lo);
    } else {
      zh.append(" ").append(lo).append(" 到 ").append(hi).append(" ");
      en.append(lo).append(" to ").append(hi);
    }
    return {std::move(zh), std::move(en)};
  }

  bool ExpectCondition(uint32_t node, std::string_view fn, size_t position) {
    Type t = TypeOf(node);
    if (t.kind == TypeKind::kBoolean || t.kind == TypeKind::kNull) return true;
    Error(ErrorKind::kWrongArgumentType, p_->nodes[node].span,
          {std::string(fn), std::to_string(position), TypeArg(Type::Of(TypeKind::kBoolean)),
           TypeArg(t)});
    return false;
  }

  // Unifies the types of `values`; reports a mixed-types error at the first misfit.
  std::optional<Type> UnifyAll(const std::vector<uint32_t>& values, std::string_view fn) {
    Type t = Type::Of(TypeKind::kNull);
    for (uint32_t v : values) {
      auto u = Unify(t, TypeOf(v));
      if (!u) {
        Error(ErrorKind::kMixedTypes, p_->nodes[v].span,
              {MessageArg(std::string(fn)), TypeArg(t), TypeArg(TypeOf(v))});
        return std::nullopt;
      }
      t = *u;
    }
    return t;
  }

  uint32_t VisitCall(const SyntaxNode& s) {
    std::string name = Upper(s.text);
    std::vector<uint32_t> args;
    const Builtin* builtin = FindBuiltin(name);
    bool special = std::find(SpecialForms().begin(), SpecialForms().end(), name) !=
                   SpecialForms().end();
    if (!builtin && !special) {
      Error(ErrorKind::kUnknownFunction, s.name_span, {s.text});
      std::vector<std::string_view> names(SpecialForms().begin(), SpecialForms().end());
      for (const auto& b : Builtins()) names.push_back(b.name);
      if (auto best = Closest(s.text, names, true)) AddSuggestion(diags_->back(), *best);
      std::vector<uint32_t> ignored;
      VisitAll(s.children, &ignored);  // still report errors inside the arguments
      return kInvalid;
    }
    if (!VisitAll(s.children, &args)) return kInvalid;
    size_t n = args.size();
    if (special) return VisitSpecial(s, name, args);

    if (int(n) < builtin->min_args || (builtin->max_args >= 0 && int(n) > builtin->max_args)) {
      ArgCountError(s, name, CountArg(builtin->min_args, builtin->max_args));
      return kInvalid;
    }
    bool all_int = true;
    for (size_t i = 0; i < n; ++i) {
      char p = i < builtin->params.size() ? builtin->params[i] : builtin->params.back();
      Type t = TypeOf(args[i]);
      if (!ParamAccepts(p, t)) {
        Error(ErrorKind::kWrongArgumentType, p_->nodes[args[i]].span,
              {name, std::to_string(i + 1), ParamArg(p), TypeArg(t)});
        return kInvalid;
      }
      if (t.kind == TypeKind::kNumber ||
          (t.kind == TypeKind::kList && t.element == TypeKind::kNumber)) {
        all_int = false;
      }
    }
    Type result;
    switch (builtin->result) {
      case ResultRule::kNumber: result = Type::Of(TypeKind::kNumber); break;
      case ResultRule::kInteger: result = Type::Of(TypeKind::kInteger); break;
      case ResultRule::kText: result = Type::Of(TypeKind::kText); break;
      case ResultRule::kBoolean: result = Type::Of(TypeKind::kBoolean); break;
      case ResultRule::kDate: result = Type::Of(TypeKind::kDate); break;
      case ResultRule::kDateTime: result = Type::Of(TypeKind::kDateTime); break;
      case ResultRule::kNumericLike:
        result = Type::Of(all_int ? TypeKind::kInteger : TypeKind::kNumber);
        break;
    }
    uint32_t index = uint32_t(builtin - Builtins().data());
    uint32_t node = Emit(Op::kCall, result, s.span, args, index);
    if (name == "REGEXMATCH" && p_->nodes[args[1]].op == Op::kConst) {
      const Value& pattern = p_->constants[p_->nodes[args[1]].aux];
      if (!pattern.is_null()) {
        auto regex = Regex::Compile(pattern.text());
        if (!regex) {
          Error(regex.error().too_costly ? ErrorKind::kRegexTooCostly : ErrorKind::kInvalidRegex,
                p_->nodes[args[1]].span, {MessageArg(regex.error().zh_cn, regex.error().en_us)});
          return kInvalid;
        }
        regexes_.emplace(node, std::make_shared<const Regex>(std::move(*regex)));
      }
    }
    return node;
  }

  uint32_t VisitSpecial(const SyntaxNode& s, const std::string& name,
                        const std::vector<uint32_t>& args) {
    size_t n = args.size();
    if (name == "AND" || name == "OR") {
      if (n < 1) {
        ArgCountError(s, name, CountArg(1, -1));
        return kInvalid;
      }
      for (size_t i = 0; i < n; ++i) {
        if (!ExpectCondition(args[i], name, i + 1)) return kInvalid;
      }
      return Emit(name == "AND" ? Op::kAnd : Op::kOr, Type::Of(TypeKind::kBoolean), s.span, args);
    }
    if (name == "NOT") {
      if (n != 1) {
        ArgCountError(s, name, CountArg(1, 1));
        return kInvalid;
      }
      if (!ExpectCondition(args[0], name, 1)) return kInvalid;
      return Emit(Op::kNot, Type::Of(TypeKind::kBoolean), s.span, args);
    }
    if (name == "IF") {
      if (n < 2 || n > 3) {
        ArgCountError(s, name, CountArg(2, 3));
        return kInvalid;
      }
      if (!ExpectCondition(args[0], name, 1)) return kInvalid;
      auto t = UnifyAll({args.begin() + 1, args.end()}, name);
      if (!t) return kInvalid;
      std::vector<uint32_t> widened = args;
      for (size_t i = 1; i < n; ++i) widened[i] = Widen(args[i], *t);
      return Emit(Op::kIf, *t, s.span, widened);
    }
    if (name == "IFS") {
      if (n < 2 || n % 2 != 0) {
        ArgCountError(s, name, MessageArg("成对的（条件, 值）", "pairs of (condition, value)"));
        return kInvalid;
      }
      std::vector<uint32_t> values;
      for (size_t i = 0; i < n; i += 2) {
        if (!ExpectCondition(args[i], name, i + 1)) return kInvalid;
        values.push_back(args[i + 1]);
      }
      auto t = UnifyAll(values, name);
      if (!t) return kInvalid;
      std::vector<uint32_t> widened = args;
      for (size_t i = 1; i < n; i += 2) widened[i] = Widen(args[i], *t);
      return Emit(Op::kIfs, *t, s.span, widened);
    }
    if (name == "SWITCH") {
      if (n < 3) {
        ArgCountError(s, name, CountArg(3, -1));
        return kInvalid;
      }
      CompareMode mode = ModeOf(TypeOf(args[0])).value_or(CompareMode::kNull);
      std::vector<uint32_t> values;
      size_t pairs_end = 1 + ((n - 1) / 2) * 2;
      for (size_t i = 1; i < pairs_end; i += 2) {
        auto m = CompareModeFor(TypeOf(args[0]), TypeOf(args[i]), p_->nodes[args[i]].span, "=");
        if (!m) return kInvalid;
        if (mode == CompareMode::kNull) mode = *m;
        values.push_back(args[i + 1]);
      }
      if (pairs_end < n) values.push_back(args[n - 1]);  // the default
      auto t = UnifyAll(values, name);
      if (!t) return kInvalid;
      std::vector<uint32_t> widened = args;
      for (size_t i = 2; i < pairs_end; i += 2) widened[i] = Widen(args[i], *t);
      if (pairs_end < n) widened[n - 1] = Widen(args[n - 1], *t);
      return Emit(Op::kSwitch, *t, s.span, widened, 0, uint8_t(mode));
    }
    // COALESCE
    if (n < 1) {
      ArgCountError(s, name, CountArg(1, -1));
      return kInvalid;
    }
    auto t = UnifyAll(args, name);
    if (!t) return kInvalid;
    std::vector<uint32_t> widened = args;
    for (uint32_t& a : widened) a = Widen(a, *t);
    return Emit(Op::kCoalesce, *t, s.span, widened);
  }

  const SyntaxTree& tree_;
  const Schema& schema_;
  const CompileOptions& options_;
  Program* p_;
  std::vector<Diagnostic>* diags_;
  std::unordered_map<uint32_t, std::shared_ptr<const Regex>> regexes_;
};

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b, size_t cap) {
  std::u32string x = CodePoints(a);
  std::u32string y = CodePoints(b);
  if ((x.size() > y.size() ? x.size() - y.size() : y.size() - x.size()) >= cap) return cap;
  std::vector<size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= y.size(); ++j) {
      size_t cost = x[i - 1] == y[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return std::min(prev[y.size()], cap);
}

bool Check(const SyntaxTree& tree, const Schema& schema, const CompileOptions& options,
           Program* program, std::vector<Diagnostic>* diagnostics) {
  return Checker(tree, schema, options, program, diagnostics).Run();
}

}  // namespace oc::expr::internal

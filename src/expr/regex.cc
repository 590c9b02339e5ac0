#include "expr/regex.h"

#include <memory>

namespace oc::expr {
namespace {

char32_t FoldAscii(char32_t c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }

int DecodeOne(std::string_view s, size_t i, char32_t* cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + size_t(len) > s.size()) len = 1;
  char32_t v = len == 1 ? c : c & (0x7F >> len);
  for (int k = 1; k < len; ++k) v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  *cp = v;
  return len;
}

}  // namespace

// Parses the pattern into a small tree and emits the program from it; repetition emits its
// operand several times, which is why the tree is kept until emission.
class RegexCompiler {
 public:
  explicit RegexCompiler(std::string_view pattern) : p_(pattern) {}

  tl::expected<Regex, Regex::CompileError> Run() {
    if (p_.size() > Regex::kMaxPatternBytes) {
      return Costly("正则表达式超过 256 字节", "the pattern is longer than 256 bytes");
    }
    if (p_.starts_with("(?i)")) {
      re_.ignore_case_ = true;
      pos_ = 4;
    }
    auto root = ParseAlternation(0);
    if (!error_.zh_cn.empty()) return tl::unexpected(error_);
    if (pos_ < p_.size()) return Bad("多余的“)”", "unmatched ')'");
    Emit(*root);
    if (!error_.zh_cn.empty()) return tl::unexpected(error_);
    re_.program_.push_back({Regex::OpCode::kMatch});
    return std::move(re_);
  }

 private:
  enum class Kind { kEmpty, kChar, kAny, kClass, kBol, kEol, kConcat, kAlt, kRepeat };
  struct Node {
    Kind kind = Kind::kEmpty;
    char32_t ch = 0;
    uint32_t cls = 0;
    int min = 0;
    int max = 0;  // -1: unbounded
    std::vector<std::unique_ptr<Node>> kids;
  };
  using NodePtr = std::unique_ptr<Node>;

  tl::unexpected<Regex::CompileError> Bad(std::string zh, std::string en) {
    return tl::unexpected(Regex::CompileError{false, std::move(zh), std::move(en)});
  }
  tl::unexpected<Regex::CompileError> Costly(std::string zh, std::string en) {
    return tl::unexpected(Regex::CompileError{true, std::move(zh), std::move(en)});
  }
  void SetError(bool costly, std::string zh, std::string en) {
    if (error_.zh_cn.empty()) error_ = {costly, std::move(zh), std::move(en)};
  }
  bool Failed() const { return !error_.zh_cn.empty(); }

  NodePtr Make(Kind k) {
    auto n = std::make_unique<Node>();
    n->kind = k;
    return n;
  }

  NodePtr ParseAlternation(int depth) {
    auto first = ParseConcat(depth);
    if (pos_ >= p_.size() || p_[pos_] != '|' || Failed()) return first;
    auto alt = Make(Kind::kAlt);
    alt->kids.push_back(std::move(first));
    while (pos_ < p_.size() && p_[pos_] == '|' && !Failed()) {
      ++pos_;
      alt->kids.push_back(ParseConcat(depth));
    }
    return alt;
  }

  NodePtr ParseConcat(int depth) {
    auto cat = Make(Kind::kConcat);
    while (pos_ < p_.size() && p_[pos_] != '|' && p_[pos_] != ')' && !Failed()) {
      auto atom = ParseAtom(depth);
      if (Failed()) return cat;
      ParseQuantifiers(atom);
      cat->kids.push_back(std::move(atom));
    }
    return cat;
  }

  bool ReadInt(int* out) {
    size_t start = pos_;
    int v = 0;
    while (pos_ < p_.size() && p_[pos_] >= '0' && p_[pos_] <= '9') {
      v = v * 10 + (p_[pos_] - '0');
      if (v > 1000) v = 1000;
      ++pos_;
    }
    *out = v;
    return pos_ > start;
  }

  void ParseQuantifiers(NodePtr& atom) {
    while (pos_ < p_.size() && !Failed()) {
      char c = p_[pos_];
      int min = 0;
      int max = -1;
      if (c == '*') {
        ++pos_;
      } else if (c == '+') {
        min = 1;
        ++pos_;
      } else if (c == '?') {
        max = 1;
        ++pos_;
      } else if (c == '{') {
        size_t save = pos_;
        ++pos_;
        if (!ReadInt(&min)) {
          pos_ = save;  // a literal "{", as RE2 treats it
          return;
        }
        max = min;
        if (pos_ < p_.size() && p_[pos_] == ',') {
          ++pos_;
          if (!ReadInt(&max)) max = -1;
        }
        if (pos_ >= p_.size() || p_[pos_] != '}') {
          SetError(false, "重复次数缺少“}”", "repetition is missing '}'");
          return;
        }
        ++pos_;
        if (min > 100 || max > 100) {
          SetError(true, "重复次数超过 100", "repetition count above 100");
          return;
        }
        if (max != -1 && max < min) {
          SetError(false, "重复次数范围无效", "invalid repetition range");
          return;
        }
      } else {
        return;
      }
      if (pos_ < p_.size() && p_[pos_] == '?') ++pos_;  // lazy: same answer for a yes/no match
      if (atom->kind == Kind::kBol || atom->kind == Kind::kEol) {
        SetError(false, "锚点不能重复", "an anchor cannot be repeated");
        return;
      }
      auto rep = Make(Kind::kRepeat);
      rep->min = min;
      rep->max = max;
      rep->kids.push_back(std::move(atom));
      atom = std::move(rep);
    }
  }

  // Adds the ranges an escape letter stands for; false when `c` is not a class escape.
  bool ClassEscape(char c, Regex::Class* cls) {
    auto& r = cls->ranges;
    switch (c) {
      case 'd': r.push_back({'0', '9'}); return true;
      case 'w':
        r.push_back({'0', '9'});
        r.push_back({'A', 'Z'});
        r.push_back({'a', 'z'});
        r.push_back({'_', '_'});
        return true;
      case 's':
        r.push_back({' ', ' '});
        r.push_back({'\t', '\r'});
        return true;
      default: return false;
    }
  }

  uint32_t AddClass(Regex::Class cls) {
    re_.classes_.push_back(std::move(cls));
    return uint32_t(re_.classes_.size() - 1);
  }

  char32_t ReadChar() {
    char32_t cp = 0;
    pos_ += size_t(DecodeOne(p_, pos_, &cp));
    return cp;
  }

  NodePtr ParseAtom(int depth) {
    char c = p_[pos_];
    if (c == '(') {
      if (depth > 100) {
        SetError(true, "分组嵌套过深", "groups nested too deeply");
        return Make(Kind::kEmpty);
      }
      ++pos_;
      if (p_.substr(pos_).starts_with("?:")) {
        pos_ += 2;
      } else if (pos_ < p_.size() && p_[pos_] == '?') {
        SetError(false, "不支持的分组语法", "unsupported group syntax");
        return Make(Kind::kEmpty);
      }
      auto inner = ParseAlternation(depth + 1);
      if (Failed()) return inner;
      if (pos_ >= p_.size() || p_[pos_] != ')') {
        SetError(false, "缺少“)”", "missing ')'");
        return inner;
      }
      ++pos_;
      return inner;
    }
    if (c == '*' || c == '+' || c == '?') {
      SetError(false, "量词前缺少内容", "quantifier without an operand");
      return Make(Kind::kEmpty);
    }
    if (c == '.') {
      ++pos_;
      return Make(Kind::kAny);
    }
    if (c == '^') {
      ++pos_;
      return Make(Kind::kBol);
    }
    if (c == '$') {
      ++pos_;
      return Make(Kind::kEol);
    }
    if (c == '[') return ParseClass();
    if (c == '\\') {
      ++pos_;
      if (pos_ >= p_.size()) {
        SetError(false, "结尾的“\\”", "trailing '\\'");
        return Make(Kind::kEmpty);
      }
      char e = p_[pos_];
      Regex::Class cls;
      char lower = char(e >= 'A' && e <= 'Z' ? e - 'A' + 'a' : e);
      if (ClassEscape(lower, &cls)) {
        ++pos_;
        cls.negated = e != lower;
        auto n = Make(Kind::kClass);
        n->cls = AddClass(std::move(cls));
        return n;
      }
      auto n = Make(Kind::kChar);
      if (e == 'n') {
        ++pos_;
        n->ch = '\n';
      } else if (e == 't') {
        ++pos_;
        n->ch = '\t';
      } else if ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9')) {
        SetError(false, "不支持的转义“\\" + std::string(1, e) + "”",
                 "unsupported escape '\\" + std::string(1, e) + "'");
      } else {
        n->ch = ReadChar();
      }
      return n;
    }
    auto n = Make(Kind::kChar);
    n->ch = ReadChar();
    return n;
  }

  NodePtr ParseClass() {
    ++pos_;  // '['
    Regex::Class cls;
    if (pos_ < p_.size() && p_[pos_] == '^') {
      cls.negated = true;
      ++pos_;
    }
    bool first = true;
    while (true) {
      if (pos_ >= p_.size()) {
        SetError(false, "字符类缺少“]”", "character class is missing ']'");
        return Make(Kind::kEmpty);
      }
      if (p_[pos_] == ']' && !first) {
        ++pos_;
        break;
      }
      first = false;
      char32_t lo;
      if (p_[pos_] == '\\') {
        ++pos_;
        if (pos_ >= p_.size()) continue;
        char e = p_[pos_];
        if (ClassEscape(e, &cls)) {
          ++pos_;
          continue;
        }
        if (e == 'D' || e == 'W' || e == 'S') {
          SetError(false, "字符类中不支持取反转义", "negated escapes are not supported in a class");
          return Make(Kind::kEmpty);
        }
        if (e != 'n' && e != 't' &&
            ((e >= 'a' && e <= 'z') || (e >= 'A' && e <= 'Z') || (e >= '0' && e <= '9'))) {
          SetError(false, "不支持的转义“\\" + std::string(1, e) + "”",
                   "unsupported escape '\\" + std::string(1, e) + "'");
          return Make(Kind::kEmpty);
        }
        lo = e == 'n' ? U'\n' : e == 't' ? U'\t' : ReadChar();
        if (e == 'n' || e == 't') ++pos_;
      } else {
        lo = ReadChar();
      }
      char32_t hi = lo;
      if (pos_ + 1 < p_.size() && p_[pos_] == '-' && p_[pos_ + 1] != ']') {
        ++pos_;
        if (p_[pos_] == '\\') ++pos_;
        if (pos_ >= p_.size()) continue;
        hi = ReadChar();
        if (hi < lo) {
          SetError(false, "字符范围无效", "invalid character range");
          return Make(Kind::kEmpty);
        }
      }
      cls.ranges.push_back({lo, hi});
    }
    auto n = Make(Kind::kClass);
    n->cls = AddClass(std::move(cls));
    return n;
  }

  uint32_t Pc() const { return uint32_t(re_.program_.size()); }

  bool Push(Regex::Inst inst) {
    if (re_.program_.size() >= Regex::kMaxProgramSize) {
      SetError(true, "正则表达式展开后过大", "the pattern expands to too many steps");
      return false;
    }
    re_.program_.push_back(inst);
    return true;
  }

  void Emit(const Node& n) {
    if (Failed()) return;
    switch (n.kind) {
      case Kind::kEmpty: return;
      case Kind::kChar: Push({Regex::OpCode::kChar, n.ch}); return;
      case Kind::kAny: Push({Regex::OpCode::kAny}); return;
      case Kind::kClass: Push({Regex::OpCode::kClass, 0, n.cls}); return;
      case Kind::kBol: Push({Regex::OpCode::kBol}); return;
      case Kind::kEol: Push({Regex::OpCode::kEol}); return;
      case Kind::kConcat:
        for (const auto& k : n.kids) Emit(*k);
        return;
      case Kind::kAlt: {
        // split L1, next; L1: a; jmp end; next: split L2, … ; last alternative falls through.
        std::vector<uint32_t> jumps;
        for (size_t i = 0; i < n.kids.size(); ++i) {
          if (i + 1 < n.kids.size()) {
            uint32_t split = Pc();
            if (!Push({Regex::OpCode::kSplit, 0, split + 1, 0})) return;
            Emit(*n.kids[i]);
            jumps.push_back(Pc());
            if (!Push({Regex::OpCode::kJmp})) return;
            re_.program_[split].y = Pc();
          } else {
            Emit(*n.kids[i]);
          }
        }
        for (uint32_t j : jumps) re_.program_[j].x = Pc();
        return;
      }
      case Kind::kRepeat: {
        const Node& body = *n.kids[0];
        for (int i = 0; i < n.min; ++i) Emit(body);
        if (n.max == -1) {
          uint32_t loop = Pc();
          if (!Push({Regex::OpCode::kSplit, 0, loop + 1, 0})) return;
          Emit(body);
          if (!Push({Regex::OpCode::kJmp, 0, loop})) return;
          re_.program_[loop].y = Pc();
          return;
        }
        std::vector<uint32_t> splits;
        for (int i = n.min; i < n.max; ++i) {
          splits.push_back(Pc());
          if (!Push({Regex::OpCode::kSplit, 0, Pc() + 1, 0})) return;
          Emit(body);
        }
        for (uint32_t s : splits) re_.program_[s].y = Pc();
        return;
      }
    }
  }

  std::string_view p_;
  size_t pos_ = 0;
  Regex re_;
  Regex::CompileError error_;
};

tl::expected<Regex, Regex::CompileError> Regex::Compile(std::string_view pattern) {
  return RegexCompiler(pattern).Run();
}

bool Regex::ClassMatches(const Class& c, char32_t ch) const {
  auto in_ranges = [&](char32_t x) {
    for (const auto& r : c.ranges) {
      if (x >= r.lo && x <= r.hi) return true;
    }
    return false;
  };
  bool in = in_ranges(ch);
  if (!in && ignore_case_ && ch < 128) {
    char32_t upper = ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch;
    in = in_ranges(FoldAscii(ch)) || in_ranges(upper);
  }
  return in != c.negated;
}

bool Regex::Search(std::u32string_view input) const {
  // Breadth-first simulation: `clist` holds the program counters alive before input[i]; each
  // pc enters a list at most once per position (the `mark` generation), which bounds the work
  // per character by the program size whatever the pattern.
  const size_t n = program_.size();
  std::vector<uint32_t> clist, nlist, stack;
  std::vector<size_t> mark(n, SIZE_MAX);
  clist.reserve(n);
  nlist.reserve(n);
  size_t generation = 0;

  auto add = [&](std::vector<uint32_t>& list, uint32_t pc0, size_t i) -> bool {
    stack.clear();
    stack.push_back(pc0);
    while (!stack.empty()) {
      uint32_t pc = stack.back();
      stack.pop_back();
      if (mark[pc] == generation) continue;
      mark[pc] = generation;
      const Inst& inst = program_[pc];
      switch (inst.op) {
        case OpCode::kJmp: stack.push_back(inst.x); break;
        case OpCode::kSplit:
          stack.push_back(inst.y);
          stack.push_back(inst.x);
          break;
        case OpCode::kBol:
          if (i == 0) stack.push_back(pc + 1);
          break;
        case OpCode::kEol:
          if (i == input.size()) stack.push_back(pc + 1);
          break;
        case OpCode::kMatch: return true;
        default: list.push_back(pc); break;
      }
    }
    return false;
  };

  for (size_t i = 0; i <= input.size(); ++i) {
    // The unanchored search starts a new thread at every position.
    if (add(clist, 0, i)) return true;
    if (i == input.size()) break;
    ++generation;
    nlist.clear();
    char32_t ch = input[i];
    for (uint32_t pc : clist) {
      const Inst& inst = program_[pc];
      bool ok = false;
      switch (inst.op) {
        case OpCode::kChar:
          ok = inst.ch == ch || (ignore_case_ && FoldAscii(inst.ch) == FoldAscii(ch));
          break;
        case OpCode::kAny: ok = ch != '\n'; break;
        case OpCode::kClass: ok = ClassMatches(classes_[inst.x], ch); break;
        default: break;
      }
      if (ok && add(nlist, pc + 1, i + 1)) return true;
    }
    std::swap(clist, nlist);
  }
  return false;
}

}  // namespace oc::expr

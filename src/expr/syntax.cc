#include "expr/syntax.h"

#include <algorithm>
#include <optional>

namespace oc::expr {
namespace {

enum class Tok : uint8_t {
  kEnd,
  kInteger,
  kNumber,
  kText,
  kName,
  kQuotedName,
  kOperator,
  kLParen,
  kRParen,
  kComma,
  kLBracket,
  kRBracket,
};

struct Token {
  Tok kind = Tok::kEnd;
  SourceSpan span;
  std::string text;  // operator / name / unescaped text / number digits
};

// Decodes one UTF-8 code point at `i`; returns its length, or 0 when the bytes are not valid
// UTF-8 (overlong forms and surrogates included).
int DecodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + size_t(len) > s.size()) return 0;
  char32_t v = c & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + size_t(k)]);
    if ((cc & 0xC0) != 0x80) return 0;
    v = (v << 6) | (cc & 0x3F);
  }
  if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
      (v >= 0xD800 && v <= 0xDFFF)) {
    return 0;
  }
  *cp = v;
  return len;
}

// Chinese input methods produce full-width punctuation; naming the half-width replacement
// turns a baffling "unrecognised character" into a one-keystroke fix.
std::optional<std::string_view> HalfWidthFor(char32_t cp) {
  switch (cp) {
    case U'（': return "(";
    case U'）': return ")";
    case U'，': return ",";
    case U'“': return "\"";
    case U'”': return "\"";
    case U'‘': return "'";
    case U'’': return "'";
    case U'；': return ";";
    case U'＝': return "=";
    case U'＞': return ">";
    case U'＜': return "<";
    case U'＋': return "+";
    case U'－': return "-";
    case U'＊': return "*";
    case U'／': return "/";
    case U'！': return "!";
    case U'＆': return "&";
    case U'【': return "[";
    case U'】': return "]";
    case U'｛': return "{";
    case U'｝': return "}";
    case U'　': return " ";
    case U'％': return "%";
    case U'＾': return "^";
    case U'。': return ".";
    case U'：': return ":";
    default: return std::nullopt;
  }
}

bool IsNameStart(char32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
  if (HalfWidthFor(cp)) return false;
  // Punctuation and symbol blocks never belong in a name; letters of every script do.
  if (cp >= 0x2000 && cp <= 0x206F) return false;
  if (cp >= 0x3000 && cp <= 0x303F) return false;
  if (cp >= 0xFF00 && cp <= 0xFF0F) return false;
  if (cp >= 0xFF1A && cp <= 0xFF20) return false;
  if (cp >= 0xFF3B && cp <= 0xFF40) return false;
  if (cp >= 0xFF5B && cp <= 0xFF65) return false;
  if (cp < 0xA0) return false;
  return true;
}

bool IsNameContinue(char32_t cp) { return IsNameStart(cp) || (cp >= '0' && cp <= '9'); }

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view source, const ParseLimits& limits, SyntaxTree* tree,
         std::vector<Diagnostic>* diagnostics)
      : src_(source), limits_(limits), tree_(tree), diagnostics_(diagnostics) {}

  bool Run() {
    if (src_.size() > limits_.max_source_bytes) {
      Fail(ErrorKind::kExpressionTooLong, {0, 0}, {std::to_string(limits_.max_source_bytes)});
      return false;
    }
    // Text literals are copied byte for byte into values that end up in JSON and on screens,
    // so the whole source must be valid UTF-8, not only the names.
    for (size_t i = 0; i < src_.size();) {
      char32_t cp = 0;
      int len = DecodeUtf8(src_, i, &cp);
      if (len == 0) {
        Fail(ErrorKind::kInvalidUtf8, {uint32_t(i), uint32_t(i + 1)});
        return false;
      }
      i += size_t(len);
    }
    Advance();
    if (failed_) return false;
    if (tok_.kind == Tok::kEnd) {
      Fail(ErrorKind::kEmptyExpression, {0, uint32_t(src_.size())});
      return false;
    }
    uint32_t root = ParseOr();
    if (failed_) return false;
    if (tok_.kind == Tok::kRParen) {
      Fail(ErrorKind::kUnbalancedParenthesis, tok_.span,
           {MessageArg("多余的“)”", "extra ')'")});
      return false;
    }
    if (tok_.kind != Tok::kEnd) {
      Unexpected(MessageArg("运算符或表达式结尾", "an operator or the end of the expression"));
      return false;
    }
    tree_->root = root;
    return true;
  }

 private:
  static constexpr uint32_t kInvalid = UINT32_MAX;

  // ---- lexer ----

  void Advance() {
    if (failed_) return;
    tok_ = Lex();
  }

  Token Lex() {
    Token t;
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
        continue;
      }
      break;
    }
    t.span = {uint32_t(pos_), uint32_t(pos_)};
    if (pos_ >= src_.size()) return t;
    size_t start = pos_;
    char c = src_[pos_];
    auto finish = [&](Tok kind, size_t len) {
      pos_ = start + len;
      t.kind = kind;
      t.span = {uint32_t(start), uint32_t(pos_)};
      if (t.text.empty() && kind != Tok::kText) t.text = std::string(src_.substr(start, len));
      return t;
    };
    if (c >= '0' && c <= '9') {
      size_t i = pos_;
      while (i < src_.size() && src_[i] >= '0' && src_[i] <= '9') ++i;
      bool fraction = false;
      if (i + 1 < src_.size() && src_[i] == '.' && src_[i + 1] >= '0' && src_[i + 1] <= '9') {
        fraction = true;
        ++i;
        while (i < src_.size() && src_[i] >= '0' && src_[i] <= '9') ++i;
      }
      return finish(fraction ? Tok::kNumber : Tok::kInteger, i - pos_);
    }
    if (c == '"') {
      std::string text;
      size_t i = pos_ + 1;
      while (true) {
        if (i >= src_.size()) {
          Fail(ErrorKind::kUnterminatedText, {uint32_t(start), uint32_t(src_.size())});
          return t;
        }
        if (src_[i] == '"') {
          if (i + 1 < src_.size() && src_[i + 1] == '"') {
            text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        text += src_[i++];
      }
      t.text = std::move(text);
      return finish(Tok::kText, i - start);
    }
    if (c == '{') {
      size_t close = src_.find('}', pos_ + 1);
      if (close == std::string_view::npos) {
        Fail(ErrorKind::kUnterminatedFieldName, {uint32_t(start), uint32_t(src_.size())});
        return t;
      }
      std::string_view name = src_.substr(pos_ + 1, close - pos_ - 1);
      // Surrounding blanks inside the braces are not part of the name.
      while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      if (name.empty()) {
        Fail(ErrorKind::kUnexpectedToken, {uint32_t(start), uint32_t(close + 1)},
             {"{}", MessageArg("字段名", "a field name")});
        return t;
      }
      t.text = std::string(name);
      return finish(Tok::kQuotedName, close + 1 - start);
    }
    switch (c) {
      case '(': return finish(Tok::kLParen, 1);
      case ')': return finish(Tok::kRParen, 1);
      case ',': return finish(Tok::kComma, 1);
      case '[': return finish(Tok::kLBracket, 1);
      case ']': return finish(Tok::kRBracket, 1);
      case '+': case '-': case '*': case '/': case '%': case '^': case '&':
        if (c == '&' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '&') {
          return finish(Tok::kOperator, 2);
        }
        return finish(Tok::kOperator, 1);
      case '|':
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '|') return finish(Tok::kOperator, 2);
        break;
      case '=':
        return finish(Tok::kOperator,
                      pos_ + 1 < src_.size() && src_[pos_ + 1] == '=' ? 2 : 1);
      case '!':
        return finish(Tok::kOperator,
                      pos_ + 1 < src_.size() && src_[pos_ + 1] == '=' ? 2 : 1);
      case '<':
        if (pos_ + 1 < src_.size() && (src_[pos_ + 1] == '=' || src_[pos_ + 1] == '>')) {
          return finish(Tok::kOperator, 2);
        }
        return finish(Tok::kOperator, 1);
      case '>':
        return finish(Tok::kOperator,
                      pos_ + 1 < src_.size() && src_[pos_ + 1] == '=' ? 2 : 1);
      default:
        break;
    }
    // Run() validated the whole source as UTF-8, so decoding succeeds here.
    char32_t cp = 0;
    int len = DecodeUtf8(src_, pos_, &cp);
    if (IsNameStart(cp)) {
      size_t i = pos_ + size_t(len);
      while (i < src_.size()) {
        char32_t next = 0;
        int l = DecodeUtf8(src_, i, &next);
        if (l == 0 || !IsNameContinue(next)) break;
        i += size_t(l);
      }
      return finish(Tok::kName, i - pos_);
    }
    SourceSpan span{uint32_t(pos_), uint32_t(pos_ + size_t(len))};
    std::string shown(src_.substr(pos_, size_t(len)));
    if (auto half = HalfWidthFor(cp)) {
      Fail(ErrorKind::kFullWidthCharacter, span, {shown, std::string(*half)});
    } else {
      Fail(ErrorKind::kInvalidCharacter, span, {shown});
    }
    return t;
  }

  // ---- tree building ----

  uint32_t NewNode(SyntaxKind kind, SourceSpan span, std::string text,
                   std::vector<uint32_t> children = {}) {
    int d = 1;
    for (uint32_t c : children) d = std::max(d, depth_[c] + 1);
    if (d > limits_.max_depth) {
      Fail(ErrorKind::kExpressionTooDeep, span, {std::to_string(limits_.max_depth)});
      return kInvalid;
    }
    SyntaxNode n;
    n.kind = kind;
    n.span = span;
    n.name_span = span;
    n.text = std::move(text);
    n.children = std::move(children);
    tree_->nodes.push_back(std::move(n));
    depth_.push_back(d);
    return uint32_t(tree_->nodes.size() - 1);
  }

  SourceSpan SpanOf(uint32_t a, uint32_t b) const {
    return {tree_->nodes[a].span.begin, tree_->nodes[b].span.end};
  }

  void Fail(ErrorKind kind, SourceSpan span, const std::vector<MessageArg>& args = {}) {
    if (failed_) return;
    failed_ = true;
    diagnostics_->push_back(MakeDiagnostic(kind, src_, span, args));
  }

  void Unexpected(const MessageArg& expected) {
    if (tok_.kind == Tok::kEnd) {
      Fail(ErrorKind::kUnexpectedEnd, tok_.span, {expected});
    } else {
      std::string shown = tok_.kind == Tok::kText ? "\"" + tok_.text + "\""
                                                  : std::string(src_.substr(
                                                        tok_.span.begin,
                                                        tok_.span.end - tok_.span.begin));
      Fail(ErrorKind::kUnexpectedToken, tok_.span, {shown, expected});
    }
  }

  // Case-insensitive, without allocating: the parser asks this several times per token.
  bool IsKeyword(std::string_view upper) const {
    if (tok_.kind != Tok::kName || tok_.text.size() != upper.size()) return false;
    for (size_t i = 0; i < upper.size(); ++i) {
      char c = tok_.text[i];
      if (c >= 'a' && c <= 'z') c = char(c - 'a' + 'A');
      if (c != upper[i]) return false;
    }
    return true;
  }
  bool IsOperator(std::string_view op) const {
    return tok_.kind == Tok::kOperator && tok_.text == op;
  }

  // Guards the parser's own recursion, which can run ahead of the tree depth ("-----1").
  struct DepthGuard {
    explicit DepthGuard(Parser* p) : parser(p) {
      if (++parser->recursion_ > parser->limits_.max_depth) {
        parser->Fail(ErrorKind::kExpressionTooDeep, parser->tok_.span,
                     {std::to_string(parser->limits_.max_depth)});
      }
    }
    ~DepthGuard() { --parser->recursion_; }
    Parser* parser;
  };

  uint32_t Binary(std::string op, uint32_t left, uint32_t right) {
    if (failed_) return kInvalid;
    return NewNode(SyntaxKind::kBinary, SpanOf(left, right), std::move(op), {left, right});
  }

  uint32_t ParseOr() {
    DepthGuard guard(this);
    if (failed_) return kInvalid;
    uint32_t left = ParseAnd();
    while (!failed_ && (IsKeyword("OR") || IsOperator("||"))) {
      Advance();
      uint32_t right = ParseAnd();
      left = Binary("OR", left, right);
    }
    return left;
  }

  uint32_t ParseAnd() {
    uint32_t left = ParseNot();
    while (!failed_ && (IsKeyword("AND") || IsOperator("&&"))) {
      Advance();
      uint32_t right = ParseNot();
      left = Binary("AND", left, right);
    }
    return left;
  }

  // The next significant source character after the current token.
  char PeekChar() const {
    size_t i = pos_;
    while (i < src_.size() && (src_[i] == ' ' || src_[i] == '\t' || src_[i] == '\n' ||
                               src_[i] == '\r')) {
      ++i;
    }
    return i < src_.size() ? src_[i] : '\0';
  }

  uint32_t ParseNot() {
    // "NOT(" is the function NOT, as in Excel, so NOT(a) = b compares NOT(a) with b.
    if ((IsKeyword("NOT") && PeekChar() != '(') || IsOperator("!")) {
      DepthGuard guard(this);
      if (failed_) return kInvalid;
      SourceSpan op_span = tok_.span;
      Advance();
      uint32_t operand = ParseNot();
      if (failed_) return kInvalid;
      return NewNode(SyntaxKind::kUnary, {op_span.begin, tree_->nodes[operand].span.end}, "NOT",
                     {operand});
    }
    return ParseCompare();
  }

  uint32_t ParseCompare() {
    uint32_t left = ParseConcat();
    if (failed_) return kInvalid;
    static constexpr std::pair<std::string_view, std::string_view> kCompare[] = {
        {"=", "="}, {"==", "="}, {"!=", "<>"}, {"<>", "<>"},
        {"<", "<"}, {"<=", "<="}, {">", ">"},   {">=", ">="},
    };
    if (tok_.kind == Tok::kOperator) {
      for (const auto& [spelled, canonical] : kCompare) {
        if (tok_.text == spelled) {
          Advance();
          uint32_t right = ParseConcat();
          return Binary(std::string(canonical), left, right);
        }
      }
    }
    bool negated = false;
    if (IsKeyword("NOT")) {
      negated = true;
      Advance();
      if (!IsKeyword("IN") && !IsKeyword("BETWEEN")) {
        Unexpected(MessageArg("IN 或 BETWEEN", "IN or BETWEEN"));
        return kInvalid;
      }
    }
    if (IsKeyword("IN")) {
      Advance();
      std::vector<uint32_t> children{left};
      bool list_form = false;
      SourceSpan end = tok_.span;
      if (tok_.kind == Tok::kLParen) {
        SourceSpan open = tok_.span;
        Advance();
        if (!ParseItems(Tok::kRParen, open, &children, &end)) return kInvalid;
      } else {
        uint32_t list = ParseConcat();
        if (failed_) return kInvalid;
        children.push_back(list);
        end = tree_->nodes[list].span;
        list_form = true;
      }
      uint32_t n = NewNode(SyntaxKind::kIn, {tree_->nodes[left].span.begin, end.end}, "IN",
                           std::move(children));
      if (failed_) return kInvalid;
      tree_->nodes[n].negated = negated;
      tree_->nodes[n].list_form = list_form;
      return n;
    }
    if (IsKeyword("BETWEEN")) {
      Advance();
      uint32_t low = ParseConcat();
      if (failed_) return kInvalid;
      if (!IsKeyword("AND")) {
        Unexpected(MessageArg("BETWEEN 之后的 AND", "AND after BETWEEN"));
        return kInvalid;
      }
      Advance();
      uint32_t high = ParseConcat();
      if (failed_) return kInvalid;
      uint32_t n = NewNode(SyntaxKind::kBetween, SpanOf(left, high), "BETWEEN", {left, low, high});
      if (failed_) return kInvalid;
      tree_->nodes[n].negated = negated;
      return n;
    }
    return left;
  }

  uint32_t ParseConcat() {
    uint32_t left = ParseAdditive();
    while (!failed_ && IsOperator("&")) {
      Advance();
      uint32_t right = ParseAdditive();
      left = Binary("&", left, right);
    }
    return left;
  }

  uint32_t ParseAdditive() {
    uint32_t left = ParseProduct();
    while (!failed_ && (IsOperator("+") || IsOperator("-"))) {
      std::string op = tok_.text;
      Advance();
      uint32_t right = ParseProduct();
      left = Binary(op, left, right);
    }
    return left;
  }

  uint32_t ParseProduct() {
    uint32_t left = ParsePower();
    while (!failed_ && (IsOperator("*") || IsOperator("/") || IsOperator("%"))) {
      std::string op = tok_.text;
      Advance();
      uint32_t right = ParsePower();
      left = Binary(op, left, right);
    }
    return left;
  }

  uint32_t ParsePower() {
    uint32_t left = ParseUnary();
    while (!failed_ && IsOperator("^")) {
      Advance();
      uint32_t right = ParseUnary();
      left = Binary("^", left, right);
    }
    return left;
  }

  uint32_t ParseUnary() {
    if (IsOperator("-") || IsOperator("+")) {
      DepthGuard guard(this);
      if (failed_) return kInvalid;
      std::string op = tok_.text;
      SourceSpan op_span = tok_.span;
      Advance();
      uint32_t operand = ParseUnary();
      if (failed_) return kInvalid;
      return NewNode(SyntaxKind::kUnary, {op_span.begin, tree_->nodes[operand].span.end}, op,
                     {operand});
    }
    return ParsePrimary();
  }

  // Parses `item ("," item)* close` after the opening token; an empty list is allowed.
  bool ParseItems(Tok close, SourceSpan open, std::vector<uint32_t>* items, SourceSpan* end) {
    if (tok_.kind == close) {
      *end = tok_.span;
      Advance();
      return !failed_;
    }
    while (true) {
      uint32_t item = ParseOr();
      if (failed_) return false;
      items->push_back(item);
      if (tok_.kind == Tok::kComma) {
        Advance();
        continue;
      }
      if (tok_.kind == close) {
        *end = tok_.span;
        Advance();
        return !failed_;
      }
      if (close == Tok::kRParen && tok_.kind == Tok::kEnd) {
        Fail(ErrorKind::kUnbalancedParenthesis, open,
             {MessageArg("“(”缺少对应的“)”", "'(' is never closed")});
        return false;
      }
      Unexpected(close == Tok::kRParen ? MessageArg("“,”或“)”", "',' or ')'")
                                       : MessageArg("“,”或“]”", "',' or ']'"));
      return false;
    }
  }

  uint32_t ParsePrimary() {
    DepthGuard guard(this);
    if (failed_) return kInvalid;
    Token t = tok_;
    switch (t.kind) {
      case Tok::kInteger:
        Advance();
        return NewNode(SyntaxKind::kInteger, t.span, t.text);
      case Tok::kNumber:
        Advance();
        return NewNode(SyntaxKind::kNumber, t.span, t.text);
      case Tok::kText:
        Advance();
        return NewNode(SyntaxKind::kText, t.span, t.text);
      case Tok::kQuotedName:
        Advance();
        return NewNode(SyntaxKind::kField, t.span, t.text);
      case Tok::kLParen: {
        Advance();
        uint32_t inner = ParseOr();
        if (failed_) return kInvalid;
        if (tok_.kind == Tok::kRParen) {
          SourceSpan close = tok_.span;
          Advance();
          // The parenthesised span covers the parentheses, so errors underline what was typed.
          tree_->nodes[inner].span = {t.span.begin, close.end};
          return inner;
        }
        if (tok_.kind == Tok::kEnd) {
          Fail(ErrorKind::kUnbalancedParenthesis, t.span,
               {MessageArg("“(”缺少对应的“)”", "'(' is never closed")});
          return kInvalid;
        }
        Unexpected(MessageArg("“)”", "')'"));
        return kInvalid;
      }
      case Tok::kLBracket: {
        Advance();
        std::vector<uint32_t> items;
        SourceSpan end = t.span;
        if (!ParseItems(Tok::kRBracket, t.span, &items, &end)) return kInvalid;
        return NewNode(SyntaxKind::kList, {t.span.begin, end.end}, "[]", std::move(items));
      }
      case Tok::kName: {
        std::string upper = Upper(t.text);
        if (upper == "TRUE" || upper == "FALSE") {
          Advance();
          return NewNode(SyntaxKind::kBoolean, t.span, upper);
        }
        if (upper == "NULL") {
          Advance();
          return NewNode(SyntaxKind::kNull, t.span, upper);
        }
        Advance();
        if (tok_.kind != Tok::kLParen) return NewNode(SyntaxKind::kField, t.span, t.text);
        SourceSpan open = tok_.span;
        Advance();
        std::vector<uint32_t> args;
        SourceSpan end = open;
        if (!ParseItems(Tok::kRParen, open, &args, &end)) return kInvalid;
        uint32_t n = NewNode(SyntaxKind::kCall, {t.span.begin, end.end}, t.text, std::move(args));
        if (failed_) return kInvalid;
        tree_->nodes[n].name_span = t.span;
        return n;
      }
      case Tok::kRParen:
        Fail(ErrorKind::kUnbalancedParenthesis, t.span, {MessageArg("多余的“)”", "extra ')'")});
        return kInvalid;
      default:
        Unexpected(MessageArg("值、字段或函数", "a value, field or function"));
        return kInvalid;
    }
  }

  std::string_view src_;
  const ParseLimits& limits_;
  SyntaxTree* tree_;
  std::vector<Diagnostic>* diagnostics_;
  std::vector<int> depth_;
  size_t pos_ = 0;
  Token tok_;
  bool failed_ = false;
  int recursion_ = 0;
};

}  // namespace

bool Parse(std::string_view source, const ParseLimits& limits, SyntaxTree* tree,
           std::vector<Diagnostic>* diagnostics) {
  tree->nodes.clear();
  tree->nodes.reserve(source.size() / 3 + 4);  // roughly one node per token
  Parser parser(source, limits, tree, diagnostics);
  return parser.Run();
}

bool IsPlainFieldName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size();) {
    char32_t cp = 0;
    const int length = DecodeUtf8(name, i, &cp);
    if (length == 0 || !(i == 0 ? IsNameStart(cp) : IsNameContinue(cp))) return false;
    i += size_t(length);
  }
  static constexpr std::string_view kKeywords[] = {"TRUE", "FALSE", "NULL", "AND",
                                                   "OR",   "NOT",   "IN",   "BETWEEN"};
  const std::string upper = Upper(name);
  return std::find(std::begin(kKeywords), std::end(kKeywords), upper) == std::end(kKeywords);
}

}  // namespace oc::expr

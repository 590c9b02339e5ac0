#include "expr/regex.h"

#include <re2/re2.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

namespace oc::expr {

struct Regex::Compiled {
  Compiled(std::string_view pattern, const RE2::Options& options) : re(pattern, options) {}
  RE2 re;
};

namespace {

using CompileError = Regex::CompileError;

CompileError Malformed(std::string zh, std::string en) {
  return {false, std::move(zh), std::move(en)};
}
CompileError Costly(std::string zh, std::string en) { return {true, std::move(zh), std::move(en)}; }

CompileError RepeatTooLarge() {
  const std::string max = std::to_string(Regex::kMaxRepeat);
  return Costly("重复次数过大（每处不超过 " + max + "，嵌套的次数相乘不超过 1000）",
                "repetition count too large (at most " + max +
                    ", and at most 1000 when nested counts are multiplied)");
}

// Whether RE2's argument for a bad repetition size, "{n,m}", has m < n. RE2 reports a reversed
// range, a count over 1000 and nested counts multiplying past 1000 all as one error code, and
// only the first is a mistake rather than a cost.
bool IsReversedRange(std::string_view arg) {
  size_t comma = arg.find(',');
  if (!arg.starts_with('{') || !arg.ends_with('}') || comma == std::string_view::npos ||
      comma + 2 == arg.size()) {
    return false;
  }
  auto number = [](std::string_view digits) {
    long v = 0;
    for (char c : digits) v = std::min(v * 10 + (c - '0'), 1'000'000L);
    return v;
  };
  return number(arg.substr(comma + 1, arg.size() - comma - 2)) < number(arg.substr(1, comma - 1));
}

// RE2's error in both languages. Syntax from other regex dialects that RE2 reports only as a bad
// escape or a bad Perl operator (backreferences, lookaround, \u) gets a message of its own,
// saying what is not supported and what to write instead.
CompileError FromRe2(const RE2& re) {
  const std::string& arg = re.error_arg();
  const std::string zh = "“" + arg + "”";
  const std::string en = "'" + arg + "'";
  switch (re.error_code()) {
    case RE2::ErrorMissingParen:
      return Malformed("缺少“)”", "missing ')'");
    case RE2::ErrorUnexpectedParen:
      return Malformed("多余的“)”", "unmatched ')'");
    case RE2::ErrorMissingBracket:
      return Malformed("字符类缺少“]”", "character class is missing ']'");
    case RE2::ErrorBadCharRange:
      return Malformed("字符范围或字符类无效" + zh, "invalid character range or class " + en);
    case RE2::ErrorBadCharClass:
      return Malformed("字符类无效" + zh, "invalid character class " + en);
    case RE2::ErrorTrailingBackslash:
      return Malformed("结尾的“\\”", "trailing '\\'");
    case RE2::ErrorRepeatArgument:
      return Malformed("量词" + zh + "前缺少内容", "quantifier " + en + " without an operand");
    case RE2::ErrorRepeatOp:
      return Malformed(
          "量词不能叠加" + zh + "，请先分组，如 (?:a{2}){3}",
          "quantifiers cannot be stacked (" + en + "); group first, as in (?:a{2}){3}");
    case RE2::ErrorRepeatSize:
      if (IsReversedRange(arg)) {
        return Malformed("重复次数范围无效" + zh, "invalid repetition range " + en);
      }
      return RepeatTooLarge();
    case RE2::ErrorBadEscape:
      if (arg.size() == 2 && ((arg[1] >= '1' && arg[1] <= '9') || arg[1] == 'k')) {
        return Malformed("不支持反向引用" + zh,
                         "backreferences such as " + en + " are not supported");
      }
      if (arg == "\\u") {
        return Malformed("不支持“\\u”，请写作 \\x{4e00}",
                         "'\\u' is not supported; write \\x{4e00}");
      }
      return Malformed("不支持的转义" + zh, "unsupported escape " + en);
    case RE2::ErrorBadPerlOp:
      if (arg == "(?=" || arg == "(?!") {
        return Malformed("不支持先行断言" + zh, "lookahead " + en + " is not supported");
      }
      if (arg == "(?<") {
        return Malformed("不支持后行断言 (?<= (?<!；命名分组请写作 (?P<名称>…)",
                         "lookbehind (?<= (?<! is not supported; a named group is written "
                         "(?P<name>…)");
      }
      return Malformed("不支持的分组或标志语法" + zh, "unsupported group or flag syntax " + en);
    case RE2::ErrorBadUTF8:
      return Malformed("正则表达式不是有效的 UTF-8", "the pattern is not valid UTF-8");
    case RE2::ErrorBadNamedCapture:
      return Malformed("分组名称无效" + zh, "invalid group name " + en);
    case RE2::ErrorPatternTooLarge:
      return Costly("正则表达式编译后过大", "the pattern compiles to too large a program");
    default:
      return Malformed("正则表达式无法编译", "the pattern cannot be compiled");
  }
}

// The index just past the escape that starts at p[i] == '\\'. Braced escapes (\x{…}, \p{…},
// \P{…}) are skipped whole, so their braces are not read as a repetition.
size_t SkipEscape(std::string_view p, size_t i) {
  if (i + 2 < p.size() && p[i + 2] == '{' &&
      (p[i + 1] == 'x' || p[i + 1] == 'p' || p[i + 1] == 'P')) {
    size_t close = p.find('}', i + 3);
    return close == std::string_view::npos ? p.size() : close + 1;
  }
  return i + 2;  // the bytes after a UTF-8 lead byte are never syntax
}

// The index just past the character class that starts at p[i] == '['.
size_t SkipClass(std::string_view p, size_t i) {
  ++i;
  if (i < p.size() && p[i] == '^') ++i;
  if (i < p.size() && p[i] == ']') ++i;  // a ']' first in the class is a literal
  while (i < p.size() && p[i] != ']') {
    if (p.substr(i).starts_with("[:")) {
      size_t close = p.find(":]", i + 2);
      if (close != std::string_view::npos) {
        i = close + 2;
        continue;
      }
    }
    i = p[i] == '\\' ? SkipEscape(p, i) : i + 1;
  }
  return i + 1;
}

// Checks the counts of RE2's repetition syntax, {n}, {n,} or {n,m}, at p[i] == '{'. Any other
// brace is a literal, and passes.
std::optional<CompileError> CheckRepetition(std::string_view p, size_t i) {
  size_t j = i + 1;
  bool leading_zero = false;
  bool too_large = false;
  auto read_count = [&] {
    size_t start = j;
    long value = 0;
    for (; j < p.size() && p[j] >= '0' && p[j] <= '9'; ++j) {
      value = std::min(value * 10 + (p[j] - '0'), 1'000'000L);
    }
    leading_zero = leading_zero || (j - start >= 2 && p[start] == '0');
    too_large = too_large || value > Regex::kMaxRepeat;
    return j > start;
  };
  if (!read_count()) return std::nullopt;
  if (j < p.size() && p[j] == ',') {
    ++j;
    read_count();
  }
  if (j >= p.size() || p[j] != '}') return std::nullopt;
  if (leading_zero) {
    return Malformed("重复次数不能以 0 开头；字面的“{”请写作“\\{”",
                     "a repetition count cannot start with 0; write '\\{' for a literal '{'");
  }
  if (too_large) return RepeatTooLarge();
  return std::nullopt;
}

// What RE2 accepts but REGEXMATCH refuses (see regex.h), found by walking the pattern as RE2's
// parser tokenizes it: escapes, \Q…\E literal text and character classes are skipped, so a
// brace inside them is not taken for a repetition. REQUIRES: RE2 compiled `p` without error.
std::optional<CompileError> FindRefusedSyntax(std::string_view p) {
  size_t i = 0;
  while (i < p.size()) {
    if (p[i] == '\\' && i + 1 < p.size() && p[i + 1] == 'Q') {
      size_t end = p.find("\\E", i + 2);
      i = end == std::string_view::npos ? p.size() : end + 2;
    } else if (p[i] == '\\' && i + 1 < p.size() && p[i + 1] == 'C') {
      return Malformed("不支持“\\C”（单个字节会截断字符）",
                       "'\\C' is not supported (a single byte would split a character)");
    } else if (p[i] == '\\') {
      i = SkipEscape(p, i);
    } else if (p[i] == '[') {
      i = SkipClass(p, i);
    } else if (p[i] == '{') {
      if (auto refused = CheckRepetition(p, i)) return refused;
      ++i;
    } else {
      ++i;
    }
  }
  return std::nullopt;
}

}  // namespace

Regex::Regex(std::unique_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
Regex::Regex(Regex&&) noexcept = default;
Regex& Regex::operator=(Regex&&) noexcept = default;
Regex::~Regex() = default;

tl::expected<Regex, Regex::CompileError> Regex::Compile(std::string_view pattern) {
  if (pattern.size() > kMaxPatternBytes) {
    return tl::unexpected(
        Costly("正则表达式超过 " + std::to_string(kMaxPatternBytes) + " 字节",
               "the pattern is longer than " + std::to_string(kMaxPatternBytes) + " bytes"));
  }
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_max_mem(kMaxMemoryBytes);
  // A bad pattern is the user's mistake, reported as a diagnostic, not a line in the server log.
  options.set_log_errors(false);
  // Only whether there is a match is reported: the first match is found soonest, and no group
  // needs recording.
  options.set_longest_match(false);
  options.set_never_capture(true);
  auto compiled = std::make_unique<const Compiled>(pattern, options);
  if (!compiled->re.ok()) return tl::unexpected(FromRe2(compiled->re));
  if (auto refused = FindRefusedSyntax(pattern)) return tl::unexpected(std::move(*refused));
  if (compiled->re.ProgramSize() > kMaxProgramSize) {
    return tl::unexpected(Costly("正则表达式展开后过大", "the pattern expands to too many steps"));
  }
  return Regex(std::move(compiled));
}

bool Regex::Search(std::string_view text) const { return RE2::PartialMatch(text, compiled_->re); }

int Regex::program_size() const { return compiled_->re.ProgramSize(); }

}  // namespace oc::expr

#pragma once
// A small regular-expression matcher for REGEXMATCH whose running time is linear in the input:
// patterns compile to an NFA program that is simulated breadth-first (a Pike VM without
// captures), so no pattern can backtrack exponentially as std::regex can ("(a*)*b" on a long
// run of "a" hangs std::regex; here it costs input × program size steps).
// Cost guard: patterns are at most kMaxPatternBytes bytes and compile to at most
// kMaxProgramSize instructions (counted repetition {n,m} is expanded, so it counts); the host's
// Budget bounds the input length. Worst case: kMaxProgramSize × input length simple steps.
// Syntax (a subset of RE2, which spreadsheet REGEXMATCH uses): literals (any Unicode), ".",
// classes "[a-z0-9]" "[^…]", escapes \d \D \w \W \s \S and \ before any punctuation, anchors
// ^ $, groups ( ) and (?: ), alternation |, quantifiers * + ? {n} {n,} {n,m} (n, m <= 100;
// a trailing ? for laziness is accepted and ignored: only whether it matches is reported),
// and a leading (?i) for ASCII case-insensitive matching.
// Immutable after Compile; thread-safe to share.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace oc::expr {

class Regex {
 public:
  static constexpr size_t kMaxPatternBytes = 256;
  static constexpr size_t kMaxProgramSize = 1000;

  struct CompileError {
    bool too_costly = false;  // over a size limit, as opposed to malformed
    std::string zh_cn;
    std::string en_us;
  };

  // REQUIRES: pattern is valid UTF-8.
  static tl::expected<Regex, CompileError> Compile(std::string_view pattern);

  // Whether the pattern matches anywhere in `input` (code points).
  bool Search(std::u32string_view input) const;

  size_t program_size() const { return program_.size(); }

 private:
  enum class OpCode : uint8_t { kChar, kAny, kClass, kSplit, kJmp, kMatch, kBol, kEol };
  struct Inst {
    OpCode op;
    char32_t ch = 0;
    uint32_t x = 0;  // kSplit/kJmp target, kClass index
    uint32_t y = 0;  // kSplit second target
  };
  struct Range {
    char32_t lo;
    char32_t hi;
  };
  struct Class {
    std::vector<Range> ranges;
    bool negated = false;
  };
  friend class RegexCompiler;

  bool ClassMatches(const Class& c, char32_t ch) const;

  std::vector<Inst> program_;
  std::vector<Class> classes_;
  bool ignore_case_ = false;
};

}  // namespace oc::expr

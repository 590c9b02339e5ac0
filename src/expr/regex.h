#pragma once
// The regular expressions of REGEXMATCH, compiled and matched by RE2 (the syntax spreadsheet
// REGEXMATCH uses: https://github.com/google/re2/wiki/Syntax). RE2 compiles a pattern to an
// automaton and never backtracks, so a search costs time linear in the input whatever the
// pattern: "(a+)+$" on a long run of "a" hangs a backtracking engine such as std::regex, and is
// one pass here. RE2's types stay inside regex.cc; nothing that includes this header needs RE2.
//
// Semantics: pattern and text are UTF-8 and match by character ("." is one character, "张"
// included; a byte that is not valid UTF-8 is matched by nothing). ^ and $ match only at the
// start and end of the text unless (?m); "." does not match "\n" unless (?s); \d \w \s are
// ASCII; (?i) folds case by Unicode's simple folding. Only whether the pattern matches somewhere
// is reported, so lazy quantifiers give the same answer as greedy ones.
//
// Refused as malformed (not too_costly), with a message naming the part: RE2's own syntax
// errors, including what RE2 does not implement because it cannot be matched in linear time or
// is not RE2 syntax: backreferences (\1, \k<name>), lookaround ((?= (?! (?<= (?<!), atomic groups
// ((?>), stacked quantifiers (a**, a{2}{3}: group first, (?:a{2}){3}), escaped non-ASCII
// characters (\张), \u (write \x{4e00}). Refused here although RE2 accepts them: \C (one byte,
// which would split a character) and a counted repetition with a leading zero ("a{01}", which
// RE2 would read as literal text).
//
// Cost guard (too_costly): a pattern is at most kMaxPatternBytes bytes; a counted repetition
// {n,m} at most kMaxRepeat (RE2 also refuses nested counts whose product exceeds 1000); the
// compiled program at most kMaxProgramSize instructions, and RE2 holds at most kMaxMemoryBytes
// for the program and its cache of DFA states. The host's Budget bounds the text. Worst case
// (RE2 falls back from its DFA to an NFA simulation when the cache keeps filling):
// program_size() × text bytes simple steps.
//
// Immutable after Compile; thread-safe to share (RE2 guards its lazily built DFA cache itself).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace oc::expr {

class Regex {
 public:
  static constexpr size_t kMaxPatternBytes = 256;
  static constexpr int kMaxRepeat = 100;
  static constexpr int kMaxProgramSize = 5'000;
  static constexpr int64_t kMaxMemoryBytes = 1 << 20;

  struct CompileError {
    bool too_costly = false;  // over a size limit, as opposed to malformed or unsupported
    std::string zh_cn;
    std::string en_us;
  };

  // Compiles `pattern`. Errors: too_costly when it is over one of the limits above; otherwise
  // the pattern is malformed (invalid UTF-8 included) or uses syntax refused above.
  static tl::expected<Regex, CompileError> Compile(std::string_view pattern);

  Regex(Regex&&) noexcept;
  Regex& operator=(Regex&&) noexcept;
  ~Regex();

  // Whether the pattern matches anywhere in `text`.
  // REQUIRES: this Regex has not been moved from.
  bool Search(std::string_view text) const;

  // The number of instructions in RE2's compiled program: what a search costs per text byte in
  // the worst case.
  int program_size() const;

 private:
  struct Compiled;
  explicit Regex(std::unique_ptr<const Compiled> compiled);

  std::unique_ptr<const Compiled> compiled_;
};

}  // namespace oc::expr

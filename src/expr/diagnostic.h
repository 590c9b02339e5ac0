#pragma once
// Errors of the expression language, for compile time (syntax, names, types) and run time
// (division by zero, invalid dates, budgets). Each has a stable machine code that hosts, tests
// and the web designers match on, a message in zh-CN and en-US a business user can act on, and
// the position of the offending text: line and column (1-based, counted in characters, not
// bytes) and the span as character offset and length, ready for an editor to underline.
// Plain value types; thread-compatible.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace oc::expr {

enum class ErrorKind : uint8_t {
  // Compile time.
  kEmptyExpression,
  kExpressionTooLong,
  kExpressionTooDeep,
  kInvalidCharacter,
  kFullWidthCharacter,
  kInvalidUtf8,
  kUnterminatedText,
  kUnterminatedFieldName,
  kInvalidNumber,
  kUnexpectedToken,
  kUnexpectedEnd,
  kUnbalancedParenthesis,
  kUnknownField,
  kUnknownFunction,
  kWrongArgumentCount,
  kWrongArgumentType,
  kIncompatibleOperands,
  kTextNumberComparison,
  kMixedTypes,
  kWrongResultType,
  kInvalidRegex,
  kInvalidFormat,
  // Run time.
  kDivisionByZero,
  kNumberOverflow,
  kInvalidDate,
  kInvalidArgument,
  kInvalidValue,
  kBudgetExceeded,
  kSizeLimitExceeded,
  kRegexTooCostly,
  kNoBusinessDate,
  kRecordMismatch,
};

// The stable snake_case code, e.g. "unknown_field". Never changes once published.
std::string_view ErrorKindCode(ErrorKind kind);

// A half-open byte range [begin, end) of the source.
struct SourceSpan {
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct Diagnostic {
  std::string code;  // ErrorKindCode(kind)
  ErrorKind kind = ErrorKind::kUnexpectedToken;
  Message message;
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in characters
  int offset = 0;  // characters from the start of the source
  int length = 0;  // characters
};

// Where a span lies, in the units editors use.
struct SourceLocation {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in characters
  int offset = 0;  // characters from the start of the source
  int length = 0;  // characters
};

// REQUIRES: nothing; a span past the end is clamped to the source.
SourceLocation Locate(std::string_view source, SourceSpan span);

// A message argument: the same text in both languages (names, numbers), or a translated phrase.
struct MessageArg {
  MessageArg(std::string text) : zh_cn(text), en_us(std::move(text)) {}  // NOLINT
  MessageArg(std::string_view text) : MessageArg(std::string(text)) {}  // NOLINT
  MessageArg(const char* text) : MessageArg(std::string(text)) {}       // NOLINT
  MessageArg(std::string zh, std::string en) : zh_cn(std::move(zh)), en_us(std::move(en)) {}
  std::string zh_cn;
  std::string en_us;
};

// Builds the diagnostic for `kind` at `span` of `source`, filling the message template's
// {0}, {1}, … from `args`. REQUIRES: span lies within source.
Diagnostic MakeDiagnostic(ErrorKind kind, std::string_view source, SourceSpan span,
                          const std::vector<MessageArg>& args = {});

// Appends "did you mean …?" to a diagnostic's message.
void AddSuggestion(Diagnostic& diagnostic, std::string_view suggestion);

// Wraps diagnostics as one kInvalidArgument Error whose field violations name `field`, for hosts
// that report through oc::Error (positions are lost; use the diagnostics directly when possible).
Error ToError(const std::vector<Diagnostic>& diagnostics, std::string_view field = "expression");

}  // namespace oc::expr

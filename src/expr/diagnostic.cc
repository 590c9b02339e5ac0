#include "expr/diagnostic.h"

namespace oc::expr {
namespace {

struct Template {
  ErrorKind kind;
  std::string_view code;
  std::string_view zh_cn;
  std::string_view en_us;
};

// One row per error kind; codes are part of the public contract.
constexpr Template kTemplates[] = {
    {ErrorKind::kEmptyExpression, "empty_expression", "表达式为空", "The expression is empty"},
    {ErrorKind::kExpressionTooLong, "expression_too_long", "表达式过长（最多 {0} 字节）",
     "The expression is too long (at most {0} bytes)"},
    {ErrorKind::kExpressionTooDeep, "expression_too_deep", "表达式嵌套过深（最多 {0} 层）",
     "The expression is nested too deeply (at most {0} levels)"},
    {ErrorKind::kInvalidCharacter, "invalid_character", "无法识别的字符“{0}”",
     "Unrecognised character '{0}'"},
    {ErrorKind::kFullWidthCharacter, "full_width_character",
     "全角字符“{0}”，请改用半角“{1}”", "Full-width character '{0}'; use '{1}' instead"},
    {ErrorKind::kInvalidUtf8, "invalid_utf8", "表达式含有无效的 UTF-8 编码",
     "The expression contains invalid UTF-8"},
    {ErrorKind::kUnterminatedText, "unterminated_text", "文本缺少结尾的双引号",
     "The text is missing its closing double quote"},
    {ErrorKind::kUnterminatedFieldName, "unterminated_field_name", "字段名缺少结尾的“}”",
     "The field name is missing its closing '}'"},
    {ErrorKind::kInvalidNumber, "invalid_number", "数字“{0}”无效或超出范围",
     "The number '{0}' is invalid or out of range"},
    {ErrorKind::kUnexpectedToken, "unexpected_token", "此处不应出现“{0}”，应为{1}",
     "Unexpected '{0}'; expected {1}"},
    {ErrorKind::kUnexpectedEnd, "unexpected_end", "表达式不完整，末尾应为{0}",
     "The expression ends too early; expected {0}"},
    {ErrorKind::kUnbalancedParenthesis, "unbalanced_parenthesis", "括号不匹配：{0}",
     "Unbalanced parentheses: {0}"},
    {ErrorKind::kUnknownField, "unknown_field", "未知字段“{0}”", "Unknown field '{0}'"},
    {ErrorKind::kUnknownFunction, "unknown_function", "未知函数“{0}”", "Unknown function '{0}'"},
    {ErrorKind::kWrongArgumentCount, "wrong_argument_count",
     "函数 {0} 需要{1}个参数，实际为 {2} 个", "{0} takes {1} argument(s), got {2}"},
    {ErrorKind::kWrongArgumentType, "wrong_argument_type",
     "函数 {0} 的第 {1} 个参数应为{2}，实际为{3}",
     "Argument {1} of {0} must be {2}, got {3}"},
    {ErrorKind::kIncompatibleOperands, "incompatible_operands",
     "运算符“{0}”不能用于{1}和{2}", "Operator '{0}' cannot be applied to {1} and {2}"},
    {ErrorKind::kTextNumberComparison, "text_number_comparison",
     "不能将文本与数字比较（{0}）；请用 VALUE() 或 TEXT() 转换",
     "Cannot compare text with a number ({0}); convert with VALUE() or TEXT()"},
    {ErrorKind::kMixedTypes, "mixed_types", "{0}的取值类型不一致：{1}和{2}",
     "The values of {0} have different types: {1} and {2}"},
    {ErrorKind::kWrongResultType, "wrong_result_type", "表达式的结果应为{0}，实际为{1}",
     "The expression must produce {0}, but produces {1}"},
    {ErrorKind::kInvalidRegex, "invalid_regex", "正则表达式无效：{0}",
     "Invalid regular expression: {0}"},
    {ErrorKind::kInvalidFormat, "invalid_format", "格式“{0}”无效", "Invalid format '{0}'"},
    {ErrorKind::kDivisionByZero, "division_by_zero", "除数为零", "Division by zero"},
    {ErrorKind::kNumberOverflow, "number_overflow", "数值超出可表示的范围",
     "The number is out of range"},
    {ErrorKind::kInvalidDate, "invalid_date", "日期无效：{0}", "Invalid date: {0}"},
    {ErrorKind::kInvalidArgument, "invalid_argument", "函数 {0} 的参数无效：{1}",
     "Invalid argument to {0}: {1}"},
    {ErrorKind::kInvalidValue, "invalid_value", "无法将“{0}”转换为{1}",
     "Cannot convert '{0}' to {1}"},
    {ErrorKind::kBudgetExceeded, "budget_exceeded",
     "表达式计算步骤超出上限（{0} 步）", "The expression exceeded its budget of {0} steps"},
    {ErrorKind::kSizeLimitExceeded, "size_limit_exceeded", "{0}超出上限（{1}）",
     "{0} exceeds the limit ({1})"},
    {ErrorKind::kRegexTooCostly, "regex_too_costly", "正则匹配代价过高：{0}",
     "The regular expression is too costly: {0}"},
    {ErrorKind::kNoBusinessDate, "no_business_date", "未提供业务日期或时钟，无法计算 {0}",
     "{0} needs a business date or clock, and none was supplied"},
    {ErrorKind::kRecordMismatch, "record_mismatch", "记录与表达式编译时的字段表不一致",
     "The record does not match the schema the expression was compiled against"},
};

const Template& Find(ErrorKind kind) {
  for (const auto& t : kTemplates) {
    if (t.kind == kind) return t;
  }
  return kTemplates[0];
}

std::string Fill(std::string_view pattern, const std::vector<MessageArg>& args, bool english) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 2] == '}' &&
        pattern[i + 1] >= '0' && pattern[i + 1] <= '9') {
      size_t index = size_t(pattern[i + 1] - '0');
      if (index < args.size()) out += english ? args[index].en_us : args[index].zh_cn;
      i += 2;
      continue;
    }
    out += pattern[i];
  }
  return out;
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string_view ErrorKindCode(ErrorKind kind) { return Find(kind).code; }

Diagnostic MakeDiagnostic(ErrorKind kind, std::string_view source, SourceSpan span,
                          const std::vector<MessageArg>& args) {
  const Template& t = Find(kind);
  Diagnostic d;
  d.kind = kind;
  d.code = std::string(t.code);
  d.message = Message{Fill(t.zh_cn, args, false), Fill(t.en_us, args, true)};
  SourceLocation where = Locate(source, span);
  d.line = where.line;
  d.column = where.column;
  d.offset = where.offset;
  d.length = where.length;
  return d;
}

SourceLocation Locate(std::string_view source, SourceSpan span) {
  size_t begin = std::min<size_t>(span.begin, source.size());
  size_t end = std::min<size_t>(std::max(span.end, span.begin), source.size());
  SourceLocation where;
  for (size_t i = 0; i < begin; ++i) {
    if (IsContinuationByte(source[i])) continue;
    ++where.offset;
    if (source[i] == '\n') {
      ++where.line;
      where.column = 1;
    } else {
      ++where.column;
    }
  }
  for (size_t i = begin; i < end; ++i) {
    if (!IsContinuationByte(source[i])) ++where.length;
  }
  return where;
}

void AddSuggestion(Diagnostic& diagnostic, std::string_view suggestion) {
  diagnostic.message.zh_cn += "，您是否想输入“" + std::string(suggestion) + "”？";
  diagnostic.message.en_us += "; did you mean '" + std::string(suggestion) + "'?";
}

Error ToError(const std::vector<Diagnostic>& diagnostics, std::string_view field) {
  std::vector<FieldViolation> violations;
  violations.reserve(diagnostics.size());
  for (const auto& d : diagnostics) {
    violations.push_back(FieldViolation{std::string(field), d.code, d.message});
  }
  return InvalidArgument(std::move(violations));
}

}  // namespace oc::expr

#include "forms/record_codec.h"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <limits>

#include "core/clock.h"
#include "core/contact.h"
#include "core/credit_code.h"
#include "core/date.h"
#include "core/decimal.h"
#include "core/masking.h"
#include "core/money.h"
#include "core/resident_id.h"
#include "core/text_normalize.h"
#include "runtime/event_log.h"

namespace oc::forms {

namespace {

namespace json = boost::json;

// The result of decoding one present value: the API form and the stored (plaintext) form, or
// null for a cleared field.
struct Decoded {
  json::value api;
  storage::Value stored;
};

// Collects violations for one field; the field's label makes the messages read naturally.
class Violations {
 public:
  explicit Violations(std::vector<FieldViolation>& out) : out_(out) {}

  void Add(const FieldDef& field, std::string code, std::string zh, std::string en) {
    out_.push_back({field.name, std::move(code),
                    {field.label.zh_cn + zh, field.label.en_us + en}});
  }
  // A core validator's error, renamed to this field.
  void AddError(const FieldDef& field, const Error& error) {
    if (error.field_violations.empty()) {
      out_.push_back({field.name, "invalid_value", error.message});
      return;
    }
    for (FieldViolation v : error.field_violations) {
      v.field = field.name;
      out_.push_back(std::move(v));
    }
  }

 private:
  std::vector<FieldViolation>& out_;
};

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
         c == 0x3000 || c == 0xA0;
}

// Trims whitespace, the ideographic space included, from both ends.
std::string_view Trim(std::string_view s) {
  size_t begin = 0;
  while (begin < s.size()) {
    Utf8Char c = DecodeUtf8At(s, begin);
    if (!c.valid || !IsSpace(c.code_point)) break;
    begin += c.length;
  }
  size_t end = s.size();
  while (end > begin) {
    size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    Utf8Char c = DecodeUtf8At(s, start);
    if (!c.valid || c.length != end - start || !IsSpace(c.code_point)) break;
    end = start;
  }
  return s.substr(begin, end - begin);
}

std::string NormalizeLineBreaks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Exact decimal text → value × 10^places, through the one decimal type (never a double).
// Accepts an optional '-', digits, and an optional '.' followed by digits; fractional digits
// beyond `places` must be zeros. Returns the violation code on failure.
struct ScaledParse {
  int64_t value = 0;
  std::string_view error;  // empty on success
};

ScaledParse ParseScaled(std::string_view text, int places) {
  std::string_view unsigned_text = text.starts_with('-') ? text.substr(1) : text;
  if (unsigned_text.empty() ||
      unsigned_text.find_first_not_of("0123456789.") != std::string_view::npos) {
    return {0, "invalid_decimal"};
  }
  auto decimal = Decimal::Parse(text);
  if (!decimal) {
    const bool well_formed = unsigned_text.front() != '.' && unsigned_text.back() != '.' &&
                             std::count(unsigned_text.begin(), unsigned_text.end(), '.') <= 1;
    return {0, well_formed ? "out_of_range" : "invalid_decimal"};
  }
  // Decimal::Parse rounds beyond its own 18 places; a non-zero digit anywhere beyond `places`
  // is refused, not rounded.
  const size_t point = text.find('.');
  if (point != std::string_view::npos && text.size() - point - 1 > static_cast<size_t>(places) &&
      text.substr(point + 1 + places).find_first_not_of('0') != std::string_view::npos) {
    return {0, "too_many_decimals"};
  }
  auto scaled = decimal->ToScaledInt64(places);
  if (!scaled) return {0, "out_of_range"};
  return {*scaled, {}};
}

// value / 10^places as decimal text with at least `min_places` fractional digits and no
// trailing zeros beyond them.
std::string FormatScaled(int64_t value, int places, int min_places) {
  return Decimal::FromParts(value, places).ToString(min_places);
}

// Percent values are rates ("0.0490"): four places as the API conventions show them.
constexpr int kPercentMinPlaces = 4;

std::string FormatDecimal(const FieldDef& field, int64_t scaled) {
  return FormatScaled(scaled, kDecimalPlaces,
                      field.type == FieldType::kPercent ? kPercentMinPlaces : 0);
}

// A JSON number as the text a client most likely wrote: the shortest digits that read back as
// the same double ("0.83", not 0.82999999999999996).
std::string NumberText(const json::value& value) {
  if (value.is_int64()) return std::to_string(value.get_int64());
  if (value.is_uint64()) return std::to_string(value.get_uint64());
  // Fixed notation of a double needs at most ~330 characters (1e-324 .. 1.8e308).
  char buffer[400];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.get_double(),
                                 std::chars_format::fixed);
  if (ec != std::errc()) return "invalid";
  return std::string(buffer, end);
}

std::string MultiSelectStored(const std::vector<std::string>& values) {
  std::string out = "|";
  for (const std::string& v : values) out += v + "|";
  return out;
}

std::vector<std::string> MultiSelectValues(std::string_view stored) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < stored.size()) {
    size_t next = stored.find('|', pos);
    if (next == std::string_view::npos) next = stored.size();
    if (next > pos) out.emplace_back(stored.substr(pos, next - pos));
    pos = next + 1;
  }
  return out;
}

const FieldOption* FindOption(const FieldDef& field, std::string_view value) {
  for (const FieldOption& option : field.options) {
    if (option.value == value) return &option;
  }
  return nullptr;
}

// A date shown as its year alone: "1990-**-**".
std::string MaskToYear(std::string_view date) {
  return std::string(date.substr(0, std::min<size_t>(4, date.size()))) + "-**-**";
}

std::string MaskByFormat(FieldFormat format, std::string_view plain) {
  switch (format) {
    case FieldFormat::kResidentId:
    case FieldFormat::kIdDocument: return MaskIdNumber(plain);
    case FieldFormat::kMobile: return MaskMobile(plain);
    case FieldFormat::kPhone: return MaskPhone(plain);
    case FieldFormat::kBankCard: return MaskBankCard(plain);
    case FieldFormat::kEmail: return MaskEmail(plain);
    case FieldFormat::kNone:
    case FieldFormat::kCreditCode:
    case FieldFormat::kPersonName:
      // Free text (a detail address, a name): show the beginning, hide the rest.
      return MaskAddressDetail(plain);
  }
  return MaskAddressDetail(plain);
}

void WrongType(Violations& v, const FieldDef& field, std::string_view zh, std::string_view en) {
  v.Add(field, "wrong_type", "须为" + std::string(zh), " must be " + std::string(en));
}

// A text value standardised; nullopt after recording a violation. Empty means cleared.
std::optional<std::string> DecodeTextValue(const FieldDef& field, std::string_view raw,
                                           Violations& v) {
  const bool multiline = field.type == FieldType::kLongText;
  std::string text = multiline ? NormalizeLineBreaks(Trim(raw)) : std::string(Trim(raw));
  if (text.empty()) return text;
  // Checked before standardising: a name must not lose a NUL silently and match another name.
  if (HasControlCharacter(text, multiline)) {
    v.Add(field, "control_character", "不能包含控制字符", " must not contain control characters");
    return std::nullopt;
  }
  auto standardised = StandardiseText(field, text);
  if (!standardised) {
    v.AddError(field, standardised.error());
    return std::nullopt;
  }
  const size_t limit = field.max_length.value_or(multiline ? kDefaultLongTextMaxLength
                                                           : kDefaultTextMaxLength);
  if (Utf8Length(*standardised) > limit) {
    v.Add(field, "too_long", "最多 " + std::to_string(limit) + " 个字符",
          " must be at most " + std::to_string(limit) + " characters");
    return std::nullopt;
  }
  return std::move(*standardised);
}

// Decodes a present, non-null JSON value. nullopt after recording a violation; a Decoded whose
// api is null when the value clears the field (an empty string, an empty selection).
std::optional<Decoded> DecodeValue(const FieldDef& field, const json::value& value,
                                   Violations& v) {
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kLongText: {
      if (!value.is_string()) {
        WrongType(v, field, "文本", "text");
        return std::nullopt;
      }
      auto text = DecodeTextValue(field, value.get_string(), v);
      if (!text) return std::nullopt;
      if (text->empty()) return Decoded{nullptr, storage::Null{}};
      return Decoded{json::string(*text), *text};
    }
    case FieldType::kInteger: {
      int64_t number = 0;
      if (value.is_int64()) {
        number = value.get_int64();
      } else if (value.is_uint64()) {
        v.Add(field, "out_of_range", "超出范围", " is out of range");
        return std::nullopt;
      } else if (value.is_string()) {
        std::string_view text = Trim(value.get_string());
        if (text.empty()) return Decoded{nullptr, storage::Null{}};
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
        if (ec == std::errc::result_out_of_range) {
          v.Add(field, "out_of_range", "超出范围", " is out of range");
          return std::nullopt;
        }
        if (ec != std::errc() || end != text.data() + text.size()) {
          v.Add(field, "invalid_integer", "须为整数", " must be a whole number");
          return std::nullopt;
        }
      } else {
        v.Add(field, "invalid_integer", "须为整数", " must be a whole number");
        return std::nullopt;
      }
      return Decoded{number, number};
    }
    case FieldType::kMoney: {
      std::string text;
      if (value.is_string()) {
        text = std::string(Trim(value.get_string()));
        if (text.empty()) return Decoded{nullptr, storage::Null{}};
      } else if (value.is_number()) {
        text = NumberText(value);
      } else {
        WrongType(v, field, "金额文本（如 \"100000.00\"）", "an amount (\"100000.00\")");
        return std::nullopt;
      }
      auto money = Money::Parse(text, field.name);
      if (!money) {
        v.AddError(field, money.error());
        return std::nullopt;
      }
      return Decoded{json::string(money->ToString()), money->fen()};
    }
    case FieldType::kDecimal:
    case FieldType::kPercent: {
      std::string text;
      if (value.is_string()) {
        text = FoldFullWidth(Trim(value.get_string()));
        if (text.empty()) return Decoded{nullptr, storage::Null{}};
      } else if (value.is_number()) {
        text = NumberText(value);
      } else {
        WrongType(v, field, "数字文本（如 \"0.8300\"）", "a decimal (\"0.8300\")");
        return std::nullopt;
      }
      ScaledParse parsed = ParseScaled(text, kDecimalPlaces);
      if (parsed.error == "too_many_decimals") {
        v.Add(field, "too_many_decimals", "最多 6 位小数", " has at most 6 decimal places");
        return std::nullopt;
      }
      if (parsed.error == "out_of_range") {
        v.Add(field, "out_of_range", "超出范围", " is out of range");
        return std::nullopt;
      }
      if (!parsed.error.empty()) {
        v.Add(field, "invalid_decimal", "须为数字（如 0.8300）",
              " must be a decimal number (0.8300)");
        return std::nullopt;
      }
      return Decoded{json::string(FormatDecimal(field, parsed.value)), parsed.value};
    }
    case FieldType::kDate: {
      if (!value.is_string()) {
        WrongType(v, field, "日期（YYYY-MM-DD）", "a date (YYYY-MM-DD)");
        return std::nullopt;
      }
      std::string_view text = Trim(value.get_string());
      if (text.empty()) return Decoded{nullptr, storage::Null{}};
      auto date = Date::Parse(text);
      if (!date) {
        v.Add(field, "invalid_date", "须为有效日期（YYYY-MM-DD）",
              " must be a real date (YYYY-MM-DD)");
        return std::nullopt;
      }
      std::string iso = date->ToString();
      return Decoded{json::string(iso), iso};
    }
    case FieldType::kDateTime: {
      if (!value.is_string()) {
        WrongType(v, field, "时间（RFC 3339）", "a time (RFC 3339)");
        return std::nullopt;
      }
      std::string_view text = Trim(value.get_string());
      if (text.empty()) return Decoded{nullptr, storage::Null{}};
      Instant instant;
      if (!ParseInstant(text, &instant)) {
        v.Add(field, "invalid_datetime", "须为带时区的时间（如 2024-05-01T08:00:00+08:00）",
              " must be a time with a zone (2024-05-01T08:00:00+08:00)");
        return std::nullopt;
      }
      return Decoded{json::string(FormatInstant(instant)), ToUnixMicros(instant)};
    }
    case FieldType::kBoolean: {
      if (!value.is_bool()) {
        WrongType(v, field, " true 或 false", "true or false");
        return std::nullopt;
      }
      return Decoded{value.get_bool(), int64_t{value.get_bool()}};
    }
    case FieldType::kSingleSelect: {
      if (!value.is_string()) {
        WrongType(v, field, "选项值", "an option value");
        return std::nullopt;
      }
      std::string_view text = value.get_string();
      if (text.empty()) return Decoded{nullptr, storage::Null{}};
      if (!FindOption(field, text)) {
        v.Add(field, "invalid_option", "不是可选的值：" + std::string(text),
              " has no option " + std::string(text));
        return std::nullopt;
      }
      return Decoded{json::string(text), std::string(text)};
    }
    case FieldType::kMultiSelect: {
      const json::array* array = value.if_array();
      if (!array) {
        WrongType(v, field, "选项值数组", "an array of option values");
        return std::nullopt;
      }
      std::vector<bool> chosen(field.options.size(), false);
      for (const json::value& item : *array) {
        const json::string* text = item.if_string();
        if (!text) {
          WrongType(v, field, "选项值数组", "an array of option values");
          return std::nullopt;
        }
        const FieldOption* option = FindOption(field, *text);
        if (!option) {
          v.Add(field, "invalid_option", "不是可选的值：" + std::string(*text),
                " has no option " + std::string(*text));
          return std::nullopt;
        }
        const size_t index = static_cast<size_t>(option - field.options.data());
        if (chosen[index]) {
          v.Add(field, "duplicate_value", "重复选择了 " + std::string(*text),
                " lists " + std::string(*text) + " twice");
          return std::nullopt;
        }
        chosen[index] = true;
      }
      // Option order, so equal selections are stored (and compared) identically.
      std::vector<std::string> values;
      json::array api;
      for (size_t i = 0; i < chosen.size(); ++i) {
        if (!chosen[i]) continue;
        values.push_back(field.options[i].value);
        api.emplace_back(field.options[i].value);
      }
      if (values.empty()) return Decoded{nullptr, storage::Null{}};
      return Decoded{std::move(api), MultiSelectStored(values)};
    }
  }
  return std::nullopt;
}

// The plaintext API value of `field` in `row` (null when absent).
Result<json::value> FieldOutput(const EntityDef& entity, const FieldDef& field,
                                const storage::Row& row, const crypto::FieldCipher& cipher,
                                OutputMode mode) {
  if (field.sensitive) {
    auto ciphertext = row.OptBytes(CipherColumn(field));
    if (!ciphertext) return json::value(nullptr);
    ASSIGN_OR_RETURN(std::string plain, cipher.Decrypt(*ciphertext, CipherContext(entity, field)));
    if (mode == OutputMode::kMasked) plain = MaskByFormat(field.format, plain);
    return json::value(json::string(plain));
  }
  const storage::Value& stored = row.at(field.column);
  if (std::holds_alternative<storage::Null>(stored)) return json::value(nullptr);
  if (field.masked_to_year && mode == OutputMode::kMasked) {
    return json::value(json::string(MaskToYear(row.Text(field.column))));
  }
  switch (field.type) {
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kSingleSelect:
    case FieldType::kDate:
      return json::value(json::string(row.Text(field.column)));
    case FieldType::kInteger:
      return json::value(row.Int(field.column));
    case FieldType::kMoney:
      return json::value(json::string(Money::FromFen(row.Int(field.column)).ToString()));
    case FieldType::kDecimal:
    case FieldType::kPercent:
      return json::value(json::string(FormatDecimal(field, row.Int(field.column))));
    case FieldType::kDateTime:
      return json::value(json::string(FormatInstant(FromUnixMicros(row.Int(field.column)))));
    case FieldType::kBoolean:
      return json::value(row.Int(field.column) != 0);
    case FieldType::kMultiSelect: {
      json::array values;
      for (std::string& value : MultiSelectValues(row.Text(field.column))) {
        values.emplace_back(std::move(value));
      }
      return json::value(std::move(values));
    }
  }
  return json::value(nullptr);
}

// The audit trail's text for an API value.
std::optional<std::string> AuditText(const json::value& value) {
  if (value.is_null()) return std::nullopt;
  if (const auto* s = value.if_string()) return std::string(*s);
  if (value.is_bool()) return value.get_bool() ? "true" : "false";
  if (const auto* array = value.if_array()) {
    std::string out;
    for (const json::value& item : *array) {
      if (!out.empty()) out += ",";
      out += item.is_string() ? std::string(item.get_string()) : json::serialize(item);
    }
    return out;
  }
  return json::serialize(value);
}

}  // namespace

const FieldValue* RecordValues::Find(std::string_view name) const {
  for (const FieldValue& value : fields) {
    if (value.field->name == name) return &value;
  }
  return nullptr;
}

std::string RecordValues::ColumnList() const {
  std::string out;
  for (const FieldValue& value : fields) {
    for (const std::string& column : StorageColumns(*value.field)) {
      if (!out.empty()) out += ", ";
      out += column;
    }
  }
  return out;
}

std::string RecordValues::PlaceholderList() const {
  std::string out;
  for (const FieldValue& value : fields) {
    for (size_t i = 0; i < value.columns.size(); ++i) out += out.empty() ? "?" : ", ?";
  }
  return out;
}

std::string RecordValues::SetList() const {
  std::string out;
  for (const FieldValue& value : fields) {
    for (const std::string& column : StorageColumns(*value.field)) {
      if (!out.empty()) out += ", ";
      out += column + " = ?";
    }
  }
  return out;
}

storage::Params RecordValues::Params() const {
  storage::Params out;
  for (const FieldValue& value : fields) {
    out.insert(out.end(), value.columns.begin(), value.columns.end());
  }
  return out;
}

Result<std::string> StandardiseText(const FieldDef& field, std::string_view text) {
  switch (field.format) {
    case FieldFormat::kNone:
      return std::string(Trim(text));
    case FieldFormat::kPersonName:
      return NormalizeName(text);
    case FieldFormat::kResidentId: {
      ASSIGN_OR_RETURN(ResidentIdNumber id, ResidentIdNumber::Parse(text, field.name));
      return id.value();
    }
    case FieldFormat::kCreditCode: {
      ASSIGN_OR_RETURN(UnifiedSocialCreditCode code,
                       UnifiedSocialCreditCode::Parse(text, field.name));
      return code.value();
    }
    case FieldFormat::kMobile:
      return NormalizeMobile(text, field.name);
    case FieldFormat::kPhone:
      return NormalizePhone(text, field.name);
    case FieldFormat::kEmail:
      return NormalizeEmail(text, field.name);
    case FieldFormat::kBankCard:
      return NormalizeBankCard(text, field.name);
    case FieldFormat::kIdDocument: {
      std::string normalized;
      for (char c : FoldFullWidth(text)) {
        if (c == ' ' || c == '-') continue;
        normalized += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      bool ok = normalized.size() >= 5 && normalized.size() <= 20 &&
                std::all_of(normalized.begin(), normalized.end(),
                            [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
      if (!ok) {
        return InvalidField(field.name, "invalid_id_document",
                            {"证件号码应为 5–20 位字母或数字",
                             "The document number must be 5–20 letters or digits"});
      }
      return normalized;
    }
  }
  return std::string(text);
}

Result<storage::Value> DecodeText(const FieldDef& field, std::string_view text,
                                  std::string_view parameter) {
  json::value value;
  if (field.type == FieldType::kBoolean) {
    if (text == "true" || text == "1") {
      value = true;
    } else if (text == "false" || text == "0") {
      value = false;
    }
  } else if (field.type == FieldType::kMultiSelect) {
    value = json::array{json::string(text)};
  } else {
    value = json::string(text);
  }
  std::vector<FieldViolation> violations;
  Violations v(violations);
  std::optional<Decoded> decoded;
  if (!value.is_null()) decoded = DecodeValue(field, value, v);
  if (!decoded || std::holds_alternative<storage::Null>(decoded->stored)) {
    Message message = violations.empty()
                          ? Message{field.label.zh_cn + "的筛选值无效",
                                    "Invalid filter value for " + field.label.en_us}
                          : violations.front().message;
    return InvalidField(std::string(parameter), "invalid_value", std::move(message));
  }
  if (field.type == FieldType::kMultiSelect) return storage::Value(std::string(text));
  return std::move(decoded->stored);
}

Result<RecordValues> DecodeInput(const EntityDef& entity, const json::object& input,
                                 const DecodeOptions& options,
                                 const crypto::FieldCipher& cipher) {
  std::vector<FieldViolation> violations;
  Violations v(violations);
  RecordValues out;
  for (const FieldDef& field : entity.fields) {
    if (options.caller_fields.contains(field.name)) continue;
    const json::value* given = input.if_contains(field.name);
    if (field.archived) {
      if (given) {
        v.Add(field, "archived", "已归档，不能再填写或修改", " is archived and cannot be changed");
      }
      continue;
    }
    if (field.read_only) {
      if (given) v.Add(field, "read_only", "由系统维护，不能修改", " is maintained by the system");
      continue;
    }
    if (!given) {
      if (options.mode == DecodeMode::kCreate && field.required) {
        v.Add(field, "required", "不能为空", " is required");
      }
      continue;
    }
    std::optional<Decoded> decoded;
    if (given->is_null()) {
      decoded = Decoded{nullptr, storage::Null{}};
    } else {
      decoded = DecodeValue(field, *given, v);
      if (!decoded) continue;
    }
    const bool cleared = std::holds_alternative<storage::Null>(decoded->stored);
    if (cleared && field.required) {
      v.Add(field, "required", "不能为空", " is required");
      continue;
    }
    FieldValue value{.field = &field, .value = std::move(decoded->api), .columns = {}};
    if (cleared) {
      value.columns.assign(StorageColumns(field).size(), storage::Null{});
    } else if (field.sensitive) {
      const std::string& plain = std::get<std::string>(decoded->stored);
      const std::string context = CipherContext(entity, field);
      ASSIGN_OR_RETURN(std::string ciphertext, cipher.Encrypt(plain, context));
      value.columns.push_back(storage::Blob{std::move(ciphertext)});
      value.columns.push_back(storage::Blob{cipher.BlindIndex(plain, context)});
    } else {
      value.columns.push_back(std::move(decoded->stored));
    }
    out.fields.push_back(std::move(value));
  }
  for (const auto& [key, value] : input) {
    if (options.caller_fields.contains(key) || entity.Find(key)) continue;
    violations.push_back({std::string(key), "unknown_field",
                          {"未知字段：" + std::string(key), "Unknown field: " + std::string(key)}});
  }
  if (!violations.empty()) return InvalidArgument(std::move(violations));
  return out;
}

std::string SelectColumns(const EntityDef& entity, std::string_view qualifier) {
  std::string out;
  for (const FieldDef& field : entity.fields) {
    if (!out.empty()) out += ", ";
    if (!qualifier.empty()) out += std::string(qualifier) + ".";
    out += field.sensitive ? CipherColumn(field) : field.column;
  }
  return out;
}

Result<json::object> EncodeOutput(const EntityDef& entity, const storage::Row& row,
                                  const crypto::FieldCipher& cipher, OutputMode mode) {
  json::object out;
  for (const FieldDef& field : entity.fields) {
    ASSIGN_OR_RETURN(json::value value, FieldOutput(entity, field, row, cipher, mode));
    out[field.name] = std::move(value);
  }
  return out;
}

Result<RecordChanges> ChangesOf(const EntityDef& entity, const storage::Row* before,
                                const RecordValues& after, const crypto::FieldCipher& cipher) {
  RecordChanges changes;
  for (const FieldValue& value : after.fields) {
    const FieldDef& field = *value.field;
    json::value old_value;
    std::optional<std::string> old_text;
    if (before) {
      ASSIGN_OR_RETURN(old_value, FieldOutput(entity, field, *before, cipher, OutputMode::kPlain));
      old_text = AuditText(old_value);
    }
    std::optional<std::string> new_text = AuditText(value.value);
    if (old_text == new_text) continue;
    if (IsMaskedForViewers(field)) {
      changes.event.push_back(runtime::SensitiveChange(field.name));
    } else {
      changes.event.push_back(runtime::RecordChange(field.name, old_value, value.value));
    }
    // The trail shows personal data as a masked viewer sees it in the API (1****************1,
    // 1990-**-**), so an auditor compares like with like and the trail rebuilds nothing.
    for (auto* text : {&old_text, &new_text}) {
      if (*text) *text = MaskForViewer(field, **text);
    }
    changes.audit.push_back({.field = field.name,
                             .before = std::move(old_text),
                             .after = std::move(new_text),
                             .sensitivity = audit::Sensitivity::kPlain});
  }
  return changes;
}

std::string MaskForViewer(const FieldDef& field, std::string_view text) {
  if (field.sensitive) return MaskByFormat(field.format, text);
  if (field.masked_to_year) return MaskToYear(text);
  return std::string(text);
}

std::string RemaskRecordedChanges(const EntityDef& entity, std::string_view changes_json) {
  json::error_code ec;
  json::value parsed = json::parse(changes_json, ec);
  json::array* changes = ec ? nullptr : parsed.if_array();
  if (!changes) return std::string(changes_json);
  for (json::value& item : *changes) {
    json::object* change = item.if_object();
    const json::value* name = change ? change->if_contains("field") : nullptr;
    const FieldDef* field = name && name->is_string() ? entity.Find(name->get_string()) : nullptr;
    if (!field || !IsMaskedForViewers(*field)) continue;
    for (const char* side : {"before", "after"}) {
      json::value* text = change->if_contains(side);
      if (text && text->is_string())
        *text = json::string(MaskForViewer(*field, text->get_string()));
    }
  }
  return json::serialize(parsed);
}

}  // namespace oc::forms

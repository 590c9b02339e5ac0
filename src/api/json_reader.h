#pragma once
// Reads the fields of a JSON request body with the checks every handler needs, collecting one
// violation per bad field so a client learns about all of them in one 422: which field, a stable
// code, and what is wrong in both languages. Unknown fields are violations too, so a typo in a
// field name is reported rather than silently ignored.

#include <boost/json/value.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace oc::api {

class JsonReader {
 public:
  // Records a violation on "" when `body` is not an object.
  explicit JsonReader(const boost::json::value& body);

  bool Has(std::string_view field) const;
  bool IsNull(std::string_view field) const;  // present with value null

  // Each getter returns nullopt when the field is absent (a violation if `required`), null, or of
  // the wrong type (always a violation).
  // Text never holds control characters (core/text_normalize.h: HasControlCharacter); multi-line
  // text may hold tabs and line breaks. Violation code "control_character".
  enum class Lines { kOne, kMany };
  std::optional<std::string> String(std::string_view field, bool required, size_t max_bytes = 4096,
                                    Lines lines = Lines::kOne);
  std::optional<int64_t> Int(std::string_view field, bool required);
  std::optional<bool> Bool(std::string_view field, bool required);
  std::optional<std::vector<std::string>> Strings(std::string_view field, bool required,
                                                  size_t max_items = 200);
  std::optional<std::vector<int64_t>> Ints(std::string_view field, bool required,
                                           size_t max_items = 500);
  // A nested object; nullptr when absent or not an object.
  const boost::json::object* Object(std::string_view field, bool required);
  // The field's value as sent, for a shape the caller checks itself (a list of objects); nullptr
  // when absent or null (a violation if `required`).
  const boost::json::value* Value(std::string_view field, bool required);

  void AddViolation(std::string field, std::string code, Message message);

  // Ok, or kInvalidArgument with every violation (and one per unknown field).
  Status Finish();

 private:
  const boost::json::value* Find(std::string_view field);
  void Missing(std::string_view field);
  void ControlCharacter(std::string_view field);
  void WrongType(std::string_view field, std::string_view expected_zh,
                 std::string_view expected_en);

  const boost::json::object* object_ = nullptr;
  std::set<std::string, std::less<>> seen_;
  std::vector<FieldViolation> violations_;
};

}  // namespace oc::api

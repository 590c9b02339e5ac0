#include "api/json_reader.h"

#include <boost/json.hpp>

#include "core/text_normalize.h"

namespace oc::api {

JsonReader::JsonReader(const boost::json::value& body) {
  if (body.is_object()) {
    object_ = &body.as_object();
  } else {
    AddViolation("", "not_an_object", {"请求体必须是 JSON 对象", "The body must be a JSON object"});
  }
}

bool JsonReader::Has(std::string_view field) const {
  return object_ && object_->contains(field);
}

bool JsonReader::IsNull(std::string_view field) const {
  if (!object_) return false;
  const auto* v = object_->if_contains(field);
  return v && v->is_null();
}

const boost::json::value* JsonReader::Find(std::string_view field) {
  seen_.insert(std::string(field));
  if (!object_) return nullptr;
  const auto* v = object_->if_contains(field);
  return v && !v->is_null() ? v : nullptr;
}

const boost::json::value* JsonReader::Value(std::string_view field, bool required) {
  const auto* v = Find(field);
  if (!v && required) Missing(field);
  return v;
}

void JsonReader::Missing(std::string_view field) {
  AddViolation(std::string(field), "required", {"必填", "is required"});
}

void JsonReader::WrongType(std::string_view field, std::string_view expected_zh,
                           std::string_view expected_en) {
  AddViolation(std::string(field), "wrong_type",
               {"必须是" + std::string(expected_zh), "must be " + std::string(expected_en)});
}

std::optional<std::string> JsonReader::String(std::string_view field, bool required,
                                              size_t max_bytes, Lines lines) {
  const auto* v = Find(field);
  if (!v) {
    if (required) Missing(field);
    return std::nullopt;
  }
  if (!v->is_string()) {
    WrongType(field, "字符串", "a string");
    return std::nullopt;
  }
  const auto& s = v->get_string();
  if (s.size() > max_bytes) {
    std::string n = std::to_string(max_bytes);
    AddViolation(std::string(field), "too_long",
                 {"过长（最多 " + n + " 字节）", "is too long (at most " + n + " bytes)"});
    return std::nullopt;
  }
  if (HasControlCharacter(s, lines == Lines::kMany)) {
    ControlCharacter(field);
    return std::nullopt;
  }
  return std::string(s);
}

void JsonReader::ControlCharacter(std::string_view field) {
  AddViolation(std::string(field), "control_character",
               {"不能包含控制字符", "must not contain control characters"});
}

std::optional<int64_t> JsonReader::Int(std::string_view field, bool required) {
  const auto* v = Find(field);
  if (!v) {
    if (required) Missing(field);
    return std::nullopt;
  }
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
    return static_cast<int64_t>(v->get_uint64());
  }
  WrongType(field, "64 位整数", "a 64-bit integer");
  return std::nullopt;
}

std::optional<bool> JsonReader::Bool(std::string_view field, bool required) {
  const auto* v = Find(field);
  if (!v) {
    if (required) Missing(field);
    return std::nullopt;
  }
  if (v->is_bool()) return v->get_bool();
  WrongType(field, "布尔值", "a boolean");
  return std::nullopt;
}

std::optional<std::vector<std::string>> JsonReader::Strings(std::string_view field, bool required,
                                                            size_t max_items) {
  const auto* v = Find(field);
  if (!v) {
    if (required) Missing(field);
    return std::nullopt;
  }
  if (!v->is_array() || v->get_array().size() > max_items) {
    WrongType(field, "字符串数组", "an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : v->get_array()) {
    if (!item.is_string() || item.get_string().size() > 256) {
      WrongType(field, "字符串数组", "an array of strings");
      return std::nullopt;
    }
    if (HasControlCharacter(item.get_string())) {
      ControlCharacter(field);
      return std::nullopt;
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

std::optional<std::vector<int64_t>> JsonReader::Ints(std::string_view field, bool required,
                                                     size_t max_items) {
  const auto* v = Find(field);
  if (!v) {
    if (required) Missing(field);
    return std::nullopt;
  }
  std::vector<int64_t> out;
  bool ok = v->is_array() && v->get_array().size() <= max_items;
  if (ok) {
    for (const auto& item : v->get_array()) {
      if (!item.is_int64()) {
        ok = false;
        break;
      }
      out.push_back(item.get_int64());
    }
  }
  if (!ok) {
    std::string n = std::to_string(max_items);
    WrongType(field, "整数数组（最多 " + n + " 个）", "an array of at most " + n + " integers");
    return std::nullopt;
  }
  return out;
}

const boost::json::object* JsonReader::Object(std::string_view field, bool required) {
  const auto* v = Find(field);
  if (!v) {
    if (required) Missing(field);
    return nullptr;
  }
  if (!v->is_object()) {
    WrongType(field, "对象", "an object");
    return nullptr;
  }
  return &v->get_object();
}

void JsonReader::AddViolation(std::string field, std::string code, Message message) {
  violations_.push_back({std::move(field), std::move(code), std::move(message)});
}

Status JsonReader::Finish() {
  if (object_) {
    for (const auto& [key, value] : *object_) {
      if (!seen_.contains(std::string_view(key))) {
        AddViolation(std::string(key), "unknown_field", {"未知字段", "is not a known field"});
      }
    }
  }
  if (violations_.empty()) return Ok();
  return InvalidArgument(std::move(violations_));
}

}  // namespace oc::api

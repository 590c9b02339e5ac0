#include "forms/expr_binding.h"

#include <set>

namespace oc::forms {

expr::Type ExprTypeOf(FieldType type) {
  using expr::TypeKind;
  switch (type) {
    case FieldType::kInteger:
      return expr::Type::Of(TypeKind::kInteger);
    case FieldType::kDecimal:
    case FieldType::kMoney:
    case FieldType::kPercent:
      return expr::Type::Of(TypeKind::kNumber);
    case FieldType::kDate:
      return expr::Type::Of(TypeKind::kDate);
    case FieldType::kDateTime:
      return expr::Type::Of(TypeKind::kDateTime);
    case FieldType::kBoolean:
      return expr::Type::Of(TypeKind::kBoolean);
    case FieldType::kMultiSelect:
      return expr::Type::ListOf(TypeKind::kText);
    case FieldType::kText:
    case FieldType::kLongText:
    case FieldType::kSingleSelect:
      return expr::Type::Of(TypeKind::kText);
  }
  return expr::Type::Of(TypeKind::kText);
}

Result<ExprBinding> ExprBinding::Of(const EntityDef& entity) {
  std::vector<expr::FieldSchema> fields;
  std::set<std::string, std::less<>> keys;
  for (const FieldDef& field : entity.fields) {
    fields.push_back({field.name, ExprTypeOf(field.type)});
    keys.insert(field.name);
  }
  std::vector<expr::FieldSchema> typed_fields = fields;
  ASSIGN_OR_RETURN(expr::Schema schema, expr::Schema::Create(std::move(fields)));
  ExprBinding binding;
  binding.schema_ = std::make_shared<const expr::Schema>(std::move(schema));

  // A label that two fields share, or that is another field's key, names no field for certain.
  std::map<std::string, int, std::less<>> uses;
  for (const FieldDef& field : entity.fields) {
    std::set<std::string_view> own{field.label.zh_cn, field.label.en_us};
    for (std::string_view label : own) {
      if (!label.empty()) ++uses[std::string(label)];
    }
  }
  auto usable = [&](const std::string& label, const std::string& key) {
    return !label.empty() && label != key && !keys.contains(label) && uses[label] == 1 &&
           label.find('}') == std::string::npos && label.front() != ' ' && label.back() != ' ';
  };
  for (const FieldDef& field : entity.fields) {
    for (const std::string* label : {&field.label.zh_cn, &field.label.en_us}) {
      if (usable(*label, field.name)) binding.key_by_label_.emplace(*label, field.name);
    }
    if (usable(field.label.zh_cn, field.name)) {
      binding.zh_label_by_key_.emplace(field.name, field.label.zh_cn);
    }
    if (usable(field.label.en_us, field.name)) {
      binding.en_label_by_key_.emplace(field.name, field.label.en_us);
    }
  }
  for (const auto& [label, key] : binding.key_by_label_) {
    typed_fields.push_back({label, ExprTypeOf(entity.Find(key)->type)});
  }
  ASSIGN_OR_RETURN(expr::Schema typed, expr::Schema::Create(std::move(typed_fields)));
  binding.typed_schema_ = std::make_shared<const expr::Schema>(std::move(typed));
  return binding;
}

tl::expected<std::string, std::vector<expr::Diagnostic>> ExprBinding::ToStored(
    std::string_view typed) const {
  return expr::RenameFields(typed, [&](std::string_view name) -> std::optional<std::string> {
    auto it = key_by_label_.find(name);
    if (it == key_by_label_.end()) return std::nullopt;
    return it->second;
  });
}

tl::expected<std::string, std::vector<expr::Diagnostic>> ExprBinding::ForDisplay(
    std::string_view stored, std::string_view language) const {
  const auto& labels = language.starts_with("en") ? en_label_by_key_ : zh_label_by_key_;
  return expr::RenameFields(stored, [&](std::string_view key) -> std::optional<std::string> {
    auto it = labels.find(key);
    if (it == labels.end()) return std::nullopt;
    return it->second;
  });
}

expr::CompileResult ExprBinding::Compile(std::string_view stored,
                                         const expr::CompileOptions& options) const {
  return expr::Compile(stored, *schema_, options);
}

expr::CompileResult ExprBinding::CompileTyped(std::string_view typed,
                                              const expr::CompileOptions& options) const {
  return expr::Compile(typed, *typed_schema_, options);
}

}  // namespace oc::forms

#pragma once
// An entity's fields as the expression language sees them, bound by key. Every engine that
// stores an expression over a record — approval conditions, rules, computed fields, report
// measures — shares this one mapping, so a field means the same in each.
//
// What is stored is keys only ("debt_ratio > 0.8"). Labels, in Chinese or English, are a
// convenience for the people who type and read expressions: ToStored turns "负债率 > 0.8" or
// "{Debt ratio} > 0.8" into keys, ForDisplay turns keys back into today's labels. Renaming a
// label therefore never breaks a stored expression; only removing a field can.
//
// A label is accepted where it names exactly one field and is no field's key; where it is
// ambiguous the key must be written. Immutable after construction; thread-safe.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "expr/expr.h"
#include "forms/field.h"

namespace oc::forms {

// The expression type of a field's values: integer; number for decimals, money (in yuan) and
// rates; date; datetime; boolean; text for texts and single choices (the option's value); a list
// of texts for multiple choices.
expr::Type ExprTypeOf(FieldType type);

class ExprBinding {
 public:
  // The binding of `entity` as it is defined now.
  // Errors: kInvalidArgument when the entity's keys do not make a valid schema (cannot happen for
  // a registered entity).
  static Result<ExprBinding> Of(const EntityDef& entity);

  // One field per key, in the entity's field order: what stored expressions compile against and
  // what records are filled by.
  const expr::Schema& schema() const { return *schema_; }
  // The keys, then each usable label under its own name with its field's type: what typed
  // expressions compile against. A record for it carries each value under the key and the labels.
  const expr::Schema& typed_schema() const { return *typed_schema_; }
  // Each usable label (both languages) and the key it stands for.
  const std::map<std::string, std::string, std::less<>>& key_by_label() const {
    return key_by_label_;
  }

  // The expression as it is to be stored: every reference by label replaced by its field's key;
  // keys and unknown names stay as written (compiling then reports the unknown ones).
  // Errors: the syntax error, as compiling would report it.
  tl::expected<std::string, std::vector<expr::Diagnostic>> ToStored(std::string_view typed) const;

  // A stored expression as staff read it in `language` ("zh-CN", "en-US"): each key replaced by
  // its label in that language when the label is unambiguous. Keys it does not know stay as
  // written. Errors: the syntax error (a stored expression always parses).
  tl::expected<std::string, std::vector<expr::Diagnostic>> ForDisplay(
      std::string_view stored, std::string_view language) const;

  // Compiles a stored expression against schema().
  expr::CompileResult Compile(std::string_view stored,
                              const expr::CompileOptions& options = {}) const;
  // Compiles what staff typed (keys or labels), for its diagnostics — positioned in the text as
  // typed — and its type. What is stored is ToStored(typed), never the typed text.
  expr::CompileResult CompileTyped(std::string_view typed,
                                   const expr::CompileOptions& options = {}) const;

 private:
  ExprBinding() = default;

  // Shared so that copies stay cheap and the schema's address stays fixed for records built on
  // it.
  std::shared_ptr<const expr::Schema> schema_;
  std::shared_ptr<const expr::Schema> typed_schema_;  // keys, then the usable labels
  std::map<std::string, std::string, std::less<>> key_by_label_;
  std::map<std::string, std::string, std::less<>> zh_label_by_key_;
  std::map<std::string, std::string, std::less<>> en_label_by_key_;
};

}  // namespace oc::forms

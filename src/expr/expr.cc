#include "expr/expr.h"

#include <algorithm>

#include "expr/checker.h"
#include "expr/evaluator.h"
#include "expr/functions.h"
#include "expr/program.h"
#include "expr/syntax.h"

namespace oc::expr {

const internal::Program& ProgramOf(const CompiledExpr& expr) { return *expr.program_; }

namespace {

// FNV-1a over names and types: enough to tell schemas apart, not a security boundary.
uint64_t Fingerprint(const std::vector<FieldSchema>& fields) {
  uint64_t h = 1469598103934665603ULL;
  auto mix = [&](std::string_view s) {
    for (char c : s) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ULL;
    }
    h ^= 0xFF;
    h *= 1099511628211ULL;
  };
  for (const auto& f : fields) {
    mix(f.name);
    mix(f.type.Name());
  }
  return h;
}

bool Fits(const Value& v, Type t) {
  if (v.is_null()) return true;
  if (t.kind != TypeKind::kList) return v.kind() == t.kind;
  if (v.kind() != TypeKind::kList) return false;
  for (const Value& item : v.list()) {
    if (!item.is_null() && item.kind() != t.element) return false;
  }
  return true;
}

// Integers stored in number fields (and number lists) become numbers, so slots hold exactly
// the kind the checker assumed.
Value Coerce(Value v, Type t) {
  if (t.kind == TypeKind::kNumber && v.kind() == TypeKind::kInteger) {
    return Value::Number(Decimal::FromInt(v.integer()));
  }
  if (t.kind == TypeKind::kList && t.element == TypeKind::kNumber &&
      v.kind() == TypeKind::kList) {
    std::vector<Value> items;
    for (const Value& item : v.list()) items.push_back(Coerce(item, Type::Of(TypeKind::kNumber)));
    return Value::List(std::move(items));
  }
  return v;
}

}  // namespace

Result<Schema> Schema::Create(std::vector<FieldSchema> fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    const auto& f = fields[i];
    if (f.name.empty()) {
      return InvalidField("schema", "empty_name", {"字段名不能为空", "A field name is empty"});
    }
    if (f.type.kind == TypeKind::kList && f.type.element == TypeKind::kNull) {
      return InvalidField("schema", "invalid_type",
                          {"字段“" + f.name + "”的列表类型缺少元素类型",
                           "The list type of field '" + f.name + "' lacks an element type"});
    }
    for (size_t j = 0; j < i; ++j) {
      if (fields[j].name == f.name) {
        return InvalidField("schema", "duplicate_name",
                            {"字段名“" + f.name + "”重复", "Field '" + f.name + "' appears twice"});
      }
    }
  }
  Schema s;
  s.fingerprint_ = Fingerprint(fields);
  s.fields_ = std::move(fields);
  return s;
}

std::optional<size_t> Schema::Find(std::string_view name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return i;
  }
  return std::nullopt;
}

Record::Record(const Schema& schema)
    : schema_(&schema), values_(schema.size()), fingerprint_(schema.fingerprint()) {}

Status Record::Set(std::string_view name, Value value) {
  auto slot = schema_->Find(name);
  if (!slot) {
    return NotFound({"未知字段“" + std::string(name) + "”",
                     "Unknown field '" + std::string(name) + "'"});
  }
  Type t = schema_->fields()[*slot].type;
  value = Coerce(std::move(value), t);
  if (!Fits(value, t)) {
    return InvalidField(std::string(name), "wrong_type",
                        {"字段“" + std::string(name) + "”应为 " + t.Name(),
                         "Field '" + std::string(name) + "' must be " + t.Name()});
  }
  values_[*slot] = std::move(value);
  return Ok();
}

const std::string& CompiledExpr::source() const { return program_->source; }
Type CompiledExpr::result_type() const { return program_->result_type; }
const std::vector<std::string>& CompiledExpr::referenced_fields() const {
  return program_->referenced_fields;
}

CompileResult Compile(std::string_view source, const Schema& schema,
                      const CompileOptions& options) {
  std::vector<Diagnostic> diagnostics;
  SyntaxTree tree;
  ParseLimits limits{options.max_source_bytes, options.max_depth};
  if (!Parse(source, limits, &tree, &diagnostics)) return tl::unexpected(std::move(diagnostics));
  auto program = std::make_shared<internal::Program>();
  program->source = std::string(source);
  program->schema_fingerprint = schema.fingerprint();
  if (!internal::Check(tree, schema, options, program.get(), &diagnostics)) {
    return tl::unexpected(std::move(diagnostics));
  }
  CompiledExpr expr;
  expr.program_ = std::move(program);
  return expr;
}

tl::expected<std::string, std::vector<Diagnostic>> RenameFields(std::string_view source,
                                                                const FieldRename& rename,
                                                                const CompileOptions& options) {
  std::vector<Diagnostic> diagnostics;
  SyntaxTree tree;
  ParseLimits limits{options.max_source_bytes, options.max_depth};
  if (!Parse(source, limits, &tree, &diagnostics)) return tl::unexpected(std::move(diagnostics));
  std::vector<const SyntaxNode*> references;
  for (const SyntaxNode& node : tree.nodes) {
    if (node.kind == SyntaxKind::kField) references.push_back(&node);
  }
  std::sort(references.begin(), references.end(),
            [](const SyntaxNode* a, const SyntaxNode* b) { return a->span.begin < b->span.begin; });
  std::string out;
  size_t copied = 0;
  for (const SyntaxNode* reference : references) {
    std::optional<std::string> renamed = rename(reference->text);
    if (!renamed) continue;
    out.append(source.substr(copied, reference->span.begin - copied));
    out += IsPlainFieldName(*renamed) ? *renamed : "{" + *renamed + "}";
    copied = reference->span.end;
  }
  out.append(source.substr(copied));
  return out;
}

EvalResult Evaluate(const CompiledExpr& expr, const Record& record, const EvalContext& context) {
  return internal::Evaluator(ProgramOf(expr), record, context, nullptr).Run();
}

tl::expected<bool, Diagnostic> EvaluateCondition(const CompiledExpr& expr, const Record& record,
                                                 const EvalContext& context) {
  auto v = Evaluate(expr, record, context);
  if (!v) return tl::unexpected(std::move(v).error());
  return v->kind() == TypeKind::kBoolean && v->boolean();
}

tl::expected<Explanation, Diagnostic> Explain(const CompiledExpr& expr, const Record& record,
                                              const EvalContext& context) {
  const internal::Program& p = ProgramOf(expr);
  std::vector<std::pair<uint32_t, Value>> trace;
  auto v = internal::Evaluator(p, record, context, &trace).Run();
  if (!v) return tl::unexpected(std::move(v).error());
  // Depth of each node from the root, for indenting an explanation.
  std::vector<int> depth(p.nodes.size(), 0);
  std::vector<uint32_t> pending{p.root};
  while (!pending.empty()) {
    uint32_t n = pending.back();
    pending.pop_back();
    for (uint32_t c : p.Children(p.nodes[n])) {
      depth[c] = depth[n] + 1;
      pending.push_back(c);
    }
  }
  Explanation out;
  out.value = std::move(*v);
  out.steps.reserve(trace.size());
  for (auto& [node, value] : trace) {
    SourceSpan span = p.nodes[node].span;
    SourceLocation where = Locate(p.source, span);
    TraceStep step;
    step.text = p.source.substr(span.begin, span.end - span.begin);
    step.line = where.line;
    step.column = where.column;
    step.offset = where.offset;
    step.length = where.length;
    step.depth = depth[node];
    step.value = std::move(value);
    out.steps.push_back(std::move(step));
  }
  return out;
}

std::vector<std::string> FunctionNames() {
  std::vector<std::string> names;
  for (std::string_view s : internal::SpecialForms()) names.emplace_back(s);
  for (const auto& b : internal::Builtins()) names.emplace_back(b.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace oc::expr

#pragma once
// Lexer and parser: source text → untyped syntax tree with byte spans. Internal to the expr
// module; hosts use expr.h. The grammar, loosest binding first:
//   or        := and (("OR" | "||") and)*
//   and       := not (("AND" | "&&") not)*
//   not       := ("NOT" | "!") not | compare
//   compare   := concat [ ("=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=") concat
//                       | ["NOT"] "IN" ( "(" expr ("," expr)* ")" | concat )
//                       | ["NOT"] "BETWEEN" concat "AND" concat ]
//   concat    := additive ("&" additive)*
//   additive  := product (("+" | "-") product)*
//   product   := power (("*" | "/" | "%") power)*
//   power     := unary ("^" unary)*            (left-associative, as in Excel)
//   unary     := ("-" | "+") unary | primary    (so -2^2 = 4, as in Excel)
//   primary   := number | text | TRUE | FALSE | NULL | name | "{" any name "}"
//              | name "(" [expr ("," expr)*] ")" | "(" expr ")" | "[" [expr ("," expr)*] "]"
// Keywords and function names are case-insensitive; texts are "…" with "" for a quote.
// Thread-compatible.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "expr/diagnostic.h"

namespace oc::expr {

enum class SyntaxKind : uint8_t {
  kInteger,   // text = digits
  kNumber,    // text = decimal literal
  kText,      // text = unescaped content
  kBoolean,   // text = "TRUE" / "FALSE"
  kNull,
  kField,     // text = field name
  kCall,      // text = function name as written; children = arguments
  kUnary,     // text = operator ("-", "+", "NOT"); children = operand
  kBinary,    // text = operator as canonical ("+", "=", "<>", "AND", …); children = left, right
  kIn,        // negated?; children = needle, items…; list_form when "IN expr" without ( )
  kBetween,   // negated?; children = value, low, high
  kList,      // children = items
};

struct SyntaxNode {
  SyntaxKind kind = SyntaxKind::kNull;
  SourceSpan span;       // the whole construct
  SourceSpan name_span;  // the function name of a call; == span otherwise
  std::string text;
  bool negated = false;
  bool list_form = false;
  std::vector<uint32_t> children;  // indices into SyntaxTree::nodes
};

struct SyntaxTree {
  std::vector<SyntaxNode> nodes;
  uint32_t root = 0;
};

struct ParseLimits {
  size_t max_source_bytes = 16 * 1024;
  int max_depth = 128;  // nesting of the tree, which bounds every recursive pass
};

// Whether `name` can be written as a field reference without braces: one name token that is no
// keyword (TRUE, NULL, AND, IN …). Otherwise it is written {name}.
bool IsPlainFieldName(std::string_view name);

// Parses `source`. On failure appends diagnostics (the first syntax error; the parser does not
// guess past it) and returns false.
bool Parse(std::string_view source, const ParseLimits& limits, SyntaxTree* tree,
           std::vector<Diagnostic>* diagnostics);

}  // namespace oc::expr

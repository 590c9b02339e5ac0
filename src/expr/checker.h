#pragma once
// The checker (internal to the expr module): binds the names of a syntax tree against a schema,
// resolves functions and operator overloads, type-checks, and emits the compiled Program.
// Reports every independent error it finds, in source order.

#include <vector>

#include "expr/diagnostic.h"
#include "expr/expr.h"
#include "expr/program.h"
#include "expr/syntax.h"

namespace oc::expr::internal {

// Returns false (diagnostics appended) when the tree does not type-check.
// REQUIRES: tree came from a successful Parse of program->source.
bool Check(const SyntaxTree& tree, const Schema& schema, const CompileOptions& options,
           Program* program, std::vector<Diagnostic>* diagnostics);

// Levenshtein distance in code points, capped at `cap` (returns cap when it is at least cap).
size_t EditDistance(std::string_view a, std::string_view b, size_t cap);

}  // namespace oc::expr::internal

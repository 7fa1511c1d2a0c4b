// What a fix proposes for one file, and the checked application of it.
#pragma once

#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/edit.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// The edits a fix wants, in the original file's coordinates. No edits
// means the fix is already there; `note` says what was done or found.
struct FixPlan {
  std::vector<Edit> edits;
  std::string note;
};

// Refuses a file that already has syntax errors (the message names the
// first one), so that no fix is planned on a tree-sitter error recovery.
Status RequireCleanSyntax(const PythonSource& source, std::string_view path);

// Applies `edits` and re-parses the result; fails, changing nothing, when
// the edits overlap or the result has a syntax error.
Result<std::string> ApplyChecked(const PythonSource& source, const std::vector<Edit>& edits);

// `value` as a double-quoted Python string literal.
std::string PythonStringLiteral(std::string_view value);

}  // namespace prometheus::rewrite

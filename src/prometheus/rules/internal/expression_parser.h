// Recursive-descent (precedence-climbing) parser from tokens to a syntax
// tree. Precedence, loosest first: or, and, not, comparisons (which do not
// chain), + -, * / %, unary minus.
#pragma once

#include <memory>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/rules/internal/expression_node.h"

namespace prometheus::rules::internal {

// Parses `text` into a tree. Errors read "line L, column C: expected ...,
// found ..." with positions inside `text`.
Result<std::unique_ptr<const Expression::Node>> ParseExpressionTree(
    std::string_view text);

}  // namespace prometheus::rules::internal

// The expression language of rule files: arithmetic, comparisons, and/or/not
// and a few functions over named values (KPI columns and thresholds).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::rules {

// A number, a string, a boolean, or null (monostate).
using ExprValue = std::variant<std::monostate, double, std::string, bool>;

// Resolves names during evaluation.
class Scope {
 public:
  virtual ~Scope() = default;
  // The value of `name`; nullopt when the name is unknown (an error), a
  // monostate ExprValue when it is known but null.
  virtual std::optional<ExprValue> Lookup(std::string_view name) const = 0;
};

class Expression {
 public:
  Expression();
  ~Expression();
  Expression(const Expression&);
  Expression& operator=(const Expression&);
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;

  // Parses `text`. Errors say "line L, column C: expected ..." with
  // positions inside `text` (1-based).
  static Result<Expression> Parse(std::string_view text);

  // Evaluates against `scope`. Arithmetic with null gives null; a
  // comparison with null is false; an unknown name or a type mismatch is an
  // error naming it.
  Result<ExprValue> Evaluate(const Scope& scope) const;

  // The names the expression reads (without function names).
  std::vector<std::string> Names() const;

  const std::string& text() const { return text_; }

  struct Node;

 private:
  std::string text_;
  std::shared_ptr<const Node> root_;  // immutable, so copies may share it
};

// Whether a value counts as true: true, or a non-zero number.
bool Truthy(const ExprValue& value);

}  // namespace prometheus::rules

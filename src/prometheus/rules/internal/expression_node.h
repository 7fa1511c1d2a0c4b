// The syntax tree of a parsed expression, shared by the parser and the
// evaluator (private to the rules module).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "prometheus/rules/expression.h"

namespace prometheus::rules {

namespace internal {

// clang-format off
// Unary (kNeg, kNot), arithmetic (kAdd to kMod), comparison (kEq to kGe) and
// short-circuit logic (kAnd, kOr).
enum class Op {
  kNeg, kNot,
  kAdd, kSub, kMul, kDiv, kMod,
  kEq, kNe, kLt, kLe, kGt, kGe,
  kAnd, kOr,
};

enum class Function {
  kAbs, kCeil, kCoalesce, kContains, kFloor, kIf, kIsNull, kMax, kMin, kRatio,
  kRound, kStartsWith,
};
// clang-format on

// The operator as written in rule files ("+", "and", "not"...).
const char* OpSymbol(Op op);

}  // namespace internal

struct Expression::Node {
  enum class Kind { kLiteral, kName, kUnary, kBinary, kCall };

  Kind kind = Kind::kLiteral;
  ExprValue literal;  // kLiteral
  std::string name;   // kName, and the function name of kCall
  internal::Op op = internal::Op::kAdd;                    // kUnary, kBinary
  internal::Function function = internal::Function::kAbs;  // kCall
  std::vector<std::unique_ptr<const Node>> children;  // operands, arguments
};

}  // namespace prometheus::rules

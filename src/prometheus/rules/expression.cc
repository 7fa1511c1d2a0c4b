#include "prometheus/rules/expression.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "prometheus/rules/internal/expression_node.h"
#include "prometheus/rules/internal/expression_parser.h"

namespace prometheus::rules {
namespace {

using internal::Function;
using internal::Op;
using internal::OpSymbol;
using Node = Expression::Node;

const char* TypeName(const ExprValue& value) {
  switch (value.index()) {
    case 0:
      return "null";
    case 1:
      return "number";
    case 2:
      return "string";
    default:
      return "boolean";
  }
}

bool IsNull(const ExprValue& v) {
  return std::holds_alternative<std::monostate>(v);
}
const double* AsNumber(const ExprValue& v) { return std::get_if<double>(&v); }

// Infinities and NaN never leave the evaluator: they become null.
ExprValue Number(double x) {
  if (!std::isfinite(x)) return std::monostate{};
  return x;
}

Result<ExprValue> Arithmetic(Op op, const ExprValue& a, const ExprValue& b) {
  if (IsNull(a) || IsNull(b)) return ExprValue{};
  const double* x = AsNumber(a);
  const double* y = AsNumber(b);
  if (x == nullptr || y == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "operator '{}' needs numbers, found {} and {}", OpSymbol(op),
                TypeName(a), TypeName(b));
  }
  switch (op) {
    case Op::kAdd:
      return Number(*x + *y);
    case Op::kSub:
      return Number(*x - *y);
    case Op::kMul:
      return Number(*x * *y);
    case Op::kDiv:
      return *y == 0 ? ExprValue{} : Number(*x / *y);
    case Op::kMod:
      return *y == 0 ? ExprValue{} : Number(std::fmod(*x, *y));
    default:
      break;
  }
  return Fail(ErrorCode::kInternal,
              "operator '{}' is not arithmetic", OpSymbol(op));
}

template <typename T>
bool Ordered(Op op, const T& x, const T& y) {
  switch (op) {
    case Op::kEq:
      return x == y;
    case Op::kNe:
      return x != y;
    case Op::kLt:
      return x < y;
    case Op::kLe:
      return x <= y;
    case Op::kGt:
      return x > y;
    case Op::kGe:
      return x >= y;
    default:
      return false;
  }
}

Result<ExprValue> Compare(Op op, const ExprValue& a, const ExprValue& b) {
  if (IsNull(a) || IsNull(b)) return false;
  if (a.index() != b.index()) {
    return Fail(ErrorCode::kInvalidArgument,
                "operator '{}' cannot compare {} and {}", OpSymbol(op),
                TypeName(a), TypeName(b));
  }
  if (const double* x = AsNumber(a))
    return Ordered(op, *x, std::get<double>(b));
  if (const auto* s = std::get_if<std::string>(&a)) {
    return Ordered(op, *s, std::get<std::string>(b));
  }
  if (op != Op::kEq && op != Op::kNe) {
    return Fail(ErrorCode::kInvalidArgument,
                "operator '{}' cannot order booleans", OpSymbol(op));
  }
  return Ordered(op, std::get<bool>(a), std::get<bool>(b));
}

class Evaluator {
 public:
  explicit Evaluator(const Scope& scope) : scope_(scope) {}

  Result<ExprValue> Eval(const Node& node) {
    switch (node.kind) {
      case Node::Kind::kLiteral:
        return node.literal;
      case Node::Kind::kName: {
        std::optional<ExprValue> value = scope_.Lookup(node.name);
        if (!value) return Fail(ErrorCode::kInvalidArgument,
                                "unknown name {}", node.name);
        return *std::move(value);
      }
      case Node::Kind::kUnary:
        return EvalUnary(node);
      case Node::Kind::kBinary:
        return EvalBinary(node);
      case Node::Kind::kCall:
        return EvalCall(node);
    }
    return ExprValue{};
  }

 private:
  Result<ExprValue> EvalUnary(const Node& node) {
    PROM_ASSIGN_OR_RETURN(ExprValue value, Eval(*node.children[0]));
    if (node.op == Op::kNot) return !Truthy(value);
    if (IsNull(value)) return value;
    if (const double* x = AsNumber(value)) return Number(-*x);
    return Fail(ErrorCode::kInvalidArgument,
                "operator '-' needs a number, found {}", TypeName(value));
  }

  Result<ExprValue> EvalBinary(const Node& node) {
    PROM_ASSIGN_OR_RETURN(ExprValue left, Eval(*node.children[0]));
    if (node.op == Op::kAnd && !Truthy(left)) return false;
    if (node.op == Op::kOr && Truthy(left)) return true;
    PROM_ASSIGN_OR_RETURN(ExprValue right, Eval(*node.children[1]));
    switch (node.op) {
      case Op::kAnd:
      case Op::kOr:
        return Truthy(right);
      case Op::kEq:
      case Op::kNe:
      case Op::kLt:
      case Op::kLe:
      case Op::kGt:
      case Op::kGe:
        return Compare(node.op, left, right);
      default:
        return Arithmetic(node.op, left, right);
    }
  }

  // A number argument, or null; anything else is an error naming `node`.
  Result<std::optional<double>> NumberArg(const Node& call, const Node& arg) {
    PROM_ASSIGN_OR_RETURN(ExprValue value, Eval(arg));
    if (IsNull(value)) return std::nullopt;
    if (const double* x = AsNumber(value)) return *x;
    return Fail(ErrorCode::kInvalidArgument,
                "{}() needs numbers, found {}", call.name, TypeName(value));
  }

  Result<ExprValue> EvalCall(const Node& call) {
    const auto& args = call.children;
    switch (call.function) {
      case Function::kIf: {
        PROM_ASSIGN_OR_RETURN(ExprValue condition, Eval(*args[0]));
        return Eval(*args[Truthy(condition) ? 1 : 2]);
      }
      case Function::kCoalesce:
        for (const auto& arg : args) {
          PROM_ASSIGN_OR_RETURN(ExprValue value, Eval(*arg));
          if (!IsNull(value)) return value;
        }
        return ExprValue{};
      case Function::kIsNull: {
        PROM_ASSIGN_OR_RETURN(ExprValue value, Eval(*args[0]));
        return IsNull(value);
      }
      case Function::kStartsWith:
      case Function::kContains:
        return EvalStringTest(call);
      case Function::kMax:
      case Function::kMin: {
        std::optional<double> best;
        for (const auto& arg : args) {
          PROM_ASSIGN_OR_RETURN(std::optional<double> x, NumberArg(call, *arg));
          if (!x) continue;
          if (!best ||
              (call.function == Function::kMax ? *x > *best : *x < *best)) {
            best = x;
          }
        }
        return best ? ExprValue{*best} : ExprValue{};
      }
      case Function::kRatio: {
        PROM_ASSIGN_OR_RETURN(std::optional<double> a,
                              NumberArg(call, *args[0]));
        PROM_ASSIGN_OR_RETURN(std::optional<double> b,
                              NumberArg(call, *args[1]));
        if (!a || !b || *b == 0) return ExprValue{};
        return Number(*a / *b);
      }
      default:
        break;
    }
    PROM_ASSIGN_OR_RETURN(std::optional<double> x, NumberArg(call, *args[0]));
    if (!x) return ExprValue{};
    switch (call.function) {
      case Function::kAbs:
        return std::fabs(*x);
      case Function::kCeil:
        return std::ceil(*x);
      case Function::kFloor:
        return std::floor(*x);
      default:
        return std::round(*x);
    }
  }

  // starts_with and contains: false when either side is null.
  Result<ExprValue> EvalStringTest(const Node& call) {
    PROM_ASSIGN_OR_RETURN(ExprValue text, Eval(*call.children[0]));
    PROM_ASSIGN_OR_RETURN(ExprValue part, Eval(*call.children[1]));
    if (IsNull(text) || IsNull(part)) return false;
    const auto* s = std::get_if<std::string>(&text);
    const auto* p = std::get_if<std::string>(&part);
    if (s == nullptr || p == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  "{}() needs strings, found {} and {}", call.name,
                  TypeName(text), TypeName(part));
    }
    if (call.function == Function::kStartsWith) return s->starts_with(*p);
    return s->find(*p) != std::string::npos;
  }

  const Scope& scope_;
};

void CollectNames(const Node& node, std::vector<std::string>& names) {
  if (node.kind == Node::Kind::kName &&
      std::find(names.begin(), names.end(), node.name) == names.end()) {
    names.push_back(node.name);
  }
  for (const auto& child : node.children) CollectNames(*child, names);
}

}  // namespace

Expression::Expression() = default;
Expression::~Expression() = default;
Expression::Expression(const Expression&) = default;
Expression& Expression::operator=(const Expression&) = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;

Result<Expression> Expression::Parse(std::string_view text) {
  PROM_ASSIGN_OR_RETURN(std::unique_ptr<const Node> root,
                        internal::ParseExpressionTree(text));
  Expression expression;
  expression.text_ = std::string(text);
  expression.root_ = std::move(root);
  return expression;
}

Result<ExprValue> Expression::Evaluate(const Scope& scope) const {
  if (root_ == nullptr) return ExprValue{};
  return Evaluator(scope).Eval(*root_);
}

std::vector<std::string> Expression::Names() const {
  std::vector<std::string> names;
  if (root_ != nullptr) CollectNames(*root_, names);
  return names;
}

bool Truthy(const ExprValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b;
  if (const double* x = std::get_if<double>(&value)) return *x != 0;
  return false;
}

}  // namespace prometheus::rules

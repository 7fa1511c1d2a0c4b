#include "prometheus/rules/internal/expression_parser.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "prometheus/rules/internal/expression_lexer.h"

namespace prometheus::rules::internal {
namespace {

using Node = Expression::Node;
using NodePtr = std::unique_ptr<const Node>;

struct FunctionInfo {
  std::string_view name;
  Function function;
  int min_args;
  int max_args;  // -1: no limit
};

constexpr FunctionInfo kFunctions[] = {
    {"abs", Function::kAbs, 1, 1},
    {"ceil", Function::kCeil, 1, 1},
    {"coalesce", Function::kCoalesce, 1, -1},
    {"contains", Function::kContains, 2, 2},
    {"floor", Function::kFloor, 1, 1},
    {"if", Function::kIf, 3, 3},
    {"is_null", Function::kIsNull, 1, 1},
    {"max", Function::kMax, 1, -1},
    {"min", Function::kMin, 1, -1},
    {"ratio", Function::kRatio, 2, 2},
    {"round", Function::kRound, 1, 1},
    {"starts_with", Function::kStartsWith, 2, 2},
};

constexpr const char* kFunctionList =
    "abs, ceil, coalesce, contains, floor, if, is_null, max, min, ratio, "
    "round or starts_with";

// Binding strength; a higher level binds tighter.
enum Level {
  kOrLevel = 1,
  kAndLevel,
  kNotLevel,
  kCompareLevel,
  kAddLevel,
  kMulLevel
};

struct BinaryInfo {
  Op op;
  int level;
};

std::optional<BinaryInfo> BinaryOperator(const Token& token) {
  if (token.kind == TokenKind::kName) {
    if (token.text == "or") return BinaryInfo{Op::kOr, kOrLevel};
    if (token.text == "and") return BinaryInfo{Op::kAnd, kAndLevel};
    return std::nullopt;
  }
  if (token.kind != TokenKind::kSymbol) return std::nullopt;
  const std::string& s = token.text;
  if (s == "||") return BinaryInfo{Op::kOr, kOrLevel};
  if (s == "&&") return BinaryInfo{Op::kAnd, kAndLevel};
  if (s == "==") return BinaryInfo{Op::kEq, kCompareLevel};
  if (s == "!=") return BinaryInfo{Op::kNe, kCompareLevel};
  if (s == "<") return BinaryInfo{Op::kLt, kCompareLevel};
  if (s == "<=") return BinaryInfo{Op::kLe, kCompareLevel};
  if (s == ">") return BinaryInfo{Op::kGt, kCompareLevel};
  if (s == ">=") return BinaryInfo{Op::kGe, kCompareLevel};
  if (s == "+") return BinaryInfo{Op::kAdd, kAddLevel};
  if (s == "-") return BinaryInfo{Op::kSub, kAddLevel};
  if (s == "*") return BinaryInfo{Op::kMul, kMulLevel};
  if (s == "/") return BinaryInfo{Op::kDiv, kMulLevel};
  if (s == "%") return BinaryInfo{Op::kMod, kMulLevel};
  return std::nullopt;
}

bool IsSymbol(const Token& token, std::string_view symbol) {
  return token.kind == TokenKind::kSymbol && token.text == symbol;
}

bool IsKeyword(const Token& token, std::string_view word) {
  return token.kind == TokenKind::kName && token.text == word;
}

bool IsReserved(const Token& token) {
  return IsKeyword(token, "and") || IsKeyword(token, "or") ||
         IsKeyword(token, "not");
}

NodePtr MakeLiteral(ExprValue value) {
  auto node = std::make_unique<Node>();
  node->kind = Node::Kind::kLiteral;
  node->literal = std::move(value);
  return node;
}

NodePtr MakeOperator(Op op, std::vector<NodePtr> operands) {
  auto node = std::make_unique<Node>();
  node->kind = operands.size() == 1 ? Node::Kind::kUnary : Node::Kind::kBinary;
  node->op = op;
  node->children = std::move(operands);
  return node;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<NodePtr> Run() {
    PROM_ASSIGN_OR_RETURN(NodePtr root, ParseBinary(kOrLevel));
    if (Peek().kind != TokenKind::kEnd) {
      return Expected("an operator or the end of the expression");
    }
    return root;
  }

 private:
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() {
    return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_];
  }

  std::unexpected<Error> Expected(std::string_view what) const {
    const Token& token = Peek();
    return Fail(ErrorCode::kInvalidArgument,
                "line {}, column {}: expected {}, found {}", token.line,
                token.column, what, DescribeToken(token));
  }

  // Operators of `min_level` and tighter, left-associative.
  Result<NodePtr> ParseBinary(int min_level) {
    PROM_ASSIGN_OR_RETURN(NodePtr left, ParsePrefix());
    while (true) {
      std::optional<BinaryInfo> info = BinaryOperator(Peek());
      if (!info || info->level < min_level) return left;
      Next();
      PROM_ASSIGN_OR_RETURN(NodePtr right, ParseBinary(info->level + 1));
      std::vector<NodePtr> operands;
      operands.push_back(std::move(left));
      operands.push_back(std::move(right));
      left = MakeOperator(info->op, std::move(operands));
      std::optional<BinaryInfo> after = BinaryOperator(Peek());
      if (info->level == kCompareLevel && after &&
          after->level == kCompareLevel) {
        return Expected("'and' or 'or' (comparisons do not chain)");
      }
    }
  }

  // `not` takes a whole comparison; unary minus only the next operand.
  Result<NodePtr> ParsePrefix() {
    std::vector<NodePtr> operand;
    if (IsKeyword(Peek(), "not") || IsSymbol(Peek(), "!")) {
      Next();
      PROM_ASSIGN_OR_RETURN(NodePtr inner, ParseBinary(kCompareLevel));
      operand.push_back(std::move(inner));
      return MakeOperator(Op::kNot, std::move(operand));
    }
    if (IsSymbol(Peek(), "-")) {
      Next();
      PROM_ASSIGN_OR_RETURN(NodePtr inner, ParsePrefix());
      operand.push_back(std::move(inner));
      return MakeOperator(Op::kNeg, std::move(operand));
    }
    return ParsePrimary();
  }

  Result<NodePtr> ParsePrimary() {
    const Token& token = Peek();
    switch (token.kind) {
      case TokenKind::kNumber:
        return MakeLiteral(Next().number);
      case TokenKind::kString:
        return MakeLiteral(Next().text);
      case TokenKind::kName:
        if (IsReserved(token)) break;
        return ParseName();
      case TokenKind::kSymbol:
        if (token.text != "(") break;
        {
          Next();
          PROM_ASSIGN_OR_RETURN(NodePtr inner, ParseBinary(kOrLevel));
          if (!IsSymbol(Peek(), ")")) return Expected("')'");
          Next();
          return inner;
        }
      case TokenKind::kEnd:
        break;
    }
    return Expected("a value (number, string, name, function call or '(')");
  }

  // A constant, a name, or a function call.
  Result<NodePtr> ParseName() {
    if (IsSymbol(tokens_[pos_ + 1], "(")) return ParseCall();
    const Token& token = Next();
    if (token.text == "true") return MakeLiteral(true);
    if (token.text == "false") return MakeLiteral(false);
    if (token.text == "null") return MakeLiteral(std::monostate{});
    auto node = std::make_unique<Node>();
    node->kind = Node::Kind::kName;
    node->name = token.text;
    return NodePtr(std::move(node));
  }

  Result<NodePtr> ParseCall() {
    const Token& name = Next();
    const FunctionInfo* info = nullptr;
    for (const FunctionInfo& f : kFunctions) {
      if (f.name == name.text) info = &f;
    }
    if (info == nullptr) {
      return Fail(ErrorCode::kInvalidArgument,
                  "line {}, column {}: expected a function ({}), found '{}'",
                  name.line, name.column, kFunctionList, name.text);
    }
    Next();  // "("
    auto node = std::make_unique<Node>();
    node->kind = Node::Kind::kCall;
    node->name = name.text;
    node->function = info->function;
    if (!IsSymbol(Peek(), ")")) {
      while (true) {
        PROM_ASSIGN_OR_RETURN(NodePtr arg, ParseBinary(kOrLevel));
        node->children.push_back(std::move(arg));
        if (IsSymbol(Peek(), ")")) break;
        if (!IsSymbol(Peek(), ",")) return Expected("',' or ')'");
        Next();
      }
    }
    Next();  // ")"
    int count = static_cast<int>(node->children.size());
    if (count < info->min_args ||
        (info->max_args >= 0 && count > info->max_args)) {
      std::string expected = info->max_args < 0
                                 ? fmt::format("at least {}", info->min_args)
                                 : fmt::format("{}", info->min_args);
      return Fail(ErrorCode::kInvalidArgument,
                  "line {}, column {}: expected {} argument{} for {}, found {}",
                  name.line, name.column, expected,
                  info->min_args == 1 ? "" : "s", info->name, count);
    }
    return NodePtr(std::move(node));
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

}  // namespace

const char* OpSymbol(Op op) {
  switch (op) {
    case Op::kNeg:
      return "-";
    case Op::kNot:
      return "not";
    case Op::kAdd:
      return "+";
    case Op::kSub:
      return "-";
    case Op::kMul:
      return "*";
    case Op::kDiv:
      return "/";
    case Op::kMod:
      return "%";
    case Op::kEq:
      return "==";
    case Op::kNe:
      return "!=";
    case Op::kLt:
      return "<";
    case Op::kLe:
      return "<=";
    case Op::kGt:
      return ">";
    case Op::kGe:
      return ">=";
    case Op::kAnd:
      return "and";
    case Op::kOr:
      return "or";
  }
  return "?";
}

Result<std::unique_ptr<const Expression::Node>> ParseExpressionTree(
    std::string_view text) {
  PROM_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  return Parser(std::move(tokens)).Run();
}

}  // namespace prometheus::rules::internal

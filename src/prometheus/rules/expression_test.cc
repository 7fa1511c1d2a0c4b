// The rule expression language: grammar, precedence, null semantics,
// short-circuit evaluation and error positions.
#include "prometheus/rules/expression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "prometheus/rules/scopes.h"

namespace prometheus::rules {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using TestScope = MapScope;

const TestScope& DefaultScope() {
  static const TestScope scope{{"a", 2.0},
                               {"b", 3.0},
                               {"zero", 0.0},
                               {"x", ExprValue{}},
                               {"name", "save at Job.scala:12"},
                               {"flag", true},
                               {"d.e", 7.0}};
  return scope;
}

// Parses and evaluates `text`, failing the test on any error.
ExprValue Eval(std::string_view text, const Scope& scope = DefaultScope()) {
  auto expression = Expression::Parse(text);
  EXPECT_TRUE(expression.has_value())
      << text << ": " << expression.error().message;
  if (!expression) return {};
  auto value = expression->Evaluate(scope);
  EXPECT_TRUE(value.has_value()) << text << ": " << value.error().message;
  return value ? *value : ExprValue{};
}

std::string ParseError(std::string_view text) {
  auto expression = Expression::Parse(text);
  EXPECT_FALSE(expression.has_value()) << text << " parsed";
  return expression ? "" : expression.error().message;
}

std::string EvalError(std::string_view text) {
  auto expression = Expression::Parse(text);
  EXPECT_TRUE(expression.has_value()) << text;
  if (!expression) return "";
  auto value = expression->Evaluate(DefaultScope());
  EXPECT_FALSE(value.has_value()) << text << " evaluated";
  return value ? "" : value.error().message;
}

bool IsNull(const ExprValue& v) {
  return std::holds_alternative<std::monostate>(v);
}

TEST(ExpressionTest, ArithmeticPrecedenceAndAssociativity) {
  EXPECT_EQ(Eval("1 + 2 * 3"), ExprValue(7.0));
  EXPECT_EQ(Eval("(1 + 2) * 3"), ExprValue(9.0));
  EXPECT_EQ(Eval("10 - 4 - 3"), ExprValue(3.0));
  EXPECT_EQ(Eval("64 / 4 / 2"), ExprValue(8.0));
  EXPECT_EQ(Eval("7 % 4 * 2"), ExprValue(6.0));
  EXPECT_EQ(Eval("-a * b"), ExprValue(-6.0));
  EXPECT_EQ(Eval("- -a"), ExprValue(2.0));
  EXPECT_EQ(Eval("a - -b"), ExprValue(5.0));
}

TEST(ExpressionTest, LogicPrecedence) {
  EXPECT_EQ(Eval("true or false and false"), ExprValue(true));
  EXPECT_EQ(Eval("(true or false) and false"), ExprValue(false));
  // `not` takes the whole comparison, as in Python.
  EXPECT_EQ(Eval("not a > b"), ExprValue(true));
  EXPECT_EQ(Eval("not a < b and flag"), ExprValue(false));
  EXPECT_EQ(Eval("a + 1 >= b && !(a == b) || false"), ExprValue(true));
}

TEST(ExpressionTest, NumbersWithExponentsAndUnits) {
  EXPECT_EQ(Eval("1.5e3"), ExprValue(1500.0));
  EXPECT_EQ(Eval("2E-2"), ExprValue(0.02));
  EXPECT_EQ(Eval(".5"), ExprValue(0.5));
  EXPECT_EQ(Eval("256MiB"), ExprValue(268435456.0));
  EXPECT_EQ(Eval("1.5KiB"), ExprValue(1536.0));
  EXPECT_EQ(Eval("30s + 2min + 1h + 5ms"),
            ExprValue(30000.0 + 120000 + 3600000 + 5));
}

TEST(ExpressionTest, StringsAndStringFunctions) {
  EXPECT_EQ(Eval(R"("a\"b")"), ExprValue(std::string("a\"b")));
  EXPECT_EQ(Eval(R"('it\'s')"), ExprValue(std::string("it's")));
  EXPECT_EQ(Eval(R"(starts_with(name, "save"))"), ExprValue(true));
  EXPECT_EQ(Eval(R"(contains(name, "Job.scala"))"), ExprValue(true));
  EXPECT_EQ(Eval(R"(contains(name, "collect"))"), ExprValue(false));
  EXPECT_EQ(Eval(R"("abc" < "abd")"), ExprValue(true));
  EXPECT_EQ(Eval(R"(starts_with(x, "a"))"), ExprValue(false))
      << "null is false";
}

TEST(ExpressionTest, NullPropagatesThroughArithmetic) {
  EXPECT_TRUE(IsNull(Eval("x + 1")));
  EXPECT_TRUE(IsNull(Eval("2 * x - 1")));
  EXPECT_TRUE(IsNull(Eval("-x")));
  EXPECT_TRUE(IsNull(Eval("abs(x)")));
}

TEST(ExpressionTest, ComparisonWithNullIsFalse) {
  EXPECT_EQ(Eval("x > 1"), ExprValue(false));
  EXPECT_EQ(Eval("x <= 1"), ExprValue(false));
  EXPECT_EQ(Eval("x == null"), ExprValue(false));
  EXPECT_EQ(Eval("x != 1"), ExprValue(false));
  EXPECT_EQ(Eval("not (x > 1)"), ExprValue(true));
  EXPECT_EQ(Eval("is_null(x)"), ExprValue(true));
  EXPECT_EQ(Eval("is_null(a)"), ExprValue(false));
}

TEST(ExpressionTest, DivisionByZeroIsNullNeverInfinity) {
  EXPECT_TRUE(IsNull(Eval("a / zero")));
  EXPECT_TRUE(IsNull(Eval("a % 0")));
  EXPECT_TRUE(IsNull(Eval("ratio(a, zero)")));
  EXPECT_TRUE(IsNull(Eval("ratio(a, x)")));
  EXPECT_TRUE(IsNull(Eval("1e308 * 10"))) << "overflow is null, not inf";
  EXPECT_EQ(Eval("ratio(b, a)"), ExprValue(1.5));
}

TEST(ExpressionTest, Functions) {
  EXPECT_EQ(Eval("max(a, b, 1)"), ExprValue(3.0));
  EXPECT_EQ(Eval("min(a, b, 1)"), ExprValue(1.0));
  EXPECT_EQ(Eval("max(x, a)"), ExprValue(2.0)) << "nulls are skipped";
  EXPECT_TRUE(IsNull(Eval("max(x, null)")));
  EXPECT_EQ(Eval("abs(0 - b)"), ExprValue(3.0));
  EXPECT_EQ(Eval("coalesce(x, null, b, a)"), ExprValue(3.0));
  EXPECT_EQ(Eval("if(a > b, 1, 2)"), ExprValue(2.0));
  EXPECT_EQ(Eval("floor(2.7) + ceil(2.1) + round(2.5)"), ExprValue(8.0));
  EXPECT_EQ(Eval("d.e"), ExprValue(7.0)) << "names may contain dots";
}

TEST(ExpressionTest, AndOrShortCircuit) {
  // The right side names nothing in scope: reaching it would be an error.
  EXPECT_EQ(Eval("false and missing"), ExprValue(false));
  EXPECT_EQ(Eval("x > 1 and missing > 2"), ExprValue(false));
  EXPECT_EQ(Eval("true or missing"), ExprValue(true));
  EXPECT_EQ(Eval("if(true, 1, missing)"), ExprValue(1.0));
  EXPECT_EQ(Eval("coalesce(a, missing)"), ExprValue(2.0));
  EXPECT_EQ(EvalError("true and missing"), "unknown name missing");
}

TEST(ExpressionTest, EvaluationErrorsNameTheProblem) {
  EXPECT_EQ(EvalError("nope + 1"), "unknown name nope");
  EXPECT_EQ(EvalError(R"("a" + 1)"),
            "operator '+' needs numbers, found string and number");
  EXPECT_EQ(EvalError("flag * 2"),
            "operator '*' needs numbers, found boolean and number");
  EXPECT_EQ(EvalError(R"(name == 1)"),
            "operator '==' cannot compare string and number");
  EXPECT_EQ(EvalError("true < false"), "operator '<' cannot order booleans");
  EXPECT_EQ(EvalError(R"(max(a, "b"))"), "max() needs numbers, found string");
  EXPECT_EQ(EvalError("contains(name, 1)"),
            "contains() needs strings, found string and number");
}

TEST(ExpressionTest, ParseErrorsGiveLineAndColumn) {
  EXPECT_EQ(
      ParseError("1 +"),
      "line 1, column 4: expected a value (number, string, name, function "
      "call or '('), found end of text");
  EXPECT_EQ(
      ParseError("a b"),
      "line 1, column 3: expected an operator or the end of the expression, "
      "found 'b'");
  EXPECT_EQ(ParseError("(1 + 2"),
            "line 1, column 7: expected ')', found end of text");
  EXPECT_EQ(
      ParseError("max(1,, 2)"),
      "line 1, column 7: expected a value (number, string, name, function "
      "call or '('), found ','");
  EXPECT_EQ(ParseError("max(1 2)"),
            "line 1, column 7: expected ',' or ')', found number 2");
  EXPECT_EQ(
      ParseError("a +\n  * b"),
      "line 2, column 3: expected a value (number, string, name, function "
      "call or '('), found '*'");
  EXPECT_EQ(ParseError("a = b"),
            "line 1, column 3: expected '==' (comparison), found '='");
  EXPECT_EQ(
      ParseError("a and or b"),
      "line 1, column 7: expected a value (number, string, name, function "
      "call or '('), found 'or'");
}

TEST(ExpressionTest, ParseErrorsForLiteralsAndCalls) {
  EXPECT_EQ(
      ParseError("1 < 2 < 3"),
      "line 1, column 7: expected 'and' or 'or' (comparisons do not chain), "
      "found '<'");
  EXPECT_THAT(ParseError("  sqrt(4)"),
              StartsWith("line 1, column 3: expected a function (abs, ceil,"));
  EXPECT_THAT(ParseError("  sqrt(4)"), HasSubstr("found 'sqrt'"));
  EXPECT_EQ(ParseError("ratio(1)"),
            "line 1, column 1: expected 2 arguments for ratio, found 1");
  EXPECT_EQ(ParseError("max()"),
            "line 1, column 1: expected at least 1 argument for max, found 0");
  EXPECT_EQ(
      ParseError("5 GiB"),
      "line 1, column 3: expected an operator or the end of the expression, "
      "found 'GiB'")
      << "a unit follows its number without a space";
  EXPECT_EQ(
      ParseError("10XB"),
      "line 1, column 3: expected a unit after the number (KiB, MiB, GiB, "
      "TiB, ms, s, min or h), found 'XB'");
  EXPECT_EQ(ParseError(R"("abc)"),
            "line 1, column 5: expected a closing \", found end of text");
  EXPECT_EQ(
      ParseError(R"("a\qb")"),
      R"(line 1, column 3: expected an escape (\" \' \\ \n \t), found '\q')");
  EXPECT_EQ(
      ParseError(R"("a\)"),
      R"(line 1, column 3: expected an escape (\" \' \\ \n \t), found end of text)");
  EXPECT_THAT(ParseError("a # b"),
              StartsWith("line 1, column 3: expected a number, name"));
  EXPECT_THAT(ParseError(""), HasSubstr("found end of text"));
}

TEST(ExpressionTest, NamesAreReadNamesInOrderWithoutRepeats) {
  auto expression =
      Expression::Parse("a + b * a + max(c, d.e) > ratio(1, b) or true");
  ASSERT_TRUE(expression.has_value());
  EXPECT_THAT(expression->Names(), ElementsAre("a", "b", "c", "d.e"));
  EXPECT_EQ(expression->text(),
            "a + b * a + max(c, d.e) > ratio(1, b) or true");
}

TEST(ExpressionTest, CopiesShareTheTreeAndOutliveTheOriginal) {
  Expression copy;
  EXPECT_TRUE(IsNull(*copy.Evaluate(DefaultScope())))
      << "empty expression is null";
  {
    auto original = Expression::Parse("a * b");
    ASSERT_TRUE(original.has_value());
    copy = *original;
  }
  Expression moved = std::move(copy);
  EXPECT_EQ(*moved.Evaluate(DefaultScope()), ExprValue(6.0));
}

TEST(ExpressionTest, Truthy) {
  EXPECT_TRUE(Truthy(true));
  EXPECT_TRUE(Truthy(0.5));
  EXPECT_FALSE(Truthy(false));
  EXPECT_FALSE(Truthy(0.0));
  EXPECT_FALSE(Truthy(ExprValue{}));
  EXPECT_FALSE(Truthy(std::string("yes")));
  EXPECT_EQ(Eval("not x"), ExprValue(true));
  EXPECT_EQ(Eval("a and b"), ExprValue(true)) << "and/or give booleans";
}

}  // namespace
}  // namespace prometheus::rules

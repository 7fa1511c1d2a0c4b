// PythonSource: tree-sitter loads the pinned grammar, reports the first
// syntax problem with its position, and refuses bare-CR files.
#include "prometheus/rewrite/python_source.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

TEST(PythonSource, EveryCorpusJobButTheBrokenOneParsesCleanly) {
  for (const char* name : {"daily_orders.py", "crlf_job.py", "tuned_job.py", "ambiguous_join.py"}) {
    PythonSource source = testing::Parsed(testing::Corpus(name));
    EXPECT_FALSE(source.Problem().has_value()) << name;
    EXPECT_TRUE(IsType(source.root(), "module"));
  }
}

TEST(PythonSource, ReportsWhereTheSyntaxErrorIs) {
  PythonSource source = testing::Parsed(testing::Corpus("broken.py"));
  auto problem = source.Problem();
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->line, 4u);  // `spark.table("orders"` never closes
  EXPECT_FALSE(testing::CPythonParses(source.text()));
}

TEST(PythonSource, ReportsAMissingToken) {
  PythonSource source = testing::Parsed("def f(:\n    pass\n\nx = (1 +\n");
  ASSERT_TRUE(source.Problem().has_value());
}

TEST(PythonSource, RefusesBareCarriageReturns) {
  auto source = PythonSource::Parse("a = 1\rb = 2\r");
  ASSERT_FALSE(source.has_value());
  EXPECT_NE(source.error().message.find("carriage return"), std::string::npos);
}

TEST(PythonSource, LineHelpers) {
  PythonSource crlf = testing::Parsed("if x:\r\n    y = 1  # c\r\n");
  EXPECT_EQ(crlf.Newline(), "\r\n");
  uint32_t y = crlf.text().find('y');
  EXPECT_EQ(crlf.IndentOfLine(y), "    ");
  EXPECT_EQ(crlf.EndOfLine(y), crlf.text().size());
  PythonSource lf = testing::Parsed("a = 1");
  EXPECT_EQ(lf.Newline(), "\n");
  EXPECT_EQ(lf.EndOfLine(0), 5u);
}

TEST(PythonSource, PlainStringsOnly) {
  PythonSource source = testing::Parsed("f('a', \"b c\", f'{x}', b'd', 'e\\n', '')\n");
  TSNode call = ts_node_named_child(ts_node_named_child(source.root(), 0), 0);
  EXPECT_EQ(PlainString(source, Argument(call, 0)), "a");
  EXPECT_EQ(PlainString(source, Argument(call, 1)), "b c");
  EXPECT_FALSE(PlainString(source, Argument(call, 2)).has_value());
  EXPECT_FALSE(PlainString(source, Argument(call, 3)).has_value());
  EXPECT_FALSE(PlainString(source, Argument(call, 4)).has_value());
  EXPECT_EQ(PlainString(source, Argument(call, 5)), "");
}

// The incremental re-parse after edits finds what a fresh parse of the
// edited text finds: several edits, insertions at one offset, multi-line
// text, replacements that break or mend the syntax.
TEST(PythonSource, ProblemAfterEditsMatchesAFreshParse) {
  const std::string original =
      "import os\n\ndef f(x):\n    return x + 1\n\nspark = make()\n"
      "y = f(2)\n";
  PythonSource source = testing::Parsed(original);
  uint32_t spark = original.find("spark");
  uint32_t ret = original.find("return");
  const std::vector<std::vector<Edit>> cases = {
      {},
      {{spark, spark, "a = 1\n"}},
      {{spark, spark, "a = (\n"}},
      {{ret, ret + 6, "yield"}, {0, 0, "import sys\n"}},
      {{spark, spark, "b = 2\n"}, {spark, spark, "c = [\n  3,\n]\n"}},
      {{ret + 7, ret + 8, ""}, {spark + 5, spark + 6, "+="}},
      {{0, 9, "import"}},
      {{static_cast<uint32_t>(original.size()),
        static_cast<uint32_t>(original.size()), "if y:\n    pass\n"}},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto edited = ApplyEdits(original, cases[i]);
    ASSERT_TRUE(edited.has_value()) << i;
    auto fresh = PythonSource::Parse(*edited);
    ASSERT_TRUE(fresh.has_value()) << i;
    auto incremental = source.ProblemAfter(cases[i], *edited);
    ASSERT_TRUE(incremental.has_value()) << i;
    auto expected = fresh->Problem();
    ASSERT_EQ(incremental->has_value(), expected.has_value()) << i;
    if (expected) {
      EXPECT_EQ((*incremental)->line, expected->line) << i;
      EXPECT_EQ((*incremental)->column, expected->column) << i;
      EXPECT_EQ((*incremental)->what, expected->what) << i;
    }
  }
  // The source itself is untouched by the re-parse.
  EXPECT_FALSE(source.Problem().has_value());
  EXPECT_EQ(source.text(), original);
}

}  // namespace
}  // namespace prometheus::rewrite

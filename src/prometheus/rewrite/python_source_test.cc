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

}  // namespace
}  // namespace prometheus::rewrite

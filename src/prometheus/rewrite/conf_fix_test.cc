// The conf fix: inserted after the session with its indentation, or into a
// notebook cell; an existing setting (conf.set, builder .config, SQL SET)
// changed in place or left alone, never twice, ambiguity refused.
#include "prometheus/rewrite/conf_fix.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/databricks_notebook.h"
#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::ApplyAndCheck;
using testing::Corpus;
using testing::Parsed;

auto Conf(std::string key, std::string value) {
  return [=](const PythonSource& source) {
    return PlanConfFix(source, key, value);
  };
}

TEST(ConfFix, InsertsAfterAMultiLineSessionWithComments) {
  PythonSource source = Parsed(Corpus("daily_orders.py"));
  std::string after =
      ApplyAndCheck(source, Conf("spark.sql.adaptive.enabled", "true"));
  testing::ExpectGolden("daily_orders.conf.diff",
                        UnifiedDiff("daily_orders.py", source.text(), after));
}

TEST(ConfFix, ChangesAnExistingValueInPlaceAndKeepsItsComment) {
  PythonSource source = Parsed(Corpus("tuned_job.py"));
  std::string after =
      ApplyAndCheck(source, Conf("spark.sql.adaptive.enabled", "true"));
  testing::ExpectGolden("tuned_job.conf.diff",
                        UnifiedDiff("tuned_job.py", source.text(), after));
}

TEST(ConfFix, NewLineInsideAFunctionUsesItsIndentationAndSessionName) {
  PythonSource source = Parsed(
      "def main():\n\tss = SparkSession.builder.getOrCreate()  # "
      "s\n\tss.range(3).show()\n");
  std::string after = ApplyAndCheck(source, Conf("k", "v"));
  EXPECT_EQ(after,
            "def main():\n\tss = SparkSession.builder.getOrCreate()  # s\n"
            "\tss.conf.set(\"k\", \"v\")\n\tss.range(3).show()\n");
}

TEST(ConfFix, KeepsCrlfAndHandlesAMissingFinalNewline) {
  PythonSource crlf = Parsed(Corpus("crlf_job.py"));
  std::string after =
      ApplyAndCheck(crlf, Conf("spark.sql.shuffle.partitions", "400"));
  EXPECT_NE(
      after.find(
          "getOrCreate()\r\nspark.conf.set(\"spark.sql.shuffle.partitions\", "
          "\"400\")\r\n\r\nevents"),
      std::string::npos);
  PythonSource last = Parsed("spark = SparkSession.builder.getOrCreate()");
  EXPECT_EQ(ApplyAndCheck(last, Conf("k", "v")),
            "spark = SparkSession.builder.getOrCreate()\nspark.conf.set(\"k\", "
            "\"v\")\n");
}

// A notebook that repeats its setup cell: the second getOrCreate() gets
// the session the first made, so the setting goes after the first.
TEST(ConfFix, TheFirstOfRepeatedModuleLevelCreationsStartsTheSession) {
  PythonSource source = Parsed(
      "spark = SparkSession.builder.appName(\"a\").getOrCreate()\n"
      "x = 1\n"
      "spark = SparkSession.builder.appName(\"b\").getOrCreate()\n");
  std::string after = ApplyAndCheck(source, Conf("k", "v"));
  EXPECT_EQ(after,
            "spark = SparkSession.builder.appName(\"a\").getOrCreate()\n"
            "spark.conf.set(\"k\", \"v\")\n"
            "x = 1\n"
            "spark = SparkSession.builder.appName(\"b\").getOrCreate()\n");
}

TEST(ConfFix, EscapesTheValue) {
  PythonSource source = Parsed("spark = SparkSession.builder.getOrCreate()\n");
  std::string after = ApplyAndCheck(source, Conf("k", "a\"b\\c"));
  EXPECT_NE(after.find(R"(spark.conf.set("k", "a\"b\\c"))"), std::string::npos)
      << after;
}

TEST(ConfFix, RefusesWithoutExactlyOnePlainSessionCreation) {
  auto none = PlanConfFix(Parsed("x = 1\n"), "k", "v");
  ASSERT_FALSE(none.has_value());
  EXPECT_NE(none.error().message.find("no SparkSession"), std::string::npos);

  // A session stopped between two creations, or a creation in a function:
  // which one runs the job's code depends on the flow.
  auto stopped = PlanConfFix(Parsed("a = SparkSession.builder.getOrCreate()\n"
                                    "a.stop()\n"
                                    "b = SparkSession.builder.getOrCreate()\n"),
                             "k", "v");
  ASSERT_FALSE(stopped.has_value());
  EXPECT_NE(stopped.error().message.find("ambiguous"), std::string::npos);
  auto nested = PlanConfFix(
      Parsed("a = SparkSession.builder.getOrCreate()\n"
             "def f():\n    return SparkSession.builder.getOrCreate()\n"),
      "k", "v");
  ASSERT_FALSE(nested.has_value());
  EXPECT_NE(nested.error().message.find("ambiguous"), std::string::npos);

  // A setting after `return` would never run.
  auto returned = PlanConfFix(
      Parsed("def s():\n    return SparkSession.builder.getOrCreate()\n"), "k",
      "v");
  ASSERT_FALSE(returned.has_value());
  EXPECT_NE(returned.error().message.find("return_statement"),
            std::string::npos);
}

TEST(ConfFix, RefusesAKeySetTwice) {
  PythonSource source = Parsed(
      "spark = SparkSession.builder.getOrCreate()\nspark.conf.set('k', 'a')\n"
      "if x:\n    spark.conf.set('k', 'b')\n");
  EXPECT_FALSE(PlanConfFix(source, "k", "c").has_value());
}

auto InCell(std::string key, std::string value, uint32_t start, uint32_t end) {
  return [=](const PythonSource& source) {
    return PlanConfFixInCell(source, key, value, start, end);
  };
}

std::string Note(const Result<FixPlan>& plan) {
  return plan ? plan->note : "error: " + plan.error().message;
}

TEST(ConfFix, NotebookInsertsAfterTheImportsOfTheFirstPythonCell) {
  PythonSource source = Parsed(testing::NotebookFixture("segment_revenue.py"));
  auto notebook = DatabricksNotebook::Parse(source.text());
  ASSERT_TRUE(notebook.has_value());
  const DatabricksCell* cell = notebook->FirstPythonCell();
  ASSERT_NE(cell, nullptr);
  auto plan = PlanConfFixInCell(source, "spark.sql.adaptive.enabled", "true",
                                cell->start, cell->end);
  // The last import of the cell spans lines 19 to 22.
  EXPECT_EQ(Note(plan),
            "spark.sql.adaptive.enabled set to true on line 23, after the "
            "import on line 22");
  std::string after = ApplyAndCheck(
      source,
      InCell("spark.sql.adaptive.enabled", "true", cell->start, cell->end));
  testing::ExpectGolden(
      "notebook_segment_revenue.conf.diff",
      UnifiedDiff("segment_revenue.py", source.text(), after));
  auto reparsed = DatabricksNotebook::Parse(after);
  ASSERT_TRUE(reparsed.has_value());
  EXPECT_EQ(reparsed->cells().size(), notebook->cells().size());
  EXPECT_EQ(reparsed->cells()[3].line_count, cell->line_count + 1);
}

TEST(ConfFix, NotebookCellWithoutImportsKeepsItsTitleFirst) {
  for (std::string name : {"segment_revenue.py", "segment_revenue_crlf.py"}) {
    SCOPED_TRACE(name);
    std::string newline =
        name.find("crlf") == std::string::npos ? "\n" : "\r\n";
    PythonSource source = Parsed(testing::NotebookFixture(name));
    auto notebook = DatabricksNotebook::Parse(source.text());
    ASSERT_TRUE(notebook.has_value());
    const DatabricksCell& titled = notebook->cells()[4];
    std::string after =
        ApplyAndCheck(source, InCell("k", "v", titled.start, titled.end));
    EXPECT_NE(
        after.find("# DBTITLE 1,Load the inputs" + newline +
                   "spark.conf.set(\"k\", \"v\")" + newline + "orders = ("),
        std::string::npos);
    EXPECT_EQ(
        Note(PlanConfFixInCell(source, "k", "v", titled.start, titled.end)),
        "k set to v on line 29, at the top of the cell");

    const DatabricksCell& last = notebook->cells()[8];
    after = ApplyAndCheck(source, InCell("k", "v", last.start, last.end));
    EXPECT_NE(
        after.find("# COMMAND ----------" + newline + newline +
                   "spark.conf.set(\"k\", \"v\")" + newline + "totals.write"),
        std::string::npos);
  }
}

TEST(ConfFix, VirtualModuleCellEndingWithoutNewline) {
  // Two cells as an .ipynb virtual module joins them: [0, 20) and [21, 30).
  std::string text = "x = 1\nimport os.path\nprint(x)\n";
  PythonSource source = Parsed(text);
  EXPECT_EQ(ApplyAndCheck(source, InCell("k", "v", 0, 20)),
            "x = 1\nimport os.path\nspark.conf.set(\"k\", \"v\")\nprint(x)\n");
  EXPECT_EQ(Note(PlanConfFixInCell(source, "k", "v", 0, 20)),
            "k set to v on line 3, after the import on line 2");
  // An import reaching past the cell's end does not lie in it.
  EXPECT_EQ(Note(PlanConfFixInCell(source, "k", "v", 0, 19)),
            "k set to v on line 1, at the top of the cell");
  // The second cell has no import: its top, even though cell 1 has one.
  EXPECT_EQ(ApplyAndCheck(source, InCell("k", "v", 21, 30)),
            "x = 1\nimport os.path\nspark.conf.set(\"k\", \"v\")\nprint(x)\n");
  // A last cell without newline at the end of the module.
  PythonSource bare = Parsed("import os");
  EXPECT_EQ(ApplyAndCheck(bare, InCell("k", "v", 0, 9)),
            "import os\nspark.conf.set(\"k\", \"v\")");
}

TEST(ConfFix, CellDocstringsNestedImportsAndBounds) {
  PythonSource doc = Parsed("\"\"\"Setup.\"\"\"\nx = 1\n");
  EXPECT_EQ(ApplyAndCheck(doc, InCell("k", "v", 0, 18)),
            "\"\"\"Setup.\"\"\"\nspark.conf.set(\"k\", \"v\")\nx = 1\n");
  // Only top-level imports count; one inside `if` is not a place to insert.
  PythonSource nested = Parsed("import a\nif b:\n  import c\ny = 2\n");
  EXPECT_EQ(
      ApplyAndCheck(nested, InCell("k", "v", 0, 30)),
      "import a\nspark.conf.set(\"k\", \"v\")\nif b:\n  import c\ny = 2\n");
  auto outside = PlanConfFixInCell(nested, "k", "v", 5, 999);
  ASSERT_FALSE(outside.has_value());
  EXPECT_NE(outside.error().message.find("outside"), std::string::npos);
}

TEST(ConfFix, BuilderConfigCountsAsSet) {
  std::string text =
      "spark = (\n    SparkSession.builder.appName(\"a\")\n"
      "    .config(\"spark.sql.shuffle.partitions\", 200)\n"
      "    .config(\"spark.sql.adaptive.enabled\", \"false\")  # off for now\n"
      "    .getOrCreate()\n)\n";
  PythonSource source = Parsed(text);
  auto present = PlanConfFix(source, "spark.sql.shuffle.partitions", "200");
  ASSERT_TRUE(present.has_value()) << present.error().message;
  EXPECT_TRUE(present->edits.empty());
  EXPECT_EQ(
      present->note,
      "spark.sql.shuffle.partitions is already 200 (line 3, builder .config)");

  std::string after =
      ApplyAndCheck(source, Conf("spark.sql.adaptive.enabled", "true"));
  EXPECT_NE(
      after.find(
          ".config(\"spark.sql.adaptive.enabled\", \"true\")  # off for now"),
      std::string::npos)
      << after;
  EXPECT_EQ(after.find("conf.set"), std::string::npos);
  EXPECT_EQ(Note(PlanConfFixInCell(source, "spark.sql.adaptive.enabled", "true",
                                   0, 0)),
            "line 4: spark.sql.adaptive.enabled changed from \"false\" to true "
            "(builder .config)");

  // `.config` on something other than the builder is not a setting.
  PythonSource writer = Parsed("import x\nx.writer.config(\"k\", \"v\")\n");
  EXPECT_EQ(Note(PlanConfFixInCell(writer, "k", "v", 0, 9)),
            "k set to v on line 2, after the import on line 1");

  PythonSource twice = Parsed(
      "spark = SparkSession.builder.config(\"k\", \"a\").getOrCreate()\n"
      "spark.conf.set(\"k\", \"b\")\n");
  auto refused = PlanConfFixInCell(twice, "k", "v", 0, 10);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("set 2 times (lines 1, 2)"),
            std::string::npos)
      << refused.error().message;
}

TEST(ConfFix, SqlSetCountsAsSet) {
  PythonSource same = Parsed(
      "spark = SparkSession.builder.getOrCreate()\n"
      "spark.sql(\"SET spark.sql.adaptive.enabled = true\")\n");
  auto present = PlanConfFix(same, "spark.sql.adaptive.enabled", "true");
  ASSERT_TRUE(present.has_value()) << present.error().message;
  EXPECT_TRUE(present->edits.empty());
  EXPECT_EQ(
      present->note,
      "spark.sql.adaptive.enabled is already true (line 2, SET in spark.sql)");

  PythonSource differs = Parsed(
      "import os\n\nspark.sql(\"\"\"\n  SELECT 1;\n  set k=old;\n\"\"\")\n");
  auto refused = PlanConfFixInCell(differs, "k", "new", 0, 10);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message,
            "line 5: spark.sql sets k to old with SET; SQL SET statements are "
            "not edited, change "
            "it to new by hand");
  EXPECT_FALSE(PlanConfFix(differs, "k", "new").has_value());
  // Another key, or a SET without a value, is no setting of k.
  PythonSource other = Parsed("spark.sql('SET kk=1')\nspark.sql('SET k')\n");
  EXPECT_EQ(Note(PlanConfFixInCell(other, "k", "v", 0, 0)),
            "k set to v on line 1, at the top of the cell");
}

}  // namespace
}  // namespace prometheus::rewrite

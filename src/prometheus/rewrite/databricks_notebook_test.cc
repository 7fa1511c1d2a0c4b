// Databricks notebook source: cells, call-site lines, `%sql` cells edited
// through their SQL text, and the broadcast hint there; LF and CRLF.
#include "prometheus/rewrite/databricks_notebook.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/conf_fix.h"
#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::CPythonParses;
using testing::Parsed;
using testing::ReadBytes;

std::string Notebook(const std::string& name) {
  return testing::NotebookFixture(name);
}

DatabricksNotebook Parse(std::string_view text) {
  auto notebook = DatabricksNotebook::Parse(text);
  EXPECT_TRUE(notebook.has_value()) << notebook.error().message;
  return notebook ? std::move(*notebook) : DatabricksNotebook{};
}

// Applies the edits and checks that the result is still a notebook with the
// same cells that tree-sitter and CPython parse.
std::string ApplyToNotebook(const DatabricksNotebook& before,
                            const std::vector<Edit>& edits) {
  auto after = ApplyEdits(before.text(), edits);
  EXPECT_TRUE(after.has_value()) << after.error().message;
  if (!after) return before.text();
  DatabricksNotebook notebook = Parse(*after);
  EXPECT_EQ(notebook.cells().size(), before.cells().size());
  EXPECT_FALSE(Parsed(*after).Problem().has_value());
  EXPECT_TRUE(CPythonParses(*after)) << *after;
  return *after;
}

TEST(DatabricksNotebook, RecognisesOnlyTheExactHeader) {
  EXPECT_TRUE(
      IsDatabricksNotebookSource("# Databricks notebook source\nx = 1\n"));
  EXPECT_TRUE(
      IsDatabricksNotebookSource("# Databricks notebook source\r\nx = 1\r\n"));
  EXPECT_TRUE(IsDatabricksNotebookSource("# Databricks notebook source"));
  EXPECT_FALSE(
      IsDatabricksNotebookSource("# Databricks notebook source \nx = 1\n"));
  EXPECT_FALSE(IsDatabricksNotebookSource("-- Databricks notebook source\n"));
  EXPECT_FALSE(IsDatabricksNotebookSource("\n# Databricks notebook source\n"));
  EXPECT_FALSE(IsDatabricksNotebookSource(""));

  auto other =
      DatabricksNotebook::Parse("import os\n# Databricks notebook source\n");
  ASSERT_FALSE(other.has_value());
  EXPECT_NE(other.error().message.find("line 1 is \"import os\""),
            std::string::npos)
      << other.error().message;
  auto empty = DatabricksNotebook::Parse("");
  ASSERT_FALSE(empty.has_value());
  EXPECT_NE(empty.error().message.find("empty"), std::string::npos);
}

struct ExpectedCell {
  uint32_t first_line, line_count;
  std::string magic;
  bool python;
  uint32_t start, end;
};

// Counted by hand from `cat -n` of the fixture; offsets from its bytes.
void ExpectFixtureCells(const DatabricksNotebook& notebook,
                        const std::vector<ExpectedCell>& expected) {
  ASSERT_EQ(notebook.cells().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const DatabricksCell& cell = notebook.cells()[i];
    SCOPED_TRACE("cell " + std::to_string(i));
    EXPECT_EQ(cell.index, i);
    EXPECT_EQ(cell.first_line, expected[i].first_line);
    EXPECT_EQ(cell.line_count, expected[i].line_count);
    EXPECT_EQ(cell.magic, expected[i].magic);
    EXPECT_EQ(cell.python, expected[i].python);
    EXPECT_EQ(cell.start, expected[i].start);
    EXPECT_EQ(cell.end, expected[i].end);
  }
}

TEST(DatabricksNotebook, CellsOfTheFixture) {
  std::string text = Notebook("segment_revenue.py");
  DatabricksNotebook notebook = Parse(text);
  ExpectFixtureCells(notebook, {{2, 4, "md", false, 29, 184},
                                {9, 1, "pip", false, 207, 255},
                                {13, 1, "run", false, 278, 307},
                                {17, 8, "", true, 330, 502},
                                {28, 6, "", true, 525, 686},
                                {37, 18, "", true, 709, 1140},
                                {58, 6, "sql", false, 1163, 1348},
                                {67, 6, "sql", false, 1371, 1516},
                                {76, 1, "", true, 1539, 1607}});
  const DatabricksCell& imports = notebook.cells()[3];
  EXPECT_TRUE(text.substr(imports.start)
                  .starts_with("import pyspark.sql.functions as F\n"));
  EXPECT_EQ(text.substr(imports.end - 12, 12), "\"run_date\")\n");
  EXPECT_TRUE(text.substr(imports.end).starts_with("\n# COMMAND ----------\n"));
  EXPECT_EQ(text.substr(notebook.cells()[4].start, 9), "# DBTITLE");
}

TEST(DatabricksNotebook, CellsOfTheCrlfFixture) {
  std::string text = Notebook("segment_revenue_crlf.py");
  ASSERT_NE(text.find("\r\n"), std::string::npos);
  DatabricksNotebook notebook = Parse(text);
  ExpectFixtureCells(notebook, {{2, 4, "md", false, 30, 189},
                                {9, 1, "pip", false, 215, 264},
                                {13, 1, "run", false, 290, 320},
                                {17, 8, "", true, 346, 526},
                                {28, 6, "", true, 552, 719},
                                {37, 18, "", true, 745, 1194},
                                {58, 6, "sql", false, 1220, 1411},
                                {67, 6, "sql", false, 1437, 1588},
                                {76, 1, "", true, 1614, 1683}});
  EXPECT_EQ(text.substr(notebook.cells()[3].end - 2, 4), "\r\n\r\n");
}

TEST(DatabricksNotebook, EmptyCellsMagicsAndAMissingFinalNewline) {
  std::string text =
      "# Databricks notebook source\n"
      "# COMMAND ----------\n"  // line 2: an empty first cell
      "\n"
      "# COMMAND ----------\n"  // line 4
      "# MAGIC %python\n"       // line 5
      "# MAGIC print(1)\n"
      "# COMMAND ----------\n"  // line 7
      "\n"
      "\n"
      "# MAGIC %md-sandbox\n"  // line 10
      "# MAGIC <b>x</b>\n"
      "  \n"                     // a blank line of spaces
      "# COMMAND ----------\n"   // line 13
      "# MAGIC %sql SELECT 1\n"  // line 14
      "# COMMAND ----------\n"   // line 15
      "x = 1\n"                  // line 16
      "\n"
      "y = 2";  // line 18, no newline
  DatabricksNotebook notebook = Parse(text);
  const auto& cells = notebook.cells();
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_EQ(cells[0].line_count, 0u);
  EXPECT_FALSE(cells[0].python);
  EXPECT_EQ(cells[0].start, cells[0].end);
  EXPECT_EQ(cells[0].start, text.find("# COMMAND"));
  EXPECT_EQ(cells[1].line_count, 0u);
  EXPECT_EQ(cells[2].magic, "python");
  EXPECT_TRUE(cells[2].python);
  EXPECT_EQ(cells[2].first_line, 5u);
  EXPECT_EQ(cells[3].magic, "md-sandbox");
  EXPECT_EQ(cells[3].first_line, 10u);
  EXPECT_EQ(cells[3].line_count, 2u);
  EXPECT_EQ(cells[4].magic, "sql");
  EXPECT_EQ(cells[5].first_line, 16u);
  EXPECT_EQ(cells[5].line_count, 3u);
  EXPECT_EQ(cells[5].end, text.size());
  EXPECT_EQ(notebook.FirstPythonCell(),
            &cells[5]);  // %python code is commented out
  EXPECT_EQ(notebook.PythonCellAt(6), &cells[2]);
  EXPECT_EQ(notebook.CandidateLines(2), (std::vector<uint32_t>{6, 17}));

  auto sql = notebook.SqlCells();
  ASSERT_EQ(sql.size(), 1u);
  EXPECT_EQ(sql[0].sql, "SELECT 1");
  EXPECT_EQ(sql[0].file_offset.front(), text.find("SELECT 1"));
  EXPECT_EQ(sql[0].file_offset.back(), text.find("SELECT 1") + 8);
}

TEST(DatabricksNotebook, CandidateLinesAndCellLookup) {
  DatabricksNotebook notebook = Parse(Notebook("segment_revenue.py"));
  // Line 1 of every Python cell: the import, the DBTITLE, the join, the write.
  EXPECT_EQ(notebook.CandidateLines(1),
            (std::vector<uint32_t>{17, 28, 37, 76}));
  // Only the 8-line and 18-line cells have a line 7.
  EXPECT_EQ(notebook.CandidateLines(7), (std::vector<uint32_t>{23, 43}));
  // `.groupBy("c.segment")` is line 12 of the join cell.
  EXPECT_EQ(notebook.CandidateLines(12), (std::vector<uint32_t>{48}));
  EXPECT_TRUE(notebook.CandidateLines(19).empty());
  EXPECT_TRUE(notebook.CandidateLines(0).empty());

  EXPECT_EQ(notebook.PythonCellAt(48), &notebook.cells()[5]);
  EXPECT_EQ(notebook.PythonCellAt(28), &notebook.cells()[4]);
  EXPECT_EQ(notebook.PythonCellAt(24), &notebook.cells()[3]);
  EXPECT_EQ(notebook.PythonCellAt(25),
            nullptr);  // the blank line before a separator
  EXPECT_EQ(notebook.PythonCellAt(26), nullptr);  // the separator
  EXPECT_EQ(notebook.PythonCellAt(60), nullptr);  // a %sql cell
  EXPECT_EQ(notebook.PythonCellAt(1), nullptr);
  EXPECT_EQ(notebook.FirstPythonCell(), &notebook.cells()[3]);
}

TEST(DatabricksNotebook, SqlCellsMapEveryByteToTheFile) {
  for (std::string name : {"segment_revenue.py", "segment_revenue_crlf.py"}) {
    SCOPED_TRACE(name);
    std::string text = Notebook(name);
    DatabricksNotebook notebook = Parse(text);
    auto cells = notebook.SqlCells();
    ASSERT_EQ(cells.size(), 2u);
    EXPECT_EQ(cells[0].cell, 6u);
    EXPECT_EQ(cells[0].first_line, 58u);
    EXPECT_EQ(
        cells[0].sql,
        "SELECT o.*, c.name\nFROM sales.orders o\nJOIN sales.customers c\n"
        "  ON o.customer_id = c.customer_id\nWHERE o.order_date = "
        "'${run_date}'");
    EXPECT_EQ(cells[1].cell, 7u);
    EXPECT_EQ(cells[1].sql,  // the bare `# MAGIC` line is an empty SQL line
              "SELECT count(*) AS n\n\nFROM sales.orders\nWHERE order_date = "
              "'${run_date}'");
    for (const auto& cell : cells) {
      ASSERT_EQ(cell.file_offset.size(), cell.sql.size() + 1);
      for (size_t i = 0; i < cell.sql.size(); ++i) {
        char expected =
            cell.sql[i] == '\n' ? text[cell.file_offset[i]] : cell.sql[i];
        EXPECT_EQ(text[cell.file_offset[i]], expected) << i;
        if (cell.sql[i] == '\n') {
          EXPECT_TRUE(expected == '\n' || expected == '\r');
        }
      }
      // One past the end is the end of the cell's last line.
      EXPECT_EQ(text[cell.file_offset.back()],
                name.find("crlf") == std::string::npos ? '\n' : '\r');
    }
  }
}

TEST(DatabricksNotebook, ToFileEditsKeepsThePrefixesAndEveryOtherByte) {
  for (std::string name : {"segment_revenue.py", "segment_revenue_crlf.py"}) {
    SCOPED_TRACE(name);
    DatabricksNotebook notebook = Parse(Notebook(name));
    auto cell = notebook.SqlCells()[1];
    // "SELECT count(*) AS n\n\nFROM sales.orders\nWHERE order_date = ..."
    std::vector<Edit> sql_edits = {
        {0, 0, "-- checked "},      // the start of the first SQL line
        {19, 20, "rows"},           // `n` at the end of the first line
        {21, 21, "-- blank line"},  // into the bare `# MAGIC` line
        {22, 26, "from"},           // a keyword at a line start
        {static_cast<uint32_t>(cell.sql.size()),
         static_cast<uint32_t>(cell.sql.size()), " LIMIT 1"}};
    auto file_edits = notebook.ToFileEdits(cell, sql_edits);
    ASSERT_TRUE(file_edits.has_value()) << file_edits.error().message;
    std::string after = ApplyToNotebook(notebook, *file_edits);
    DatabricksNotebook edited = Parse(after);
    auto sql_after = ApplyEdits(cell.sql, sql_edits);
    ASSERT_TRUE(sql_after.has_value());
    EXPECT_EQ(edited.SqlCells()[1].sql, *sql_after);
    EXPECT_EQ(
        *sql_after,
        "-- checked SELECT count(*) AS rows\n-- blank line\nfrom sales.orders\n"
        "WHERE order_date = '${run_date}' LIMIT 1");
    EXPECT_NE(after.find("# MAGIC -- blank line"), std::string::npos);
    EXPECT_NE(after.find("# MAGIC -- checked SELECT"), std::string::npos);
    // Everything before and after the cell is byte for byte the same.
    const DatabricksCell& before_cell = notebook.cells()[7];
    const DatabricksCell& after_cell = edited.cells()[7];
    EXPECT_EQ(after.substr(0, after_cell.start),
              notebook.text().substr(0, before_cell.start));
    EXPECT_EQ(after.substr(after_cell.end),
              notebook.text().substr(before_cell.end));
  }
}

TEST(DatabricksNotebook, ToFileEditsRefusesLineBreaks) {
  DatabricksNotebook notebook = Parse(Notebook("segment_revenue.py"));
  auto cell = notebook.SqlCells()[0];
  size_t lf = cell.sql.find('\n');
  auto spans = notebook.ToFileEdits(
      cell,
      {{static_cast<uint32_t>(lf - 1), static_cast<uint32_t>(lf + 1), " "}});
  ASSERT_FALSE(spans.has_value());
  EXPECT_NE(spans.error().message.find("spans a line break"),
            std::string::npos);
  EXPECT_NE(spans.error().message.find("line 58"), std::string::npos);
  auto inserts = notebook.ToFileEdits(cell, {{0, 0, "-- a\n"}});
  ASSERT_FALSE(inserts.has_value());
  EXPECT_NE(inserts.error().message.find("inserts a line break"),
            std::string::npos);
  auto outside = notebook.ToFileEdits(cell, {{0, 9999, ""}});
  ASSERT_FALSE(outside.has_value());
  EXPECT_NE(outside.error().message.find("outside"), std::string::npos);
}

TEST(DatabricksNotebook, SqlBroadcastHintGoldenAndIdempotent) {
  std::string text = Notebook("segment_revenue.py");
  DatabricksNotebook notebook = Parse(text);
  auto plan = PlanNotebookSqlBroadcastFix(notebook, text, "sales.customers");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->note, "%sql cell at line 58: BROADCAST(c) hint added");
  std::string after = ApplyToNotebook(notebook, plan->edits);
  EXPECT_NE(after.find("\n# MAGIC SELECT /*+ BROADCAST(c) */ o.*, c.name\n"),
            std::string::npos);
  testing::ExpectGolden("notebook_segment_revenue.broadcast.diff",
                        UnifiedDiff("segment_revenue.py", text, after));

  DatabricksNotebook again = Parse(after);
  auto second = PlanNotebookSqlBroadcastFix(again, after, "customers");
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_TRUE(second->edits.empty());
  EXPECT_NE(second->note.find("already broadcasts c"), std::string::npos);
}

TEST(DatabricksNotebook, SqlBroadcastHintOnCrlf) {
  std::string text = Notebook("segment_revenue_crlf.py");
  DatabricksNotebook notebook = Parse(text);
  auto plan = PlanNotebookSqlBroadcastFix(notebook, text, "customers");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  std::string after = ApplyToNotebook(notebook, plan->edits);
  EXPECT_NE(
      after.find("\r\n# MAGIC SELECT /*+ BROADCAST(c) */ o.*, c.name\r\n"),
      std::string::npos);
  EXPECT_EQ(after.size(),
            text.size() + std::string(" /*+ BROADCAST(c) */").size());
}

TEST(DatabricksNotebook, SqlBroadcastHintCandidatesAndRefusals) {
  std::string text = Notebook("segment_revenue.py");
  DatabricksNotebook notebook = Parse(text);
  // Both %sql cells read orders; only the first joins, and the note says so.
  auto orders = PlanNotebookSqlBroadcastFix(notebook, text, "orders");
  ASSERT_TRUE(orders.has_value()) << orders.error().message;
  EXPECT_NE(orders->note.find("BROADCAST(o)"), std::string::npos)
      << orders->note;
  EXPECT_NE(orders->note.find(
                "line 67: the query block that reads orders has no join"),
            std::string::npos)
      << orders->note;

  auto absent = PlanNotebookSqlBroadcastFix(notebook, text, "sales.products");
  ASSERT_FALSE(absent.has_value());
  EXPECT_NE(absent.error().message.find("none of the 2 %sql cells"),
            std::string::npos);

  auto other_text = PlanNotebookSqlBroadcastFix(notebook, "x", "customers");
  EXPECT_FALSE(other_text.has_value());

  std::string two =
      "# Databricks notebook source\n"
      "# MAGIC %sql\n"
      "# MAGIC SELECT * FROM a JOIN dim d ON a.k = d.k\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %sql\n"
      "# MAGIC SELECT * FROM b JOIN dim ON b.k = dim.k\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %sql\n"
      "# MAGIC SELECT * FROM dim\n";
  DatabricksNotebook ambiguous = Parse(two);
  auto both = PlanNotebookSqlBroadcastFix(ambiguous, two, "dim");
  ASSERT_FALSE(both.has_value());
  EXPECT_NE(both.error().message.find("lines 2, 7; ambiguous"),
            std::string::npos)
      << both.error().message;
  auto none = PlanNotebookSqlBroadcastFix(ambiguous, two, "b");
  ASSERT_TRUE(none.has_value()) << none.error().message;
  EXPECT_EQ(none->note, "%sql cell at line 7: BROADCAST(b) hint added");
}

TEST(DatabricksNotebook, SqlBroadcastHintRefusedWhenNoCellCanTakeIt) {
  std::string text =
      "# Databricks notebook source\n"
      "# MAGIC %sql\n"
      "# MAGIC SELECT * FROM dim\n";
  DatabricksNotebook notebook = Parse(text);
  auto plan = PlanNotebookSqlBroadcastFix(notebook, text, "dim");
  ASSERT_FALSE(plan.has_value());
  EXPECT_NE(plan.error().message.find(
                "line 2: the query block that reads dim has no join"),
            std::string::npos)
      << plan.error().message;
}

TEST(DatabricksNotebook, ConfFixGoesToTheFirstPlainPythonCell) {
  PythonSource source = Parsed(Notebook("segment_revenue_crlf.py"));
  DatabricksNotebook notebook = Parse(source.text());
  auto plan = [&](const PythonSource& s) {
    DatabricksNotebook parsed = Parse(s.text());
    return PlanNotebookConfFix(parsed, s, "spark.sql.adaptive.enabled", "true");
  };
  auto first = plan(source);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->note,
            "spark.sql.adaptive.enabled set to true on line 23, after the "
            "import on line 22");
  std::string after = testing::ApplyAndCheck(source, plan);
  EXPECT_NE(after.find(")\r\nspark.conf.set(\"spark.sql.adaptive.enabled\", "
                       "\"true\")\r\n\r\n"
                       "RUN_DATE"),
            std::string::npos);
  EXPECT_EQ(Parse(after).cells().size(), notebook.cells().size());
}

TEST(DatabricksNotebook, ConfFixSeesSetInSqlCells) {
  std::string text =
      "# Databricks notebook source\n"
      "import os\n"
      "\n"
      "# COMMAND ----------\n"
      "\n"
      "# MAGIC %sql\n"
      "# MAGIC -- tuning\n"
      "# MAGIC SET spark.sql.adaptive.enabled = false;\n"
      "# MAGIC SELECT 1\n";
  PythonSource source = Parsed(text);
  DatabricksNotebook notebook = Parse(text);
  auto refused = PlanNotebookConfFix(notebook, source,
                                     "spark.sql.adaptive.enabled", "true");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().message,
            "line 8: a %sql cell sets spark.sql.adaptive.enabled to false with "
            "SET; SQL SET "
            "statements are not edited, change it to true by hand");
  auto present = PlanNotebookConfFix(notebook, source,
                                     "spark.sql.adaptive.enabled", "false");
  ASSERT_TRUE(present.has_value()) << present.error().message;
  EXPECT_TRUE(present->edits.empty());
  EXPECT_EQ(present->note,
            "spark.sql.adaptive.enabled is already false (line 8, SET in a "
            "%sql cell)");
  // Another key goes after `import os`.
  auto other = PlanNotebookConfFix(notebook, source, "k", "v");
  ASSERT_TRUE(other.has_value()) << other.error().message;
  EXPECT_EQ(other->note, "k set to v on line 3, after the import on line 2");

  std::string twice = text +
                      "\n# COMMAND "
                      "----------\n\nspark.conf.set(\"spark.sql.adaptive."
                      "enabled\", \"true\")\n";
  PythonSource twice_source = Parsed(twice);
  auto two = PlanNotebookConfFix(Parse(twice), twice_source,
                                 "spark.sql.adaptive.enabled", "true");
  ASSERT_FALSE(two.has_value());
  EXPECT_NE(two.error().message.find("set 2 times (lines 8, 13)"),
            std::string::npos)
      << two.error().message;
}

TEST(DatabricksNotebook, SecondFixtureHintedSqlAndTitledFirstCell) {
  std::string text = Notebook("device_sessions.py");
  DatabricksNotebook notebook = Parse(text);
  ExpectFixtureCells(notebook, {{2, 3, "", true, 29, 127},
                                {8, 2, "sh", false, 150, 202},
                                {13, 2, "scala", false, 225, 295},
                                {18, 2, "", true, 318, 426},
                                {23, 6, "sql", false, 449, 653},
                                {32, 1, "", true, 676, 734}});
  EXPECT_EQ(notebook.CandidateLines(2), (std::vector<uint32_t>{3, 19}));

  auto hinted = PlanNotebookSqlBroadcastFix(notebook, text, "ref.devices");
  ASSERT_TRUE(hinted.has_value()) << hinted.error().message;
  EXPECT_TRUE(hinted->edits.empty());
  EXPECT_EQ(hinted->note, "%sql cell at line 23: the SQL already broadcasts d");

  // sessions is the side the LEFT JOIN keeps whole: Spark cannot broadcast
  // it, so the fix refuses and says why.
  auto sessions = PlanNotebookSqlBroadcastFix(notebook, text, "sessions");
  ASSERT_FALSE(sessions.has_value());
  EXPECT_NE(sessions.error().message.find(
                "s is the left side of a left outer join"),
            std::string::npos)
      << sessions.error().message;

  PythonSource source = Parsed(text);
  auto conf = PlanNotebookConfFix(notebook, source,
                                  "spark.sql.shuffle.partitions", "64");
  ASSERT_TRUE(conf.has_value()) << conf.error().message;
  EXPECT_EQ(conf->note,
            "spark.sql.shuffle.partitions set to 64 on line 3, at the top of "
            "the cell");
  auto conf_text = ApplyChecked(source, conf->edits);
  ASSERT_TRUE(conf_text.has_value()) << conf_text.error().message;
  EXPECT_TRUE(conf_text->starts_with(
      "# Databricks notebook source\n# DBTITLE 1,Parameters\n"
      "spark.conf.set(\"spark.sql.shuffle.partitions\", "
      "\"64\")\ndbutils.widgets"));
  EXPECT_TRUE(testing::CPythonParses(*conf_text));
}

}  // namespace
}  // namespace prometheus::rewrite

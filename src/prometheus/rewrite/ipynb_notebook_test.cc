// .ipynb notebooks: parsing with spans, cell classification, the virtual
// module with its masked magics, and routing virtual edits to cells.
#include "prometheus/rewrite/ipynb_notebook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "prometheus/rewrite/ipynb_testing.h"
#include "prometheus/rewrite/python_source.h"
#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::CPythonParses;
using testing::Fixture;
using ::testing::HasSubstr;
using testing::Joined;
using testing::kColabStyle;
using testing::kFixtures;
using testing::kNbformatStyle;
using testing::Load;
using testing::PythonRedump;
using testing::Replace;

TEST(IpynbNotebook, EveryFixtureAgreesWithNlohmannAndItsVirtualModuleParses) {
  for (const char* name : kFixtures) {
    SCOPED_TRACE(name);
    std::string text = Fixture(name);
    IpynbNotebook notebook = Load(text);
    nlohmann::json json = nlohmann::json::parse(text);
    ASSERT_EQ(notebook.cells().size(), json["cells"].size());
    for (const NotebookCell& cell : notebook.cells()) {
      const nlohmann::json& expected = json["cells"][cell.index];
      EXPECT_EQ(cell.cell_type, expected["cell_type"].get<std::string>());
      EXPECT_EQ(cell.source, Joined(expected["source"]));
      // The recorded span holds exactly the source value.
      std::string span =
          text.substr(cell.json_begin, cell.json_end - cell.json_begin);
      EXPECT_EQ(nlohmann::json::parse(span), expected["source"]);
      if (cell.python) {
        EXPECT_EQ(notebook.virtual_module().size() >=
                      cell.virtual_start + cell.source.size(),
                  true);
        EXPECT_EQ(
            std::count(notebook.virtual_module().begin(),
                       notebook.virtual_module().begin() + cell.virtual_start,
                       '\n') +
                1,
            cell.first_line);
      }
    }
    auto module = PythonSource::Parse(notebook.virtual_module());
    ASSERT_TRUE(module.has_value());
    EXPECT_FALSE(module->Problem().has_value()) << module->Problem()->line;
    EXPECT_TRUE(CPythonParses(notebook.virtual_module()))
        << notebook.virtual_module();
    // The fixtures are exactly what json.dumps writes in their style.
    std::string style =
        std::string(name) == "colab_churn.ipynb" ? kColabStyle : kNbformatStyle;
    EXPECT_EQ(text, PythonRedump(text, style));
    auto same = notebook.Apply({});
    ASSERT_TRUE(same.has_value());
    EXPECT_EQ(*same, text);
  }
}

TEST(IpynbNotebook, NbformatNotebookCellsAndVirtualModule) {
  IpynbNotebook notebook = Load(Fixture("nbformat_sales.ipynb"));
  EXPECT_EQ(notebook.language(), "python");
  EXPECT_FALSE(notebook.ensure_ascii());
  const auto& cells = notebook.cells();
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_EQ(cells[0].cell_type, "markdown");
  EXPECT_FALSE(cells[0].python);
  EXPECT_THAT(cells[0].source, HasSubstr("Café-Kette ☕"));
  for (size_t i = 1; i < 6; ++i) EXPECT_TRUE(cells[i].python) << i;
  // Cells 1..5 joined with "\n"; no magics, so the module is their plain text.
  std::string joined;
  for (size_t i = 1; i < 6; ++i)
    joined += (i > 1 ? "\n" : "") + cells[i].source;
  EXPECT_EQ(notebook.virtual_module(), joined);
  EXPECT_EQ(cells[1].virtual_start, 0u);
  EXPECT_EQ(cells[1].first_line, 1u);
  EXPECT_EQ(cells[2].virtual_start, cells[1].source.size() + 1);
  EXPECT_EQ(cells[2].first_line, 3u);  // cell 1 has two lines
  EXPECT_EQ(cells[3].first_line, 8u);  // cell 2 has five
  EXPECT_EQ(notebook.CellAtVirtualOffset(cells[3].virtual_start), 3u);
  EXPECT_EQ(notebook.CellAtVirtualOffset(cells[3].virtual_start - 1),
            2u);  // cell 2's end
  EXPECT_EQ(notebook.CellAtVirtualOffset(notebook.virtual_module().size() + 1),
            std::nullopt);
}

TEST(IpynbNotebook, MagicsAreMaskedAndCellMagicsSkipped) {
  IpynbNotebook notebook = Load(Fixture("magics.ipynb"));
  const auto& cells = notebook.cells();
  ASSERT_EQ(cells.size(), 5u);
  EXPECT_TRUE(cells[0].python);
  EXPECT_TRUE(cells[1].python);
  EXPECT_FALSE(cells[2].python);  // %%sql
  ASSERT_TRUE(cells[2].sql.has_value());
  EXPECT_EQ(cells[2].sql_offset, 6u);
  EXPECT_EQ(*cells[2].sql, cells[2].source.substr(6));
  EXPECT_THAT(*cells[2].sql, ::testing::StartsWith("SELECT u.country"));
  EXPECT_FALSE(cells[3].python);  // %%bash
  EXPECT_FALSE(cells[3].sql.has_value());
  EXPECT_TRUE(cells[4].python);
  const std::string& module = notebook.virtual_module();
  EXPECT_EQ(module.size(), cells[0].source.size() + cells[1].source.size() +
                               cells[4].source.size() + 2);
  EXPECT_THAT(module,
              ::testing::StartsWith(
                  "#pip install pyspark==3.5.1 ipython-sql\n#load_ext sql\n"
                  "#matplotlib inline\nimport os\n"));
  EXPECT_THAT(
      module,
      HasSubstr("\n#time events = spark.read.json(\"/data/events\")\n"));
  EXPECT_THAT(module, HasSubstr("\n#echo \"joined\"\n"));
  EXPECT_EQ(module.find("%"), std::string::npos);
  EXPECT_EQ(module.find("SELECT"), std::string::npos);
  EXPECT_EQ(cells[4].first_line, 10u);  // 3 + 6 lines before it
}

TEST(IpynbNotebook, IPythonAssignmentsHelpAndContinuationsAreMasked) {
  nlohmann::json cell = {
      {"cell_type", "code"},
      {"source",
       {"files = !ls -la /data\n", "rows, n = %sql SELECT 1\n", "df.join?\n",
        "?spark.read\n", "!pip install \\\n", "    delta-spark\n",
        "x = a != b  # why?\n", "y = x % 2"}}};
  nlohmann::json doc = {{"cells", {cell}},
                        {"metadata", nlohmann::json::object()},
                        {"nbformat", 4}};
  IpynbNotebook notebook = Load(doc.dump());
  EXPECT_EQ(
      notebook.virtual_module(),
      "files = " + std::string(13, '_') +
          "\nrows, n = " + std::string(13, '_') +
          "\n#f.join?\n#spark.read\n"
          "#pip install \\\n    #elta-spark\nx = a != b  # why?\ny = x % 2");
  EXPECT_TRUE(CPythonParses(notebook.virtual_module()));
  uint32_t unmasked = notebook.virtual_module().find("x = a");
  EXPECT_TRUE(
      notebook.ToCellEdits({Edit{unmasked, unmasked + 1, "z"}}).has_value());
  uint32_t files = notebook.virtual_module().find("____");
  EXPECT_FALSE(notebook.ToCellEdits({Edit{files, files + 1, "z"}}).has_value());
}

TEST(IpynbNotebook, DatabricksExportCells) {
  IpynbNotebook notebook = Load(Fixture("databricks_export.ipynb"));
  EXPECT_EQ(notebook.language(), "python");
  const auto& cells = notebook.cells();
  ASSERT_EQ(cells.size(), 6u);
  EXPECT_FALSE(cells[0].python);  // markdown with %md
  EXPECT_FALSE(cells[1].python);  // %run ./includes/setup
  EXPECT_TRUE(cells[2].python);
  EXPECT_TRUE(cells[3].python);
  EXPECT_FALSE(cells[4].python);
  ASSERT_TRUE(cells[4].sql.has_value());
  EXPECT_EQ(cells[4].sql_offset, 5u);
  EXPECT_THAT(*cells[4].sql,
              ::testing::StartsWith("SELECT c.country_name, SUM(o.amount)"));
  EXPECT_TRUE(cells[5].python);  // %python, first line masked
  EXPECT_THAT(notebook.virtual_module(), HasSubstr("\n#python\nrevenue.write"));
  // Nothing may go before the %python line, but right after it is fine.
  uint32_t python = cells[5].virtual_start;
  auto before = notebook.ToCellEdits({Edit{python, python, "import os\n"}});
  ASSERT_FALSE(before.has_value());
  EXPECT_THAT(before.error().message, HasSubstr("%python line"));
  auto after =
      notebook.ToCellEdits({Edit{python + 8, python + 8, "import os\n"}});
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_EQ((*after)[0].edit.start, 8u);
  EXPECT_THAT(notebook.virtual_module(),
              HasSubstr("\n  return (spark.read.table"));
}

TEST(IpynbNotebook, LanguageAndMagicRules) {
  // A SQL notebook: plain code cells are SQL; %python and %md are not.
  auto sql_notebook = IpynbNotebook::Parse(R"({"cells": [
    {"cell_type": "code", "source": ["SELECT *\n", "FROM t"]},
    {"cell_type": "code", "source": "%python\nx = 1"},
    {"cell_type": "code", "source": "%md\n# Title"},
    {"cell_type": "code", "source": "%sql SELECT 2"}],
   "metadata": {"application/vnd.databricks.v1+notebook": {"language": "sql"}},
   "nbformat": 4, "nbformat_minor": 0})");
  ASSERT_TRUE(sql_notebook.has_value()) << sql_notebook.error().message;
  const auto& cells = sql_notebook->cells();
  EXPECT_EQ(sql_notebook->language(), "sql");
  EXPECT_EQ(cells[0].sql, "SELECT *\nFROM t");
  EXPECT_EQ(cells[0].sql_offset, 0u);
  EXPECT_FALSE(cells[0].python);
  EXPECT_TRUE(cells[1].python);
  EXPECT_FALSE(cells[1].sql.has_value());
  EXPECT_FALSE(cells[2].python);
  EXPECT_FALSE(cells[2].sql.has_value());
  EXPECT_EQ(cells[3].sql, "SELECT 2");  // on the magic's own line
  EXPECT_EQ(cells[3].sql_offset, 5u);
  EXPECT_EQ(sql_notebook->virtual_module(), "#python\nx = 1");

  // Outside Databricks, %pip is a line magic in a Python cell; a kernel
  // language that is neither Python nor SQL holds no Python.
  auto jupyter = IpynbNotebook::Parse(R"({"cells": [
    {"cell_type": "code", "source": "%pip install delta-spark\nimport delta"}],
   "metadata": {"kernelspec": {"language": "python"}}, "nbformat": 4})");
  ASSERT_TRUE(jupyter.has_value());
  EXPECT_TRUE(jupyter->cells()[0].python);
  EXPECT_EQ(jupyter->virtual_module(),
            "#pip install delta-spark\nimport delta");
  auto scala = IpynbNotebook::Parse(
      R"({"cells": [{"cell_type": "code", "source": "val x = 1"}],
   "metadata": {"language_info": {"name": "scala"}}, "nbformat": 4})");
  ASSERT_TRUE(scala.has_value());
  EXPECT_FALSE(scala->cells()[0].python);
  EXPECT_EQ(scala->virtual_module(), "");
}

TEST(IpynbNotebook, ToCellEditsRoutesByCellAndBoundary) {
  IpynbNotebook notebook = Load(Fixture("nbformat_sales.ipynb"));
  const auto& cells = notebook.cells();
  uint32_t end_of_1 = cells[1].virtual_start + cells[1].source.size();
  uint32_t start_of_2 = cells[2].virtual_start;
  ASSERT_EQ(start_of_2, end_of_1 + 1);
  auto routed = notebook.ToCellEdits({
      Edit{start_of_2, start_of_2, "import os\n"},  // first byte of cell 2
      Edit{end_of_1, end_of_1,
           "\nfrom pyspark.sql import Window"},  // cell 1's very end
      Replace(notebook, "regions, \"region_id\"",
              "F.broadcast(regions), \"region_id\""),
  });
  ASSERT_TRUE(routed.has_value()) << routed.error().message;
  ASSERT_EQ(routed->size(), 3u);
  EXPECT_EQ((*routed)[0].cell, 2u);
  EXPECT_EQ((*routed)[0].edit.start, 0u);
  EXPECT_EQ((*routed)[1].cell, 1u);
  EXPECT_EQ((*routed)[1].edit.start, cells[1].source.size());
  EXPECT_EQ((*routed)[2].cell, 4u);
  EXPECT_EQ(
      cells[4].source.substr((*routed)[2].edit.start,
                             (*routed)[2].edit.end - (*routed)[2].edit.start),
      "regions, \"region_id\"");

  auto spanning =
      notebook.ToCellEdits({Edit{end_of_1 - 1, start_of_2 + 1, "x"}});
  ASSERT_FALSE(spanning.has_value());
  EXPECT_THAT(spanning.error().message, HasSubstr("spans the end of cell 1"));
  uint32_t size = notebook.virtual_module().size();
  auto outside = notebook.ToCellEdits({Edit{size + 1, size + 1, "x"}});
  ASSERT_FALSE(outside.has_value());
  EXPECT_THAT(outside.error().message, HasSubstr("outside the"));
  auto at_end = notebook.ToCellEdits({Edit{size, size, "\nx = 1"}});
  ASSERT_TRUE(at_end.has_value());
  EXPECT_EQ((*at_end)[0].cell, 5u);
}

TEST(IpynbNotebook, ToCellEditsRefusesMaskedMagicLines) {
  IpynbNotebook notebook = Load(Fixture("magics.ipynb"));
  const std::string& module = notebook.virtual_module();
  uint32_t time = module.find("#time");
  uint32_t time_end = module.find('\n', time);
  auto refused = [&](Edit edit) {
    auto routed = notebook.ToCellEdits({edit});
    return !routed.has_value() &&
           routed.error().message.find("magic line") != std::string::npos;
  };
  EXPECT_TRUE(refused(Edit{time + 1, time + 5, "timeit"}));   // inside
  EXPECT_TRUE(refused(Edit{time, time, "x = 1"}));            // glued before it
  EXPECT_TRUE(refused(Edit{time_end, time_end, " # note"}));  // appended to it
  EXPECT_TRUE(refused(Edit{time - 1, time, ""}));  // joins it to the line above
  EXPECT_TRUE(
      refused(Edit{time_end, time_end + 1, ""}));  // joins the next line to it
  auto messages = notebook.ToCellEdits({Edit{time + 1, time + 2, "x"}});
  ASSERT_FALSE(messages.has_value());
  EXPECT_THAT(messages.error().message, HasSubstr("magic line 8 of cell 1"));
  // Whole lines before or after it are fine.
  auto before = notebook.ToCellEdits({Edit{time, time, "x = 1\n"}});
  ASSERT_TRUE(before.has_value()) << before.error().message;
  auto after = notebook.ToCellEdits({Edit{time_end, time_end, "\nx = 1"}});
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_EQ((*after)[0].cell, 1u);
}

}  // namespace
}  // namespace prometheus::rewrite

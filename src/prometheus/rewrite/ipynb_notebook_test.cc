// .ipynb notebooks: parsing with spans, the virtual module, edit routing,
// in-place re-encoding, and ipykernel's cell names. nlohmann::json and
// CPython's json module are the independent checks.
#include "prometheus/rewrite/ipynb_notebook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>

#include "prometheus/rewrite/ipynb_json.h"
#include "prometheus/rewrite/python_source.h"
#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using ipynb::JsonQuote;
using ipynb::SplitLinesKeepEnds;
using testing::CPythonParses;
using ::testing::HasSubstr;
using testing::ReadBytes;

const char* const kFixtures[] = {"nbformat_sales.ipynb", "colab_churn.ipynb",
                                 "string_sources.ipynb",
                                 "databricks_export.ipynb", "magics.ipynb"};
// How testdata/notebooks was written: json.dumps(nb, **kwargs) + "\n".
constexpr const char* kNbformatStyle =
    R"({"indent": 1, "sort_keys": true, "ensure_ascii": false})";
constexpr const char* kColabStyle = R"({"indent": 2, "ensure_ascii": true})";

std::string Fixture(const std::string& name) {
  return ReadBytes(prometheus::testing::RepoPath("testdata/notebooks/" + name));
}

IpynbNotebook Load(std::string text) {
  auto notebook = IpynbNotebook::Parse(std::move(text));
  EXPECT_TRUE(notebook.has_value()) << notebook.error().message;
  return std::move(*notebook);
}

std::string Joined(const nlohmann::json& source) {
  if (source.is_string()) return source.get<std::string>();
  std::string out;
  for (const auto& line : source) out += line.get<std::string>();
  return out;
}

// CPython re-serialising `text` with json.dumps(**kwargs) + "\n".
std::string PythonRedump(const std::string& text, const std::string& kwargs) {
  prometheus::testing::TempDir dir;
  auto in = dir.Write("in.ipynb", text);
  auto out = dir.path() / "out.ipynb";
  std::string command =
      "python3 -c 'import json,sys; "
      "d=json.load(open(sys.argv[1],encoding=\"utf-8\")); "
      "open(sys.argv[3],\"w\",encoding=\"utf-8\").write(json.dumps(d, "
      "**json.loads(sys.argv[2])) "
      "+ \"\\n\")' '" +
      in.string() + "' '" + kwargs + "' '" + out.string() + "'";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return prometheus::testing::Slurp(out);
}

// The virtual edit replacing the only occurrence of `needle`.
Edit Replace(const IpynbNotebook& notebook, std::string_view needle,
             std::string text) {
  size_t at = notebook.virtual_module().find(needle);
  EXPECT_NE(at, std::string::npos) << needle;
  EXPECT_EQ(notebook.virtual_module().find(needle, at + 1), std::string::npos)
      << needle;
  return Edit{static_cast<uint32_t>(at),
              static_cast<uint32_t>(at + needle.size()), std::move(text)};
}

// Applies `edits` and checks the result: JSON equal to the original on
// every key but the edited cell's source, that source equal to ApplyEdits
// on the old one, and the bytes changed only inside its JSON span.
std::string ApplyToOneCell(const IpynbNotebook& notebook,
                           const std::vector<CellEdit>& edits) {
  auto applied = notebook.Apply(edits);
  EXPECT_TRUE(applied.has_value()) << applied.error().message;
  if (!applied) return notebook.text();
  const std::string& before = notebook.text();
  const std::string& after = *applied;
  size_t cell = edits.front().cell;
  std::vector<Edit> plain;
  for (const CellEdit& edit : edits) {
    EXPECT_EQ(edit.cell, cell);
    plain.push_back(edit.edit);
  }
  auto expected = ApplyEdits(notebook.cells()[cell].source, plain);
  EXPECT_TRUE(expected.has_value());

  nlohmann::json old_json = nlohmann::json::parse(before);
  nlohmann::json new_json = nlohmann::json::parse(after);
  EXPECT_EQ(Joined(new_json["cells"][cell]["source"]), *expected);
  EXPECT_EQ(new_json["cells"][cell]["source"].is_string(),
            old_json["cells"][cell]["source"].is_string());
  old_json["cells"][cell].erase("source");
  new_json["cells"][cell].erase("source");
  EXPECT_EQ(old_json, new_json);

  size_t prefix =
      std::mismatch(before.begin(), before.end(), after.begin(), after.end())
          .first -
      before.begin();
  size_t suffix = std::mismatch(before.rbegin(), before.rend(), after.rbegin(),
                                after.rend())
                      .first -
                  before.rbegin();
  const NotebookCell& changed = notebook.cells()[cell];
  EXPECT_GE(prefix, changed.json_begin);
  EXPECT_GE(suffix, before.size() - changed.json_end);
  return after;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  for (std::string_view line : SplitLinesKeepEnds(text))
    lines.emplace_back(line);
  return lines;
}

// The lines of `after` that are not in `before`, for same-length files.
std::vector<std::string> ChangedLines(const std::string& before,
                                      const std::string& after) {
  std::vector<std::string> old_lines = Lines(before), new_lines = Lines(after),
                           changed;
  EXPECT_EQ(old_lines.size(), new_lines.size());
  for (size_t i = 0; i < std::min(old_lines.size(), new_lines.size()); ++i) {
    if (old_lines[i] != new_lines[i]) changed.push_back(new_lines[i]);
  }
  return changed;
}

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

TEST(IpynbNotebook, ApplyChangesOnlyTheEditedLine) {
  std::string text = Fixture("nbformat_sales.ipynb");
  IpynbNotebook notebook = Load(text);
  auto edits = notebook.ToCellEdits({Replace(
      notebook, "orders.join(regions,", "orders.join(F.broadcast(regions),")});
  ASSERT_TRUE(edits.has_value()) << edits.error().message;
  std::string after = ApplyToOneCell(notebook, *edits);
  EXPECT_THAT(
      ChangedLines(text, after),
      ::testing::ElementsAre("    \"joined = orders.join(F.broadcast(regions), "
                             "\\\"region_id\\\")\\n\",\n"));
  // Exactly what nbformat itself would write for the edited notebook.
  EXPECT_EQ(after, PythonRedump(after, kNbformatStyle));
  IpynbNotebook again = Load(after);
  EXPECT_TRUE(CPythonParses(again.virtual_module()));
  EXPECT_EQ(*again.Apply({}), after);
}

TEST(IpynbNotebook, InsertingALineAfterACellsLastLine) {
  std::string text = Fixture("nbformat_sales.ipynb");
  IpynbNotebook notebook = Load(text);
  uint32_t end =
      notebook.virtual_module().size();  // the last cell has no trailing "\n"
  auto edits = notebook.ToCellEdits({Edit{end, end, "\nsummary.explain()"}});
  ASSERT_TRUE(edits.has_value());
  std::string after = ApplyToOneCell(notebook, *edits);
  EXPECT_THAT(after, HasSubstr("   \"source\": [\n    \"summary.count()\\n\",\n"
                               "    \"summary.explain()\"\n   ]\n"));
  EXPECT_EQ(after, PythonRedump(after, kNbformatStyle));
  EXPECT_TRUE(CPythonParses(Load(after).virtual_module()));
}

TEST(IpynbNotebook, RandomEditsKeepEverythingElse) {
  // Seeded random edits of every kind on every cell of every fixture; the
  // checks in ApplyToOneCell hold each time, and re-encoding the final text
  // with CPython's json.dumps in the fixture's own style changes nothing.
  std::mt19937 random(20261125);
  const std::vector<std::string> texts = {
      "",      "\n",         "x = 1\n", "\"quoted\" \\ back\tslash\n",
      "é€😀\n", "no newline", "a\nb\n"};
  for (const char* name :
       {"nbformat_sales.ipynb", "colab_churn.ipynb", "string_sources.ipynb",
        "databricks_export.ipynb", "magics.ipynb"}) {
    SCOPED_TRACE(name);
    std::string text = Fixture(name);
    for (int round = 0; round < 40; ++round) {
      IpynbNotebook notebook = Load(text);
      size_t cell = random() % notebook.cells().size();
      uint32_t size = notebook.cells()[cell].source.size();
      uint32_t start = random() % (size + 1);
      uint32_t end = start + random() % (size - start + 1);
      // Keep to whole UTF-8 characters.
      const std::string& source = notebook.cells()[cell].source;
      while (start < size && (source[start] & 0xC0) == 0x80) ++start;
      end = std::max(end, start);
      while (end < size && (source[end] & 0xC0) == 0x80) ++end;
      std::string after = ApplyToOneCell(
          notebook,
          {CellEdit{cell, Edit{start, end, texts[random() % texts.size()]}}});
      auto again = IpynbNotebook::Parse(after);
      ASSERT_TRUE(again.has_value()) << again.error().message;
      text = after;
    }
    std::string style =
        std::string(name) == "colab_churn.ipynb" ? kColabStyle : kNbformatStyle;
    EXPECT_EQ(text, PythonRedump(text, style));
  }
}

TEST(IpynbNotebook, ColabStyleKeepsEnsureAsciiAndKeyOrder) {
  std::string text = Fixture("colab_churn.ipynb");
  IpynbNotebook notebook = Load(text);
  EXPECT_TRUE(notebook.ensure_ascii());
  auto edits = notebook.ToCellEdits(
      {Replace(notebook, "churn = customers.join(plans,",
               "churn = customers.join(F.broadcast(plans),"),
       Replace(
           notebook, "# Tarife: Basis, Plus, Prämie 🚀",
           "# Tarife: Basis, Plus, Prämie 🚀\n# klein genug für broadcast ✓")});
  ASSERT_TRUE(edits.has_value()) << edits.error().message;
  std::string after = ApplyToOneCell(notebook, *edits);
  EXPECT_TRUE(std::all_of(after.begin(), after.end(),
                          [](char c) { return (c & 0x80) == 0; }));
  EXPECT_THAT(after,
              HasSubstr("\"# klein genug f\\u00fcr broadcast \\u2713\\n\""));
  EXPECT_EQ(after, PythonRedump(after, kColabStyle));
}

TEST(IpynbNotebook, NbformatStyleWritesNonAsciiRaw) {
  IpynbNotebook notebook = Load(Fixture("nbformat_sales.ipynb"));
  auto edits = notebook.ToCellEdits({Replace(
      notebook, "orders.printSchema()", "orders.printSchema()  # Größe: 😀")});
  ASSERT_TRUE(edits.has_value());
  std::string after = ApplyToOneCell(notebook, *edits);
  EXPECT_THAT(after, HasSubstr("\"orders.printSchema()  # Größe: 😀\""));
  EXPECT_EQ(after, PythonRedump(after, kNbformatStyle));
}

TEST(IpynbNotebook, StringSourcesStayStrings) {
  std::string text = Fixture("string_sources.ipynb");
  IpynbNotebook notebook = Load(text);
  auto edits = notebook.ToCellEdits(
      {Replace(notebook, "stock.join(warehouses,",
               "stock.join(broadcast(warehouses),"),
       Replace(notebook, "col, sum as sum_", "broadcast, col, sum as sum_")});
  ASSERT_TRUE(edits.has_value());
  ASSERT_EQ(edits->size(), 2u);
  std::string once = ApplyToOneCell(Load(text), {(*edits)[0]});
  EXPECT_EQ(once, PythonRedump(once, kNbformatStyle));
  auto both = notebook.Apply(*edits);
  ASSERT_TRUE(both.has_value());
  EXPECT_EQ(*both, PythonRedump(*both, kNbformatStyle));
  EXPECT_TRUE(CPythonParses(Load(*both).virtual_module()));
  // The empty last cell, a plain "" string, takes an insertion.
  std::string filled =
      ApplyToOneCell(notebook, {CellEdit{3, Edit{0, 0, "spark.stop()"}}});
  EXPECT_THAT(filled, HasSubstr("\"source\": \"spark.stop()\""));
}

TEST(IpynbNotebook, DatabricksTwoSpaceCellEdit) {
  std::string text = Fixture("databricks_export.ipynb");
  IpynbNotebook notebook = Load(text);
  auto edits = notebook.ToCellEdits(
      {Replace(notebook, "  return (spark.read.table(\"sales.orders\")\n",
               "  return (spark.read.table(\"sales.orders\")\n"
               "    .hint(\"rebalance\")\n")});
  ASSERT_TRUE(edits.has_value());
  std::string after = ApplyToOneCell(notebook, *edits);
  EXPECT_THAT(
      after,
      HasSubstr("    \"  return (spark.read.table(\\\"sales.orders\\\")\\n\",\n"
                "    \"    .hint(\\\"rebalance\\\")\\n\",\n"
                "    \"    .where("));
  EXPECT_EQ(after, PythonRedump(after, kNbformatStyle));
}

TEST(IpynbNotebook, EmptySourceListAndDeletingEveryLine) {
  const std::string text = PythonRedump(
      R"({"cells": [{"cell_type": "code", "execution_count": null, "id": "e1", "metadata": {},
          "outputs": [], "source": []}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})",
      kNbformatStyle);
  IpynbNotebook notebook = Load(text);
  std::string filled =
      ApplyToOneCell(notebook, {CellEdit{0, Edit{0, 0, "x = 1\ny = 2"}}});
  EXPECT_EQ(filled, PythonRedump(filled, kNbformatStyle));
  IpynbNotebook full = Load(filled);
  std::string emptied = ApplyToOneCell(full, {CellEdit{0, Edit{0, 11, ""}}});
  EXPECT_EQ(emptied, text);
}

TEST(IpynbNotebook, CompactAndCrlfFilesKeepTheirWhitespace) {
  // Compact JSON as json.dumps writes it without indent (", " and ": ").
  std::string compact = PythonRedump(Fixture("nbformat_sales.ipynb"), "{}");
  IpynbNotebook notebook = Load(compact);
  auto edits =
      notebook.ToCellEdits({Replace(notebook, "orders.printSchema()",
                                    "orders.printSchema()\nregions.cache()")});
  ASSERT_TRUE(edits.has_value());
  std::string after = ApplyToOneCell(notebook, *edits);
  EXPECT_EQ(after, PythonRedump(after, "{}"));

  // A file saved with CRLF between tokens keeps CRLF on the new lines.
  std::string crlf;
  for (char c : Fixture("magics.ipynb"))
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  IpynbNotebook windows = Load(crlf);
  uint32_t end = windows.virtual_module().size();
  auto appended = windows.ToCellEdits({Edit{end, end, "\nactive.explain()"}});
  ASSERT_TRUE(appended.has_value());
  std::string saved = ApplyToOneCell(windows, *appended);
  EXPECT_THAT(
      saved,
      HasSubstr("\"active.groupBy(\\\"country\\\").count().show()\\n\",\r\n"
                "    \"active.explain()\"\r\n   ]"));
  for (size_t i = 0; i < saved.size(); ++i) {
    if (saved[i] == '\n') ASSERT_EQ(saved[i - 1], '\r') << i;
  }
}

TEST(IpynbNotebook, EscapesRoundTrip) {
  // Written by hand: "\/" and upper-case "\u00E9" are not json.dumps' style,
  // and survive on lines that do not change.
  const std::string text =
      "{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"s = \\\"a\\/b "
      "\\u00E9\\\"\\n\", "
      "\"t = '\\\\t\\u0001'\\n\", \"u = 1\"]}], \"nbformat\": 4}";
  IpynbNotebook notebook = Load(text);
  EXPECT_EQ(notebook.cells()[0].source,
            "s = \"a/b \xC3\xA9\"\nt = '\\t\x01'\nu = 1");
  EXPECT_TRUE(notebook.ensure_ascii());
  const std::string& source = notebook.cells()[0].source;
  uint32_t u = source.find("u = 1");
  std::string added = "v = \"\t\b\f\x1f\x7f\\ é\"\n";
  std::string after =
      ApplyToOneCell(notebook, {CellEdit{0, Edit{u, u, added}}});
  // A form feed ends a line for str.splitlines, so nbformat splits there too.
  EXPECT_THAT(
      after,
      HasSubstr("[\"s = \\\"a\\/b \\u00E9\\\"\\n\", \"t = '\\\\t\\u0001'\\n\", "
                "\"v = \\\"\\t\\b\\f\", \"\\u001f\\u007f\\\\ \\u00e9\\\"\\n\", "
                "\"u = 1\"]"));
}

TEST(IpynbNotebook, JsonQuoteMatchesPythonJsonDumps) {
  // Expected values printed by python3: json.dumps(s, ensure_ascii=...).
  std::string s = "a\"b\\c/\n\t\r\b\f\x01\x1f\x7f é € 😀";
  EXPECT_EQ(JsonQuote(s, false),
            "\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\x7f é € 😀\"");
  EXPECT_EQ(JsonQuote(s, true),
            "\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f \\u00e9 "
            "\\u20ac \\ud83d\\ude00\"");
  // str.splitlines(True) of "x\u2028y\x85z\r\nw\x0bv".
  EXPECT_THAT(
      SplitLinesKeepEnds("x\u2028y\u0085z\r\nw\x0bv"),
      ::testing::ElementsAre("x\u2028", "y\u0085", "z\r\n", "w\x0b", "v"));
}

TEST(IpynbNotebook, MalformedJsonErrorsArePositioned) {
  auto error = [](std::string text) {
    auto notebook = IpynbNotebook::Parse(std::move(text));
    EXPECT_FALSE(notebook.has_value());
    return notebook ? std::string() : notebook.error().message;
  };
  EXPECT_EQ(error(R"({"cells": [})"),
            "line 1, byte 11: expected a JSON value, found '}'");
  EXPECT_EQ(error("{\n \"cells\": [],\n \"metadata\": {}\n \"nbformat\": 4\n}"),
            "line 4, byte 33: expected ',' or '}' in object, found '\"'");
  EXPECT_EQ(
      error(R"({"cells": ["abc)"),
      "line 1, byte 15: expected '\"' closing the string, found end of input");
  EXPECT_THAT(error(R"(["\x"])"),
              HasSubstr("line 1, byte 3: expected an escape"));
  EXPECT_EQ(error("[\"a\tb\"]"),
            "line 1, byte 3: expected a string character (control characters "
            "must be escaped), "
            "found byte 0x09");
  EXPECT_THAT(error(R"(["\udc00"])"),
              HasSubstr("byte 2: expected a high surrogate"));
  EXPECT_THAT(error(R"(["\ud83dx"])"),
              HasSubstr("byte 8: expected a low surrogate"));
  EXPECT_THAT(error("[\"\xff\"]"),
              HasSubstr("byte 2: expected valid UTF-8, found byte 0xff"));
  EXPECT_EQ(error("{} x"),
            "line 1, byte 3: expected the end of the document after the "
            "top-level value, found 'x'");
  EXPECT_THAT(error("[01]"),
              HasSubstr("byte 2: expected ',' or ']' in array, found '1'"));
  EXPECT_THAT(error("[-]"), HasSubstr("byte 2: expected a digit, found ']'"));
  EXPECT_THAT(
      error(
          R"({"cells": [{"cell_type": "code", "source": 3}], "nbformat": 4})"),
      HasSubstr("cells[0].source: expected a string or an array of strings "
                "(line 1, byte 43)"));
  EXPECT_THAT(
      error(
          R"({"cells": [{"cell_type": "code", "source": ["a", 1]}], "nbformat": 4})"),
      HasSubstr("cells[0].source: expected a string or an array of strings"));
  EXPECT_THAT(error(R"({"cells": [], "nbformat": 3})"),
              HasSubstr("nbformat: expected 4"));
  EXPECT_THAT(error(R"({"nbformat": 4})"),
              HasSubstr("cells: expected an array"));

  // A fixture cut inside a string.
  std::string text = Fixture("nbformat_sales.ipynb");
  size_t cut = text.find("Umsatz") + 3;
  size_t line = 1 + std::count(text.begin(), text.begin() + cut, '\n');
  EXPECT_EQ(error(text.substr(0, cut)),
            fmt::format("line {}, byte {}: expected '\"' closing the string, "
                        "found end of input",
                        line, cut));
}

TEST(IpynbNotebook, ApplyRefusesBadEdits) {
  IpynbNotebook notebook = Load(Fixture("nbformat_sales.ipynb"));
  uint32_t size = notebook.cells()[1].source.size();
  auto outside = notebook.Apply({CellEdit{1, Edit{size, size + 1, ""}}});
  ASSERT_FALSE(outside.has_value());
  EXPECT_THAT(outside.error().message, HasSubstr("cells[1]: edit"));
  auto overlap = notebook.Apply(
      {CellEdit{1, Edit{0, 4, "a"}}, CellEdit{1, Edit{2, 6, "b"}}});
  ASSERT_FALSE(overlap.has_value());
  EXPECT_THAT(overlap.error().message, HasSubstr("overlap"));
  auto no_cell = notebook.Apply({CellEdit{6, Edit{0, 0, "x"}}});
  ASSERT_FALSE(no_cell.has_value());
  EXPECT_THAT(no_cell.error().message, HasSubstr("the notebook has 6 cells"));
  auto invalid = notebook.Apply({CellEdit{1, Edit{0, 0, "\xC3"}}});
  ASSERT_FALSE(invalid.has_value());
  EXPECT_THAT(invalid.error().message, HasSubstr("not valid UTF-8"));
  // An edit that changes nothing leaves every byte.
  EXPECT_EQ(*notebook.Apply({CellEdit{1, Edit{0, 4, "from"}}}),
            notebook.text());
}

TEST(IpynbNotebook, IpykernelCellNames) {
  // Values printed by python3 running ipykernel's murmur2_x86 (compiler.py)
  // with seed 0xC70F6907 on each string.
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("print('hello')"),
            "3900465672.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName(""), "3990065800.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("a"), "2167009006.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("ab"), "2805137849.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("abc"), "3350977461.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("abcd"), "804720481.py");
  EXPECT_EQ(
      IpynbNotebook::IpykernelCellName("df = spark.table('café_日本') # 📈\n"),
      "3755248722.py");
  EXPECT_EQ(IpynbNotebook::IpykernelCellName("spark.range(10).show()"),
            "556031066.py");
}

TEST(IpynbNotebook, CellForIpykernelFileAgreesWithPython) {
  // python3 computes each code cell's name from the joined source, with a
  // murmur2 written here from the algorithm's definition.
  const std::string script = R"(import json, sys
def murmur2(text, seed):
    m, data = 0x5BD1E995, text.encode("utf-8")
    h, n = (seed ^ len(data)) & 0xFFFFFFFF, len(data) // 4 * 4
    for i in range(0, n, 4):
        k = int.from_bytes(data[i:i + 4], "little") * m & 0xFFFFFFFF
        k = (k ^ (k >> 24)) * m & 0xFFFFFFFF
        h = (h * m & 0xFFFFFFFF) ^ k
    if len(data) > n:
        h = (h ^ int.from_bytes(data[n:], "little")) * m & 0xFFFFFFFF
    h = (h ^ (h >> 13)) * m & 0xFFFFFFFF
    return h ^ (h >> 15)
for i, cell in enumerate(json.load(open(sys.argv[1], encoding="utf-8"))["cells"]):
    if cell["cell_type"] == "code":
        s = cell["source"]
        print(i, murmur2(s if isinstance(s, str) else "".join(s), 0xC70F6907))
)";
  prometheus::testing::TempDir dir;
  auto program = dir.Write("names.py", script);
  for (const char* name : kFixtures) {
    SCOPED_TRACE(name);
    std::string text = Fixture(name);
    IpynbNotebook notebook = Load(text);
    auto input = dir.Write("in.ipynb", text);
    auto output = dir.path() / "names.txt";
    std::string command = "python3 '" + program.string() + "' '" +
                          input.string() + "' > '" + output.string() + "'";
    ASSERT_EQ(std::system(command.c_str()), 0);
    std::istringstream lines(prometheus::testing::Slurp(output));
    size_t index = 0, count = 0;
    std::string hash;
    while (lines >> index >> hash) {
      ++count;
      EXPECT_EQ(
          IpynbNotebook::IpykernelCellName(notebook.cells()[index].source),
          hash + ".py");
      EXPECT_EQ(
          notebook.CellForIpykernelFile("/tmp/ipykernel_201/" + hash + ".py"),
          index);
      EXPECT_EQ(notebook.CellForIpykernelFile("C:\\Temp\\ipykernel_7\\" + hash +
                                              ".py"),
                index);
    }
    EXPECT_GT(count, 0u);
  }
  IpynbNotebook notebook = Load(Fixture("nbformat_sales.ipynb"));
  EXPECT_EQ(notebook.CellForIpykernelFile("/tmp/ipykernel_201/1.py"),
            std::nullopt);
  // Two cells with one source share one name, which then names neither.
  auto twins = IpynbNotebook::Parse(R"json({"cells": [
    {"cell_type": "code", "source": "df.show()"},
    {"cell_type": "code", "source": ["df.show()"]}], "nbformat": 4})json");
  ASSERT_TRUE(twins.has_value());
  EXPECT_EQ(twins->CellForIpykernelFile(
                IpynbNotebook::IpykernelCellName("df.show()")),
            std::nullopt);
}

}  // namespace
}  // namespace prometheus::rewrite

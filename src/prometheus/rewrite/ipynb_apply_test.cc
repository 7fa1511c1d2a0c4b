// .ipynb notebooks: Apply re-encodes only the edited cells' sources, keeping
// every other byte and the file's JSON style; nlohmann::json and CPython's
// json module are the independent checks.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "prometheus/rewrite/ipynb_notebook.h"
#include "prometheus/rewrite/ipynb_testing.h"
#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::ApplyToOneCell;
using testing::ChangedLines;
using testing::CPythonParses;
using testing::Fixture;
using ::testing::HasSubstr;
using testing::kColabStyle;
using testing::kNbformatStyle;
using testing::Load;
using testing::PythonRedump;
using testing::Replace;

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

}  // namespace
}  // namespace prometheus::rewrite

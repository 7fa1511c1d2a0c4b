// One test suite per Document implementation: what OpenDocument picks, the
// module and its name, how call sites map, the SQL places and the
// sessionless conf, and rendering that keeps every other byte.
#include "prometheus/rewrite/document.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/ipynb_notebook.h"

namespace prometheus::rewrite {
namespace {

std::unique_ptr<Document> Open(const std::string& path, std::string text) {
  auto document = OpenDocument(path, std::move(text));
  EXPECT_TRUE(document.has_value()) << document.error().message;
  return document ? std::move(*document) : nullptr;
}

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

TEST(ScriptDocument, IsItsOwnModuleWithNoSqlPlacesOrCells) {
  auto script = Open("jobs/a.py", "import os\nx = 1\n");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->kind(), SourceKind::kPython);
  ASSERT_NE(script->module(), nullptr);
  EXPECT_EQ(script->module()->text(), "import os\nx = 1\n");
  EXPECT_EQ(script->ModuleName("jobs/a.py"), "jobs/a.py");
  EXPECT_TRUE(script->CommandLines("command-1", 1).empty());
  EXPECT_FALSE(script->IpykernelLine("/tmp/ipykernel_1/1.py", 1));
  EXPECT_FALSE(script->TakesSessionlessConf());
  EXPECT_FALSE(script->PlanSessionlessConf("a", "b").has_value());
  auto sql = script->PlanSqlBroadcast("dim");
  ASSERT_FALSE(sql.has_value());
  EXPECT_EQ(sql.error().message, "no SQL outside Python here");
}

TEST(ScriptDocument, RendersCheckedModuleEdits) {
  auto script = Open("a.py", "import os\nx = 1\n");
  ASSERT_NE(script, nullptr);
  auto text = script->Render({{Edit{10, 10, "y = 2\n"}}, {}});
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_EQ(*text, "import os\ny = 2\nx = 1\n");
  EXPECT_FALSE(script->Render({{Edit{10, 11, "= ="}}, {}}).has_value())
      << "an edit that breaks the syntax is refused";
  EXPECT_FALSE(script->Render({{}, {SqlEdit{0, Edit{0, 0, "x"}}}}).has_value());
}

TEST(IpynbDocument, RefusesJsonThatDoesNotParseNamingThePath) {
  auto broken = OpenDocument("nb/x.ipynb", "{\"cells\": [");
  ASSERT_FALSE(broken.has_value());
  EXPECT_TRUE(broken.error().message.starts_with("nb/x.ipynb: "))
      << broken.error().message;
}

constexpr const char* kDatabricks =
    "# Databricks notebook source\n"
    "import os\n"
    "\n"
    "# COMMAND ----------\n"
    "\n"
    "a = 1\n"
    "b = 2\n"
    "\n"
    "# COMMAND ----------\n"
    "\n"
    "# MAGIC %sql\n"
    "# MAGIC SELECT * FROM sales s JOIN dim d ON s.id = d.id\n";

TEST(DatabricksSourceDocument, MapsCommandLinesToEveryPythonCellLongEnough) {
  auto notebook = Open("nb/daily.py", kDatabricks);
  ASSERT_NE(notebook, nullptr);
  EXPECT_EQ(notebook->kind(), SourceKind::kDatabricksNotebook);
  ASSERT_NE(notebook->module(), nullptr);
  EXPECT_EQ(notebook->module()->text(), kDatabricks);
  std::vector<ModuleLine> lines = notebook->CommandLines("command-7", 2);
  ASSERT_EQ(lines.size(), 1u) << "only the second cell has two lines";
  EXPECT_EQ(lines[0].line, 7u);
  EXPECT_EQ(lines[0].how, "command-7:2 as file line 7");
  EXPECT_EQ(notebook->CommandLines("command-7", 1).size(), 2u);
  EXPECT_FALSE(notebook->IpykernelLine("/tmp/ipykernel_1/1.py", 1));
}

TEST(DatabricksSourceDocument, HintsTheSqlCellThroughItsMagicLines) {
  auto notebook = Open("nb/daily.py", kDatabricks);
  ASSERT_NE(notebook, nullptr);
  auto plan = notebook->PlanSqlBroadcast("dim");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_FALSE(plan->edits.module.empty()) << "the cell is lines of the file";
  EXPECT_TRUE(plan->edits.sql.empty());
  auto text = notebook->Render(plan->edits);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_TRUE(Contains(*text, "# MAGIC SELECT /*+ BROADCAST(d) */ * FROM"))
      << *text;
  EXPECT_EQ(text->substr(0, 80), std::string(kDatabricks).substr(0, 80));
}

TEST(DatabricksSourceDocument, TakesASettingInItsFirstPythonCell) {
  auto notebook = Open("nb/daily.py", kDatabricks);
  ASSERT_NE(notebook, nullptr);
  EXPECT_TRUE(notebook->TakesSessionlessConf());
  auto plan = notebook->PlanSessionlessConf("spark.sql.adaptive.enabled", "true");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  auto text = notebook->Render(plan->edits);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_TRUE(Contains(
      *text, "import os\nspark.conf.set(\"spark.sql.adaptive.enabled\", \"true\")\n"))
      << *text;
}

constexpr const char* kIpynb = R"({
 "cells": [
  {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
   "source": ["import os\n", "x = 1"]},
  {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
   "source": ["%%sql\n", "SELECT * FROM sales s JOIN dim d ON s.id = d.id"]}
 ],
 "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
 "nbformat": 4,
 "nbformat_minor": 5
}
)";

TEST(IpynbDocument, JoinsPythonCellsAndMapsIpykernelCells) {
  auto notebook = Open("nb/a.ipynb", kIpynb);
  ASSERT_NE(notebook, nullptr);
  EXPECT_EQ(notebook->kind(), SourceKind::kIpynb);
  ASSERT_NE(notebook->module(), nullptr);
  EXPECT_EQ(notebook->module()->text(), "import os\nx = 1");
  EXPECT_EQ(notebook->ModuleName("nb/a.ipynb"),
            "nb/a.ipynb (its Python cells joined)");
  std::string cell_file = "/tmp/ipykernel_42/" +
                          IpynbNotebook::IpykernelCellName("import os\nx = 1");
  auto line = notebook->IpykernelLine(cell_file, 2);
  ASSERT_TRUE(line.has_value());
  EXPECT_EQ(line->line, 2u);
  EXPECT_TRUE(Contains(line->how, ":2 as cell 1")) << line->how;
  EXPECT_FALSE(notebook->IpykernelLine("/tmp/ipykernel_42/1.py", 1));
  EXPECT_TRUE(notebook->CommandLines("command-1", 1).empty())
      << "not an export from Databricks";
}

TEST(IpynbDocument, HintsItsSqlCellAndRewritesOnlyThatCell) {
  auto notebook = Open("nb/a.ipynb", kIpynb);
  ASSERT_NE(notebook, nullptr);
  auto plan = notebook->PlanSqlBroadcast("dim");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_FALSE(plan->edits.sql.empty());
  EXPECT_EQ(plan->edits.sql[0].place, 1u);
  EXPECT_EQ(plan->note, "cell 2: /*+ BROADCAST(d) */ added");
  auto text = notebook->Render(plan->edits);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_TRUE(Contains(*text, R"("SELECT /*+ BROADCAST(d) */ * FROM sales)"))
      << *text;
  EXPECT_TRUE(Contains(*text, R"("source": ["import os\n", "x = 1"]})"));
  EXPECT_FALSE(notebook->Render({{}, {SqlEdit{0, Edit{0, 0, "x"}}}}))
      << "cell 1 holds no SQL";
}

TEST(IpynbDocument, TakesASettingInItsFirstPythonCell) {
  auto notebook = Open("nb/a.ipynb", kIpynb);
  ASSERT_NE(notebook, nullptr);
  EXPECT_TRUE(notebook->TakesSessionlessConf());
  auto plan = notebook->PlanSessionlessConf("a.b", "1");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  auto text = notebook->Render(plan->edits);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_TRUE(Contains(*text, R"(spark.conf.set(\"a.b\", \"1\"))")) << *text;
}

TEST(SqlDocument, HasNoModuleAndOneSqlPlace) {
  const std::string query = "SELECT * FROM sales s JOIN dim d ON s.id = d.id\n";
  auto sql = Open("q/daily.sql", query);
  ASSERT_NE(sql, nullptr);
  EXPECT_EQ(sql->kind(), SourceKind::kSql);
  EXPECT_EQ(sql->module(), nullptr);
  EXPECT_FALSE(sql->TakesSessionlessConf());
  auto plan = sql->PlanSqlBroadcast("dim");
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->note, "/*+ BROADCAST(d) */ added");
  ASSERT_FALSE(plan->edits.sql.empty());
  EXPECT_EQ(plan->edits.sql[0].place, 0u);
  auto text = sql->Render(plan->edits);
  ASSERT_TRUE(text.has_value()) << text.error().message;
  EXPECT_EQ(*text, "SELECT /*+ BROADCAST(d) */ * FROM sales s JOIN dim d ON s.id = d.id\n");
  EXPECT_FALSE(sql->Render({{Edit{0, 0, "x"}}, {}}).has_value())
      << "a SQL file has no module";
}

}  // namespace
}  // namespace prometheus::rewrite

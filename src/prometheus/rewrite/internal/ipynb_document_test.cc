// A Jupyter notebook as a Document: Python cells joined, ipykernel cells mapped,
// SQL cells hinted, only the edited cells rewritten.
#include <gtest/gtest.h>

#include "prometheus/rewrite/document.h"
#include "prometheus/rewrite/ipynb_notebook.h"
#include "prometheus/rewrite/internal/document_testing.h"
#include "prometheus/rewrite/internal/documents.h"

namespace prometheus::rewrite::internal {
namespace {

TEST(IpynbDocument, RefusesJsonThatDoesNotParseNamingThePath) {
  auto broken = OpenDocument("nb/x.ipynb", "{\"cells\": [");
  ASSERT_FALSE(broken.has_value());
  EXPECT_TRUE(broken.error().message.starts_with("nb/x.ipynb: "))
      << broken.error().message;
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

TEST(IpynbDocument, AStartupSettingGoesWhereTheSessionStarts) {
  auto jupyter = Open("nb/a.ipynb", kIpynb);
  ASSERT_NE(jupyter, nullptr);
  EXPECT_EQ(jupyter->StartupSettingPlace("spark.executor.memory", "8g"),
            "the Spark config the kernel's session starts with: --conf "
            "spark.executor.memory=8g in PYSPARK_SUBMIT_ARGS, or "
            "spark-defaults.conf");
  // An export from Databricks runs on a cluster.
  std::string exported = kIpynb;
  exported.replace(exported.find("\"metadata\": {\"kernelspec\""), 13,
                   "\"metadata\": {\"application/vnd.databricks.v1+notebook\": "
                   "{}, ");
  auto databricks = Open("nb/b.ipynb", exported);
  ASSERT_NE(databricks, nullptr);
  EXPECT_EQ(databricks->StartupSettingPlace("k", "v"),
            ClusterSparkConfig("k", "v"));
  EXPECT_FALSE(jupyter->SessionIsGiven());
  EXPECT_TRUE(databricks->SessionIsGiven());
}

}  // namespace
}  // namespace prometheus::rewrite::internal

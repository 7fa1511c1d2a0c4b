// A Databricks notebook source as a Document: command lines mapped to file lines,
// %sql cells hinted through their MAGIC lines, a setting in the first cell.
#include <gtest/gtest.h>

#include "prometheus/rewrite/document.h"
#include "prometheus/rewrite/internal/document_testing.h"

namespace prometheus::rewrite::internal {
namespace {

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

TEST(DatabricksSourceDocument, AStartupSettingGoesInTheClustersSparkConfig) {
  auto notebook = Open("nb/daily.py", kDatabricks);
  ASSERT_NE(notebook, nullptr);
  EXPECT_EQ(
      notebook->StartupSettingPlace("spark.dynamicAllocation.enabled", "true"),
      "the cluster's Spark config (Advanced options, Spark config: "
      "\"spark.dynamicAllocation.enabled true\"), or spark_conf of the job's "
      "cluster");
  EXPECT_TRUE(notebook->SessionIsGiven());
}

}  // namespace
}  // namespace prometheus::rewrite::internal

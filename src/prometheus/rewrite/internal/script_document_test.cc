// A Python script as a Document: its own module, no SQL places or cells, checked rendering.
#include <gtest/gtest.h>

#include "prometheus/rewrite/document.h"
#include "prometheus/rewrite/internal/document_testing.h"

namespace prometheus::rewrite::internal {
namespace {

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

TEST(ScriptDocument, AStartupSettingGoesInTheJobsSparkConfig) {
  auto script = Open("jobs/a.py", "x = 1\n");
  ASSERT_NE(script, nullptr);
  EXPECT_EQ(script->StartupSettingPlace("spark.executor.memory", "8g"),
            "the job's Spark config: spark-submit --conf "
            "spark.executor.memory=8g, or spark-defaults.conf");
  EXPECT_EQ(script->StartupSettingPlace("k", "v"), JobSparkConfig("k", "v"));
  EXPECT_FALSE(script->SessionIsGiven());
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

}  // namespace
}  // namespace prometheus::rewrite::internal

#include "prometheus/model/application.h"

#include <gtest/gtest.h>

namespace prometheus::model {
namespace {

TEST(StageStatusName, NamesEachStatusAsTheHistoryServerDoes) {
  EXPECT_EQ(StageStatusName(StageStatus::kActive), "ACTIVE");
  EXPECT_EQ(StageStatusName(StageStatus::kComplete), "COMPLETE");
  EXPECT_EQ(StageStatusName(StageStatus::kFailed), "FAILED");
  EXPECT_EQ(StageStatusName(StageStatus::kSkipped), "SKIPPED");
}

TEST(ApplicationProperty, FindsASparkPropertyByItsKey) {
  Application app;
  app.spark_properties = {{"spark.master", "yarn"},
                          {"spark.sql.adaptive.enabled", "false"},
                          {"spark.master", "local[4]"}};
  ASSERT_NE(app.Property("spark.sql.adaptive.enabled"), nullptr);
  EXPECT_EQ(*app.Property("spark.sql.adaptive.enabled"), "false");
  // Properties are kept in log order; the first of a repeated key answers.
  ASSERT_NE(app.Property("spark.master"), nullptr);
  EXPECT_EQ(*app.Property("spark.master"), "yarn");
  EXPECT_EQ(app.Property("spark.executor.memory"), nullptr);
  EXPECT_EQ(app.Property("spark.maste"), nullptr);  // whole keys only
}

TEST(StageAttempt, IsItsStageInfoPlusWhatItsTasksTold) {
  StageAttempt stage;
  events::StageInfo& info = stage;
  info.name = "count at app.py:3";
  info.accumulables.push_back({.id = 4, .update = 9});
  EXPECT_EQ(stage.name, "count at app.py:3");
  ASSERT_EQ(stage.accumulables.size(), 1u);
  EXPECT_EQ(stage.stage_id, -1);  // StageInfo's defaults
  EXPECT_EQ(stage.status, StageStatus::kActive);
  EXPECT_EQ(stage.num_completed_tasks, 0);
}

}  // namespace
}  // namespace prometheus::model

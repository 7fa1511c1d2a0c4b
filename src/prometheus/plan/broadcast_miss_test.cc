// The broadcast-miss decision and the plan text helpers, on hand-built plans.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "prometheus/plan/internal/plan_text.h"
#include "prometheus/plan/plan_analysis.h"
#include "prometheus/plan/synthetic_plans_for_test.h"

namespace prometheus::plan {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::JoinApplication;
using testing::JoinCase;

TEST(BroadcastMiss, ThreeMiBAgainstFortyEightGiBFlagsTheJoinStage) {
  PlanAnalysis analysis = AnalyzePlans(
      JoinApplication({.left_bytes = 3 * kMiB, .right_bytes = 48 * kGiB}));
  ASSERT_EQ(analysis.joins.size(), 1u);
  const Join& join = analysis.joins[0];
  EXPECT_EQ(join.strategy, JoinStrategy::kSortMerge);
  EXPECT_EQ(join.join_type, "Inner");
  EXPECT_THAT(join.left_keys, ElementsAre("id"));
  EXPECT_THAT(join.right_keys, ElementsAre("id"));
  EXPECT_EQ(join.left.bytes, 3 * kMiB);
  EXPECT_EQ(join.left.size_metric, "data size");
  EXPECT_EQ(join.left.rows, std::nullopt);
  EXPECT_EQ(join.left.scan->table, "db.t_id");
  EXPECT_EQ(join.Smaller(), &join.left);
  EXPECT_EQ(join.Larger(), &join.right);
  // The join's own rows and both shuffle reads were reported by stage 3 only.
  EXPECT_TRUE(join.stages_from_metrics);
  EXPECT_THAT(join.stages, ElementsAre(StageKey{3, 0}));
  EXPECT_THAT(analysis.broadcast_miss, ElementsAre(StageKey{3, 0}));
  EXPECT_EQ(analysis.executions[0].broadcast_threshold,
            kDefaultBroadcastThreshold);
}

TEST(BroadcastMiss, FiftyMiBAgainstFiveGiBWithTheDefaultThresholdIsNot) {
  PlanAnalysis analysis = AnalyzePlans(
      JoinApplication({.left_bytes = 5 * kGiB, .right_bytes = 50 * kMiB}));
  ASSERT_EQ(analysis.joins.size(), 1u);
  EXPECT_EQ(analysis.joins[0].Smaller(), &analysis.joins[0].right);
  EXPECT_THAT(analysis.broadcast_miss, IsEmpty());
}

TEST(BroadcastMiss, FiftyMiBAgainstTwentyGiBIsByDataflintsSecondTier) {
  PlanAnalysis analysis = AnalyzePlans(
      JoinApplication({.left_bytes = 50 * kMiB, .right_bytes = 20 * kGiB}));
  EXPECT_THAT(analysis.broadcast_miss, ElementsAre(StageKey{3, 0}));
}

TEST(BroadcastMiss, ThresholdMinusOneDisablesBroadcastAndTheFlag) {
  model::Application app =
      JoinApplication({.left_bytes = 3 * kMiB, .right_bytes = 48 * kGiB});
  app.spark_properties.push_back(
      {"spark.sql.autoBroadcastJoinThreshold", "-1"});
  PlanAnalysis analysis = AnalyzePlans(app);
  EXPECT_EQ(analysis.broadcast_threshold, -1);
  EXPECT_EQ(analysis.executions[0].broadcast_threshold, -1);
  EXPECT_THAT(analysis.broadcast_miss, IsEmpty());
}

TEST(BroadcastMiss, ExecutionSettingOverridesTheRunsSetting) {
  model::Application app =
      JoinApplication({.left_bytes = 50 * kMiB, .right_bytes = 5 * kGiB});
  app.spark_properties.push_back(
      {"spark.sql.autoBroadcastJoinThreshold", "-1"});
  app.sql_executions[0].modified_configs.push_back(
      {"spark.sql.autoBroadcastJoinThreshold", "64MB"});
  PlanAnalysis analysis = AnalyzePlans(app);
  EXPECT_EQ(analysis.executions[0].broadcast_threshold, 64 * kMiB);
  EXPECT_THAT(analysis.broadcast_miss, ElementsAre(StageKey{3, 0}));
}

TEST(BroadcastMiss, OnlyASideTheJoinTypeCanBuildCounts) {
  auto flagged = [](const std::string& type, int64_t left, int64_t right) {
    JoinCase c{.join_type = type, .left_bytes = left, .right_bytes = right};
    return !AnalyzePlans(JoinApplication(c)).broadcast_miss.empty();
  };
  EXPECT_FALSE(
      flagged("LeftOuter", 3 * kMiB, 48 * kGiB));  // left is kept whole
  EXPECT_TRUE(flagged("LeftOuter", 48 * kGiB, 3 * kMiB));
  EXPECT_TRUE(flagged("RightOuter", 3 * kMiB, 48 * kGiB));
  EXPECT_FALSE(flagged("LeftAnti", 3 * kMiB, 48 * kGiB));
  EXPECT_FALSE(flagged("FullOuter", 3 * kMiB, 3 * kMiB));
}

TEST(BroadcastMiss, OnlyShuffledJoinsAreMisses) {
  JoinCase shuffled_hash{
      .node_name = "ShuffledHashJoin", .left_bytes = kMiB, .right_bytes = kGiB};
  EXPECT_THAT(AnalyzePlans(JoinApplication(shuffled_hash)).broadcast_miss,
              ElementsAre(StageKey{3, 0}));
  JoinCase photon{.node_name = "PhotonShuffledHashJoin",
                  .left_bytes = kMiB,
                  .right_bytes = kGiB};
  PlanAnalysis photon_analysis = AnalyzePlans(JoinApplication(photon));
  ASSERT_EQ(photon_analysis.joins.size(), 1u);
  EXPECT_EQ(photon_analysis.joins[0].strategy, JoinStrategy::kShuffledHash);
  EXPECT_FALSE(photon_analysis.broadcast_miss.empty());
  JoinCase broadcast{.node_name = "BroadcastHashJoin",
                     .left_bytes = kMiB,
                     .right_bytes = kGiB};
  EXPECT_THAT(AnalyzePlans(JoinApplication(broadcast)).broadcast_miss,
              IsEmpty());
}

TEST(BroadcastMiss, DatabricksAdaptivePlansUseThirtyMiB) {
  JoinCase c{.left_bytes = 20 * kMiB, .right_bytes = 5 * kGiB};
  model::Application plain = JoinApplication(c);
  plain.spark_properties.push_back(
      {"spark.databricks.clusterUsageTags.sparkVersion", "11.3"});
  EXPECT_THAT(AnalyzePlans(plain).broadcast_miss, IsEmpty());
  c.adaptive = true;
  model::Application adaptive = JoinApplication(c);
  adaptive.spark_properties = plain.spark_properties;
  PlanAnalysis analysis = AnalyzePlans(adaptive);
  EXPECT_TRUE(analysis.databricks);
  EXPECT_TRUE(analysis.executions[0].adaptive);
  EXPECT_EQ(analysis.executions[0].broadcast_threshold, 30 * kMiB);
  EXPECT_THAT(analysis.broadcast_miss, ElementsAre(StageKey{3, 0}));
}

TEST(BroadcastMiss, UnknownSizeIsNoMissAndStagesFallBackToTheExecutions) {
  model::Application app =
      JoinApplication({.left_bytes = kMiB, .right_bytes = kGiB});
  model::PlanNode& join = app.sql_executions[0].plan;
  join.children[1].children[0].metrics.clear();  // right exchange: no sizes
  join.metrics.clear();
  app.stages[{3, 0}].accumulables.clear();
  PlanAnalysis analysis = AnalyzePlans(app);
  ASSERT_EQ(analysis.joins.size(), 1u);
  EXPECT_EQ(analysis.joins[0].right.bytes, std::nullopt);
  EXPECT_FALSE(analysis.joins[0].stages_from_metrics);
  EXPECT_THAT(analysis.joins[0].stages,
              ElementsAre(StageKey{1, 0}, StageKey{2, 0}, StageKey{3, 0}));
  EXPECT_THAT(analysis.broadcast_miss, IsEmpty());
}

TEST(PlanText, ParsesByteSizesAsSparkDoes) {
  EXPECT_EQ(ParseByteSize("10485760"), 10 * kMiB);
  EXPECT_EQ(ParseByteSize("10MB"), 10 * kMiB);
  EXPECT_EQ(ParseByteSize("30m"), 30 * kMiB);
  EXPECT_EQ(ParseByteSize(" 1g "), kGiB);
  EXPECT_EQ(ParseByteSize("-1"), -1);
  EXPECT_EQ(ParseByteSize("ten"), std::nullopt);
  EXPECT_EQ(ParseByteSize("10 parsecs"), std::nullopt);
}

TEST(PlanText, StripsExpressionIds) {
  EXPECT_EQ(internal::StripExprIds("id#1L"), "id");
  EXPECT_EQ(internal::StripExprIds("cast(a#12 as bigint)"),
            "cast(a as bigint)");
  EXPECT_EQ(internal::StripExprIds("multiply(value#1)#4"), "multiply(value)");
  EXPECT_EQ(internal::StripExprIds("[id#1L, dt#2]"), "[id, dt]");
  EXPECT_THAT(internal::SplitTopLevel("[a#1, f(b, c)], [d], Inner, (x > 1)"),
              ElementsAre("[a#1, f(b, c)]", "[d]", "Inner", "(x > 1)"));
}

}  // namespace
}  // namespace prometheus::plan

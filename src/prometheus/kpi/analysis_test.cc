// Analyze puts the stage rows, roll-ups and plan analysis of one log
// together; broadcast_miss_flag in the KPI rows comes from the plan analysis.
#include "prometheus/kpi/analysis.h"

#include <gtest/gtest.h>

#include "prometheus/io/event_log_files.h"
#include "prometheus/plan/synthetic_plans_for_test.h"
#include "prometheus/testing/paths.h"

namespace prometheus::kpi {
namespace {

using plan::kGiB;
using plan::kMiB;

std::map<int64_t, bool> FlagsByStage(const Analysis& analysis) {
  std::map<int64_t, bool> flags;
  for (const StageKpis& row : analysis.stages)
    flags[row.stage_id] = row.broadcast_miss_flag;
  return flags;
}

TEST(Analyze, FillsEveryPartAndKeepsTheLog) {
  model::LoadedLog log;
  log.input.name = "join-app";
  log.application = plan::testing::JoinApplication(
      {.left_bytes = 3 * kMiB, .right_bytes = 48 * kGiB});
  Analysis analysis = Analyze(std::move(log), 77);
  EXPECT_EQ(analysis.log.input.name, "join-app");
  EXPECT_EQ(analysis.log.application.stages.size(), 3u);
  ASSERT_EQ(analysis.stages.size(), 3u);
  EXPECT_EQ(analysis.stages[0].collected_at, 77);
  ASSERT_EQ(analysis.jobs.size(), 1u);
  EXPECT_EQ(analysis.jobs[0].totals.num_stages, 3);
  EXPECT_EQ(analysis.application.num_jobs, 1);
  EXPECT_EQ(analysis.application.totals.num_stages, 3);
  EXPECT_EQ(analysis.plans.joins.size(), 1u);
}

TEST(BroadcastMissFlag, SetOnTheStageThatRanTheMissedJoin) {
  model::LoadedLog log;
  log.application = plan::testing::JoinApplication(
      {.left_bytes = 3 * kMiB, .right_bytes = 48 * kGiB});
  Analysis analysis = Analyze(std::move(log), 0);
  EXPECT_EQ(analysis.plans.joins.size(), 1u);
  EXPECT_EQ(FlagsByStage(analysis),
            (std::map<int64_t, bool>{{1, false}, {2, false}, {3, true}}));
}

TEST(BroadcastMissFlag, ClearWhenTheSmallSideIsTooBigOrBroadcastIsOff) {
  model::LoadedLog big;
  big.application = plan::testing::JoinApplication(
      {.left_bytes = 50 * kMiB, .right_bytes = 5 * kGiB});
  for (const auto& [stage, flag] : FlagsByStage(Analyze(std::move(big), 0))) {
    EXPECT_FALSE(flag) << stage;
  }
  model::LoadedLog off;
  off.application = plan::testing::JoinApplication(
      {.left_bytes = 3 * kMiB, .right_bytes = 48 * kGiB});
  off.application.spark_properties.push_back(
      {"spark.sql.autoBroadcastJoinThreshold", "-1"});
  for (const auto& [stage, flag] : FlagsByStage(Analyze(std::move(off), 0))) {
    EXPECT_FALSE(flag) << stage;
  }
}

TEST(BroadcastMissFlag, RealLogsWithJoinsKeepItClear) {
  for (const char* relative : {"NVIDIA__spark-rapids-tools/core/src/test/"
                               "resources/spark-events-qualification/"
                               "aqeshuffle_eventlog.zstd",
                               "apache__spark/core/src/test/resources/"
                               "spark-events/app-20200706201101-0003"}) {
    auto inputs = io::FindEventLogs({testing::SharedEventLog(relative)});
    ASSERT_TRUE(inputs.has_value()) << relative;
    auto log = model::LoadEventLog(inputs->inputs.front());
    ASSERT_TRUE(log.has_value()) << relative;
    Analysis analysis = Analyze(std::move(*log), 0);
    EXPECT_FALSE(analysis.plans.joins.empty()) << relative;
    for (const StageKpis& row : analysis.stages) {
      EXPECT_FALSE(row.broadcast_miss_flag)
          << relative << " stage " << row.stage_id;
    }
  }
}

}  // namespace
}  // namespace prometheus::kpi

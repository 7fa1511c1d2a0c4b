#include "prometheus/kpi/stage_kpis.h"

#include <gtest/gtest.h>

#include "prometheus/kpi/rollups.h"
#include "prometheus/model/model_builder.h"

namespace prometheus::kpi {
namespace {

events::TaskEnd Task(int64_t stage, int64_t launch, int64_t finish,
                     events::TaskOutcome outcome = events::TaskOutcome::kSuccess) {
  events::TaskEnd task;
  task.stage_id = stage;
  task.launch_time = launch;
  task.finish_time = finish;
  task.outcome = outcome;
  task.has_metrics = true;
  task.metrics.executor_run_time_ms = finish - launch;
  task.metrics.executor_cpu_time_ns = (finish - launch) * 500000;  // half
  return task;
}

events::StageInfo Stage(int64_t id, std::optional<int64_t> submitted,
                        std::optional<int64_t> completed) {
  events::StageInfo info;
  info.stage_id = id;
  info.name = "stage " + std::to_string(id);
  info.num_tasks = 4;
  info.submission_time = submitted;
  info.completion_time = completed;
  return info;
}

class StageKpisTest : public ::testing::Test {
 protected:
  model::Application Build() { return std::move(builder_).Finish(); }
  model::ModelBuilder builder_;
};

TEST_F(StageKpisTest, SkewSpillUnitsAndCounts) {
  builder_.OnStageSubmitted(Stage(0, 1000, std::nullopt));
  for (int64_t d : {100, 100, 100, 900}) builder_.OnTaskEnd(Task(0, 1000, 1000 + d));
  auto failed = Task(0, 1000, 1050, events::TaskOutcome::kFailed);
  failed.metrics.disk_bytes_spilled = 3 * 1024 * 1024;
  failed.metrics.memory_bytes_spilled = 7;
  failed.metrics.shuffle_write_time_ns = 2500000;
  builder_.OnTaskEnd(failed);
  builder_.OnStageCompleted(Stage(0, 1000, 2000));
  model::Application app = Build();
  auto rows = ComputeStageKpis(app, 42);
  ASSERT_EQ(rows.size(), 1u);
  const StageKpis& row = rows[0];
  EXPECT_EQ(row.status, "COMPLETE");
  EXPECT_EQ(row.num_completed_tasks, 4);
  EXPECT_EQ(row.num_failed_tasks, 1);
  EXPECT_EQ(row.duration_ms, 1000);
  // Quantiles over successful tasks only; the failed 50 ms task is ignored.
  EXPECT_EQ(row.task_duration_ms_min, 100);
  EXPECT_EQ(row.task_duration_ms_p50, 100);
  EXPECT_EQ(row.task_duration_ms_max, 900);
  EXPECT_DOUBLE_EQ(*row.max_task_skew_ratio, 9.0);
  // Metrics sum over every task, failed ones too (History Server rule).
  EXPECT_EQ(row.executor_run_time_ms, 1250);
  EXPECT_DOUBLE_EQ(row.executor_cpu_time_ms, 625.0);
  EXPECT_DOUBLE_EQ(row.shuffle_write_time_ms, 2.5);
  EXPECT_DOUBLE_EQ(row.total_shuffle_spill_mb, 3.0);
  EXPECT_EQ(row.memory_bytes_spilled, 7);
  EXPECT_EQ(row.collected_at, 42);
  EXPECT_FALSE(row.run_id.has_value());
}

TEST_F(StageKpisTest, PhotonMetricsStandInForPeakMemoryAndShuffleWriteTime) {
  events::SqlExecutionStart start;
  start.execution_id = 0;
  start.plan.node_name = "PhotonShuffleExchangeSink";
  start.plan.metrics = {
      {.name = "peak memory usage", .accumulator_id = 1, .metric_type = "size"},
      {.name = "time taken to compress data (part of shuffle file write)",
       .accumulator_id = 2,
       .metric_type = "nsTiming"}};
  builder_.OnSqlExecutionStart(start);
  // Stage 0 ran in Photon; stage 1's tasks report Spark's own metrics.
  builder_.OnStageSubmitted(Stage(0, 0, std::nullopt));
  auto photon = Task(0, 0, 10);
  photon.accumulables = {{.id = 1, .update = 64 << 20}, {.id = 2, .update = 7500000}};
  builder_.OnTaskEnd(photon);
  builder_.OnStageSubmitted(Stage(1, 0, std::nullopt));
  auto spark = Task(1, 0, 10);
  spark.metrics.peak_execution_memory_bytes = 32 << 20;
  spark.metrics.shuffle_write_time_ns = 2500000;
  builder_.OnTaskEnd(spark);
  auto rows = ComputeStageKpis(Build(), 0);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].peak_execution_memory_max_bytes, 64 << 20);
  EXPECT_DOUBLE_EQ(rows[0].shuffle_write_time_ms, 7.5);
  EXPECT_EQ(rows[1].peak_execution_memory_max_bytes, 32 << 20);
  EXPECT_DOUBLE_EQ(rows[1].shuffle_write_time_ms, 2.5);
}

TEST_F(StageKpisTest, ActiveStagesHaveNoDurationAndSkippedStagesNoRow) {
  events::JobStart job;
  job.job_id = 0;
  job.stage_ids = {0, 1};
  job.stage_infos = {Stage(0, std::nullopt, std::nullopt), Stage(1, std::nullopt, std::nullopt)};
  builder_.OnJobStart(job);
  builder_.OnStageSubmitted(Stage(1, 500, std::nullopt));
  builder_.OnTaskEnd(Task(1, 500, 600));
  model::Application app = Build();
  auto rows = ComputeStageKpis(app, 0);
  ASSERT_EQ(rows.size(), 1u);  // stage 0 was never submitted: skipped
  EXPECT_EQ(rows[0].stage_id, 1);
  EXPECT_EQ(rows[0].status, "ACTIVE");
  EXPECT_FALSE(rows[0].duration_ms.has_value());
}

TEST_F(StageKpisTest, DatabricksJobAndRunIdsComeFromTheJobOrItsGroup) {
  events::JobStart job;
  job.job_id = 3;
  job.stage_ids = {0};
  job.properties = {{"spark.jobGroup.id",
                     "1234567890_job-987-run-55501-action-1"}};
  builder_.OnJobStart(job);
  builder_.OnStageSubmitted(Stage(0, 1, std::nullopt));
  events::JobStart other;
  other.job_id = 4;
  other.stage_ids = {1};
  other.properties = {{"spark.databricks.job.id", "11"}, {"spark.databricks.job.runId", "22"}};
  builder_.OnJobStart(other);
  builder_.OnStageSubmitted(Stage(1, 1, std::nullopt));
  auto rows = ComputeStageKpis(Build(), 0);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].job_id, 987);
  EXPECT_EQ(rows[0].run_id, 55501);
  EXPECT_EQ(rows[1].job_id, 11);
  EXPECT_EQ(rows[1].run_id, 22);
}

TEST_F(StageKpisTest, ApplicationCoreSecondsAvailableVersusUsed) {
  events::ApplicationStart start;
  start.app_id = "app-1";
  start.timestamp = 0;
  builder_.OnApplicationStart(start);
  builder_.OnExecutorAdded({"1", "host-a", 4, 0});
  builder_.OnExecutorAdded({"2", "host-b", 4, 5000});
  builder_.OnExecutorRemoved({"2", "lost", 10000});
  builder_.OnStageSubmitted(Stage(0, 0, std::nullopt));
  builder_.OnTaskEnd(Task(0, 0, 8000));
  builder_.OnStageCompleted(Stage(0, 0, 8000));
  builder_.OnApplicationEnd(20000);
  model::Application app = Build();
  auto stages = ComputeStageKpis(app, 0);
  ApplicationKpis kpis = ComputeApplicationKpis(app, stages);
  EXPECT_EQ(kpis.duration_ms, 20000);
  EXPECT_EQ(kpis.num_executors, 2);
  EXPECT_EQ(kpis.max_cores, 8);
  // 4 cores x 20 s + 4 cores x 5 s.
  EXPECT_DOUBLE_EQ(*kpis.core_seconds_available, 100.0);
  EXPECT_DOUBLE_EQ(kpis.core_seconds_used, 8.0);
  EXPECT_DOUBLE_EQ(*kpis.core_utilization, 0.08);
}

}  // namespace
}  // namespace prometheus::kpi

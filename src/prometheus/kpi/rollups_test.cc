// Job and application roll-ups over hand-made stage rows, so each sum and
// each rule shows. stage_kpis_test.cc rolls up rows computed from events.
#include "prometheus/kpi/rollups.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace prometheus::kpi {
namespace {

StageKpis Row(int64_t stage_id, int64_t attempt_id, int64_t run_time_ms) {
  StageKpis row;
  row.stage_id = stage_id;
  row.stage_attempt_id = attempt_id;
  row.num_completed_tasks = 3;
  row.num_failed_tasks = 1;
  row.num_killed_tasks = 1;
  row.executor_run_time_ms = run_time_ms;
  row.input_bytes = 100;
  row.shuffle_write_bytes = 10;
  row.disk_bytes_spilled = 1;
  return row;
}

model::Job JobOf(int64_t id, std::vector<int64_t> stage_ids, std::string result) {
  model::Job job;
  job.job_id = id;
  job.stage_ids = std::move(stage_ids);
  job.result = std::move(result);
  return job;
}

// Stage 0 ran in job 0 and again (one attempt, then a retry) for job 1,
// which also lists it; stage 1 belongs to job 1 alone.
model::Application TwoJobs() {
  model::Application app;
  app.jobs[0] = JobOf(0, {0}, "JobSucceeded");
  app.jobs[1] = JobOf(1, {0, 1}, "JobFailed");
  app.jobs[2] = JobOf(2, {}, "");
  app.stages[{0, 0}].job_ids = {0, 1};
  app.stages[{1, 0}].job_ids = {1};
  app.stages[{1, 1}].job_ids = {1};
  return app;
}

TEST(JobKpis, StatusDurationAndDescription) {
  model::Application app = TwoJobs();
  app.jobs[0].submission_time = 1000;
  app.jobs[0].completion_time = 4500;
  app.jobs[0].sql_execution_id = 7;
  app.jobs[0].call_site = "count at etl.py:3";
  app.jobs[1].description = "nightly load";
  app.jobs[1].call_site = "save at etl.py:9";
  app.jobs[2].submission_time = 5000;  // still running: no duration
  std::vector<JobKpis> jobs = ComputeJobKpis(app, {});
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].status, "SUCCEEDED");
  EXPECT_EQ(jobs[1].status, "FAILED");
  EXPECT_EQ(jobs[2].status, "RUNNING");
  EXPECT_EQ(jobs[0].duration_ms, 3500);
  EXPECT_EQ(jobs[2].duration_ms, std::nullopt);
  EXPECT_EQ(jobs[0].sql_execution_id, 7);
  // The description, else the call site.
  EXPECT_EQ(jobs[0].description, "count at etl.py:3");
  EXPECT_EQ(jobs[1].description, "nightly load");
}

TEST(JobKpis, AStageCountsInTheFirstJobThatRanItAndEveryAttemptCounts) {
  model::Application app = TwoJobs();
  std::vector<StageKpis> stages = {Row(0, 0, 100), Row(1, 0, 20), Row(1, 1, 30)};
  std::vector<JobKpis> jobs = ComputeJobKpis(app, stages);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].totals.num_stages, 1);
  EXPECT_EQ(jobs[0].totals.task_time_ms, 100);
  EXPECT_EQ(jobs[1].totals.num_stages, 2);  // both attempts of stage 1
  EXPECT_EQ(jobs[1].totals.task_time_ms, 50);
  EXPECT_EQ(jobs[1].totals.num_tasks, 10);  // completed, failed and killed
  EXPECT_EQ(jobs[1].totals.num_failed_tasks, 2);
  EXPECT_EQ(jobs[1].totals.input_bytes, 200);
  EXPECT_EQ(jobs[2].totals.num_stages, 0);
}

TEST(JobKpis, AStageCompletedTwiceCountsOnceAsTheHistoryServerCountsIt) {
  // A fetch failure: the reduce stage's attempt 0 failed, the map stage
  // ran again (attempt 1) and the reduce stage's attempt 1 completed. The
  // History Server's job has 2 completed stages (a set of ids) and 1 failed.
  model::Application app;
  app.jobs[0] = JobOf(0, {0, 1}, "JobSucceeded");
  for (auto key : {std::pair{0, 0}, {0, 1}, {1, 0}, {1, 1}}) app.stages[key].job_ids = {0};
  std::vector<StageKpis> stages = {Row(0, 0, 10), Row(0, 1, 10), Row(1, 0, 10), Row(1, 1, 10)};
  for (StageKpis& row : stages) row.status = "COMPLETE";
  stages[2].status = "FAILED";
  std::vector<JobKpis> jobs = ComputeJobKpis(app, stages);
  EXPECT_EQ(jobs[0].totals.num_stages, 3);
  EXPECT_EQ(jobs[0].totals.task_time_ms, 40);  // every attempt's work counts
}

TEST(ApplicationKpis, SumsEveryStageAndCountsFailedJobs) {
  model::Application app = TwoJobs();
  app.start_time = 0;  // no end: in progress, no duration
  ApplicationKpis kpis = ComputeApplicationKpis(
      app, {Row(0, 0, 100), Row(1, 0, 20), Row(1, 1, 30)});
  EXPECT_EQ(kpis.duration_ms, std::nullopt);
  EXPECT_EQ(kpis.num_jobs, 3);
  EXPECT_EQ(kpis.num_failed_jobs, 1);  // the running one is not failed
  EXPECT_EQ(kpis.totals.num_stages, 3);
  EXPECT_EQ(kpis.totals.task_time_ms, 150);
  EXPECT_EQ(kpis.totals.shuffle_write_bytes, 30);
  EXPECT_EQ(kpis.totals.disk_bytes_spilled, 3);
  EXPECT_DOUBLE_EQ(kpis.core_seconds_used, 0.15);
  // No executors named: nothing is known of the cores available.
  EXPECT_EQ(kpis.num_executors, 0);
  EXPECT_EQ(kpis.core_seconds_available, std::nullopt);
  EXPECT_EQ(kpis.core_utilization, std::nullopt);
}

TEST(ApplicationKpis, ExecutorsLiveUntilRemovedElseUntilTheLastTaskSeen) {
  model::Application app;
  app.executors["driver"] = {.executor_id = "driver", .cores = 8};  // not counted
  app.executors["0"] = {.executor_id = "0", .cores = 0};           // no cores: not counted
  app.executors["1"] = {.executor_id = "1", .cores = 2, .added_time = 0};
  app.executors["2"] = {.executor_id = "2", .cores = 4, .added_time = 1000,
                        .removed_time = 3000};
  app.executors["3"] = {.executor_id = "3", .cores = 4, .added_time = 3000};
  // In progress: the last task seen, at 6 s, ends the open lifetimes.
  app.stages[{0, 0}].last_finish_time = 6000;
  ApplicationKpis kpis = ComputeApplicationKpis(app, {Row(0, 0, 9000)});
  EXPECT_EQ(kpis.num_executors, 3);
  // 2 cores x 6 s + 4 x 2 s + 4 x 3 s.
  EXPECT_DOUBLE_EQ(*kpis.core_seconds_available, 32.0);
  // Executor 2 leaves as executor 3 arrives: 6 cores at once, never 10.
  EXPECT_EQ(kpis.max_cores, 6);
  EXPECT_DOUBLE_EQ(*kpis.core_utilization, 9.0 / 32.0);
}

}  // namespace
}  // namespace prometheus::kpi

// ModelBuilder fed events directly: how stage attempts, jobs, executors and
// SQL executions are folded, one rule at a time. all_event_logs_test.cc
// checks the same folding end to end on the real logs.
#include "prometheus/model/model_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace prometheus::model {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

events::StageInfo Info(int64_t stage_id, int64_t attempt_id) {
  events::StageInfo info;
  info.stage_id = stage_id;
  info.attempt_id = attempt_id;
  return info;
}

events::TaskEnd Task(int64_t stage_id, events::TaskOutcome outcome,
                     int64_t launch_time, int64_t finish_time) {
  events::TaskEnd task;
  task.stage_id = stage_id;
  task.outcome = outcome;
  task.launch_time = launch_time;
  task.finish_time = finish_time;
  return task;
}

events::TaskEnd TaskWithRunTime(int64_t stage_id, events::TaskOutcome outcome,
                                int64_t run_time_ms) {
  events::TaskEnd task = Task(stage_id, outcome, 1, 2);
  task.has_metrics = true;
  task.metrics.executor_run_time_ms = run_time_ms;
  return task;
}

events::JobStart JobListing(int64_t job_id, std::vector<int64_t> stage_ids) {
  events::JobStart job;
  job.job_id = job_id;
  job.stage_ids = std::move(stage_ids);
  for (int64_t id : job.stage_ids) job.stage_infos.push_back(Info(id, 0));
  return job;
}

TEST(ModelBuilder, AnApplicationWithoutAnEndIsInProgress) {
  ModelBuilder builder;
  builder.OnLogStart("3.3.0");
  builder.OnLogStart("3.4.1");  // a second header line does not win
  builder.OnApplicationStart({.app_name = "etl",
                              .app_id = "application_1_0006",
                              .attempt_id = "2",
                              .user = "root",
                              .timestamp = 1000});
  builder.OnEnvironmentUpdate({{{"spark.master", "yarn"}}, ""});
  Application app = std::move(builder).Finish();
  EXPECT_EQ(app.spark_version, "3.3.0");
  EXPECT_EQ(app.app_id, "application_1_0006");
  EXPECT_EQ(app.attempt_id, "2");
  EXPECT_EQ(app.name, "etl");
  EXPECT_EQ(app.user, "root");
  EXPECT_EQ(app.start_time, 1000);
  EXPECT_EQ(app.end_time, std::nullopt);
  EXPECT_THAT(app.spark_properties, ElementsAre(Pair("spark.master", "yarn")));

  ModelBuilder ended;
  ended.OnApplicationEnd(5000);
  EXPECT_EQ(std::move(ended).Finish().end_time, 5000);
}

TEST(ModelBuilder, AStageAttemptKeepsItsStageInfoAndCountsItsTasks) {
  ModelBuilder builder;
  events::StageInfo submitted = Info(2, 0);
  submitted.name = "count at app.py:12";
  submitted.details = "org.apache.spark.rdd.RDD.count";
  submitted.num_tasks = 6;
  submitted.parent_ids = {1};
  submitted.submission_time = 100;
  builder.OnStageSubmitted(submitted);

  events::TaskEnd fast = Task(2, events::TaskOutcome::kSuccess, 110, 150);
  fast.has_metrics = true;
  fast.metrics.executor_run_time_ms = 30;
  fast.metrics.peak_execution_memory_bytes = 64;
  fast.metrics.input_bytes = 10;
  fast.metrics.shuffle_local_bytes_read = 5;
  fast.metrics.shuffle_remote_bytes_read = 7;
  fast.jvm_heap_bytes = 900;
  builder.OnTaskEnd(fast);
  events::TaskEnd speculative = Task(2, events::TaskOutcome::kSuccess, 105, 200);
  speculative.speculative = true;
  speculative.has_metrics = true;
  speculative.metrics.executor_run_time_ms = 50;
  speculative.metrics.peak_execution_memory_bytes = 128;
  speculative.jvm_heap_bytes = 700;
  builder.OnTaskEnd(speculative);
  events::TaskEnd failed = Task(2, events::TaskOutcome::kFailed, 120, 220);
  failed.has_metrics = true;  // failed tasks' metrics count, as in Spark
  failed.metrics.executor_run_time_ms = 5;
  builder.OnTaskEnd(failed);
  events::TaskEnd resubmitted = Task(2, events::TaskOutcome::kFailed, 0, 190);
  resubmitted.resubmitted = true;  // no launch time: not the first launch
  builder.OnTaskEnd(resubmitted);
  builder.OnTaskEnd(Task(2, events::TaskOutcome::kKilled, 130, 180));

  events::StageInfo completed = Info(2, 0);  // no name: the first one stays
  completed.num_tasks = 6;
  completed.completion_time = 230;
  completed.accumulables = {{.id = 13, .update = 20}, {.id = 17, .update = 85}};
  builder.OnStageCompleted(completed);

  Application app = std::move(builder).Finish();
  ASSERT_EQ(app.stages.size(), 1u);
  const StageAttempt& stage = app.stages.at({2, 0});
  EXPECT_EQ(stage.status, StageStatus::kComplete);
  EXPECT_TRUE(stage.seen_completed);
  EXPECT_EQ(stage.name, "count at app.py:12");
  EXPECT_EQ(stage.details, "org.apache.spark.rdd.RDD.count");
  EXPECT_EQ(stage.num_tasks, 6);
  EXPECT_THAT(stage.parent_ids, ElementsAre(1));
  EXPECT_EQ(stage.submission_time, 100);
  EXPECT_EQ(stage.completion_time, 230);
  EXPECT_EQ(stage.failure_reason, std::nullopt);
  EXPECT_EQ(stage.num_completed_tasks, 2);
  EXPECT_EQ(stage.num_failed_tasks, 2);  // the resubmitted one among them
  EXPECT_EQ(stage.num_killed_tasks, 1);
  EXPECT_EQ(stage.num_speculative_tasks, 1);
  EXPECT_EQ(stage.num_resubmitted_tasks, 1);
  EXPECT_EQ(stage.totals.executor_run_time_ms, 85);
  EXPECT_EQ(stage.totals.peak_execution_memory_bytes, 192);
  EXPECT_EQ(stage.peak_execution_memory_max_bytes, 128);
  EXPECT_EQ(stage.peak_jvm_heap_bytes, 900);
  EXPECT_THAT(stage.successful_task_durations_ms, ElementsAre(40u, 95u));
  EXPECT_THAT(stage.successful_task_read_bytes, ElementsAre(22u, 0u));
  // The failed and the killed task; the resubmitted one held no core here.
  EXPECT_THAT(stage.unsuccessful_task_durations_ms, ElementsAre(100u, 50u));
  EXPECT_EQ(stage.first_launch_time, 105);
  EXPECT_EQ(stage.last_finish_time, 220);
  ASSERT_EQ(stage.accumulables.size(), 2u);
  EXPECT_EQ(stage.accumulables[0].id, 13);
  EXPECT_EQ(stage.accumulables[1].id, 17);
  EXPECT_EQ(app.task_end_events, 5);
}

TEST(ModelBuilder, ARetriedStageHasOneEntryPerAttempt) {
  ModelBuilder builder;
  builder.OnJobStart(JobListing(0, {1}));
  builder.OnStageSubmitted(Info(1, 0));
  events::StageInfo failed = Info(1, 0);
  failed.failure_reason = "org.apache.spark.shuffle.FetchFailedException";
  builder.OnStageCompleted(failed);
  builder.OnStageSubmitted(Info(1, 1));
  builder.OnStageCompleted(Info(1, 1));
  Application app = std::move(builder).Finish();
  ASSERT_EQ(app.stages.size(), 2u);
  const StageAttempt& first = app.stages.at({1, 0});
  const StageAttempt& retry = app.stages.at({1, 1});
  EXPECT_EQ(first.status, StageStatus::kFailed);
  EXPECT_EQ(first.failure_reason, "org.apache.spark.shuffle.FetchFailedException");
  EXPECT_EQ(retry.status, StageStatus::kComplete);
  EXPECT_EQ(retry.attempt_id, 1);
  EXPECT_EQ(retry.failure_reason, std::nullopt);
  // The retry began after the job started, and still knows its job.
  EXPECT_THAT(first.job_ids, ElementsAre(0));
  EXPECT_THAT(retry.job_ids, ElementsAre(0));
}

TEST(ModelBuilder, AStageAJobListsButNeverRunsIsSkipped) {
  ModelBuilder builder;
  builder.OnJobStart(JobListing(0, {0}));
  events::StageInfo ran = Info(0, 0);
  ran.submission_time = 10;
  builder.OnStageSubmitted(ran);
  builder.OnStageCompleted(ran);
  // Job 1 lists stages 0 to 2: stage 0's output is there already, stage 1
  // never runs, stage 2 does.
  builder.OnJobStart(JobListing(1, {0, 1, 2}));
  builder.OnTaskEnd(Task(2, events::TaskOutcome::kSuccess, 20, 30));
  Application app = std::move(builder).Finish();
  EXPECT_EQ(app.stages.at({0, 0}).status, StageStatus::kComplete);
  EXPECT_THAT(app.stages.at({0, 0}).job_ids, ElementsAre(0, 1));
  EXPECT_EQ(app.stages.at({1, 0}).status, StageStatus::kSkipped);
  EXPECT_THAT(app.stages.at({1, 0}).job_ids, ElementsAre(1));
  // A task of a stage thought skipped shows it runs after all.
  EXPECT_EQ(app.stages.at({2, 0}).status, StageStatus::kActive);
}

TEST(ModelBuilder, ATaskOfAStageNeverSubmittedCreatesTheAttempt) {
  ModelBuilder builder;
  events::TaskEnd task = Task(7, events::TaskOutcome::kSuccess, 5, 9);
  task.stage_attempt_id = 1;
  builder.OnTaskEnd(task);
  Application app = std::move(builder).Finish();
  ASSERT_EQ(app.stages.size(), 1u);
  const StageAttempt& stage = app.stages.at({7, 1});
  EXPECT_EQ(stage.stage_id, 7);
  EXPECT_EQ(stage.attempt_id, 1);
  EXPECT_EQ(stage.status, StageStatus::kActive);
  EXPECT_EQ(stage.num_completed_tasks, 1);
}

TEST(ModelBuilder, ExecutorsAddedAndRemoved) {
  ModelBuilder builder;
  builder.OnExecutorAdded({.executor_id = "1", .host = "node-1", .total_cores = 4, .timestamp = 10});
  builder.OnExecutorAdded({.executor_id = "2", .host = "node-2", .total_cores = 8, .timestamp = 11});
  builder.OnExecutorRemoved({.executor_id = "1", .reason = "Container marked as failed", .timestamp = 50});
  // A log cut before the executor's start still records its removal.
  builder.OnExecutorRemoved({.executor_id = "9", .reason = "lost", .timestamp = 60});
  Application app = std::move(builder).Finish();
  ASSERT_EQ(app.executors.size(), 3u);
  const Executor& removed = app.executors.at("1");
  EXPECT_EQ(removed.host, "node-1");
  EXPECT_EQ(removed.cores, 4);
  EXPECT_EQ(removed.added_time, 10);
  EXPECT_EQ(removed.removed_time, 50);
  EXPECT_EQ(removed.removed_reason, "Container marked as failed");
  EXPECT_EQ(app.executors.at("2").cores, 8);
  EXPECT_EQ(app.executors.at("2").removed_time, std::nullopt);
  EXPECT_EQ(app.executors.at("9").executor_id, "9");
  EXPECT_EQ(app.executors.at("9").removed_time, 60);
}

TEST(ModelBuilder, AJobReadsItsPropertiesAndItsEnd) {
  ModelBuilder builder;
  events::JobStart start = JobListing(0, {0});
  start.submission_time = 100;
  start.properties = {{"spark.sql.execution.id", "3"},
                      {"spark.jobGroup.id", "8123_job-55-run-77-action-9"},
                      {"spark.job.description", "nightly load"},
                      {"callSite.short", "save at etl.py:40"}};
  builder.OnJobStart(start);
  builder.OnJobEnd({.job_id = 0,
                    .completion_time = 900,
                    .result = "JobFailed",
                    .failure = "Job aborted due to stage failure"});
  Application app = std::move(builder).Finish();
  const Job& job = app.jobs.at(0);
  EXPECT_EQ(job.submission_time, 100);
  EXPECT_THAT(job.stage_ids, ElementsAre(0));
  EXPECT_EQ(job.sql_execution_id, 3);
  EXPECT_EQ(job.job_group, "8123_job-55-run-77-action-9");
  EXPECT_EQ(job.description, "nightly load");
  EXPECT_EQ(job.call_site, "save at etl.py:40");
  // Databricks ids, read off the job group when no property gives them.
  EXPECT_EQ(job.databricks_job_id, 55);
  EXPECT_EQ(job.databricks_run_id, 77);
  EXPECT_EQ(job.completion_time, 900);
  EXPECT_EQ(job.result, "JobFailed");
  EXPECT_EQ(job.failure, "Job aborted due to stage failure");
  EXPECT_THAT(app.sql_executions.at(3).job_ids, ElementsAre(0));
}

TEST(ModelBuilder, DatabricksPropertiesWinOverTheJobGroup) {
  ModelBuilder builder;
  events::JobStart start = JobListing(4, {});
  start.properties = {{"spark.jobGroup.id", "x_job-1-run-2-action-3"},
                      {"spark.databricks.job.id", "11"},
                      {"spark.databricks.job.runId", "12"},
                      {"spark.sql.execution.id", "not a number"}};
  builder.OnJobStart(start);
  Application app = std::move(builder).Finish();
  const Job& job = app.jobs.at(4);
  EXPECT_EQ(job.databricks_job_id, 11);
  EXPECT_EQ(job.databricks_run_id, 12);
  EXPECT_EQ(job.sql_execution_id, std::nullopt);
  EXPECT_TRUE(app.sql_executions.empty());
}

events::SparkPlanInfo PlanInfo(std::string name, std::vector<int64_t> accumulators) {
  events::SparkPlanInfo node;
  node.node_name = std::move(name);
  node.simple_string = node.node_name + " [id#0L]";
  for (int64_t id : accumulators) {
    node.metrics.push_back({.name = "metric " + std::to_string(id), .accumulator_id = id,
                            .metric_type = "sum"});
  }
  return node;
}

TEST(ModelBuilder, AnSqlExecutionHasItsFinalPlanWithSummedMetrics) {
  ModelBuilder builder;
  EXPECT_FALSE(builder.WantsAccumulatorUpdates());  // no plan, no SQL metric
  events::SqlExecutionStart start;
  start.execution_id = 0;
  start.root_execution_id = 0;
  start.description = "count at etl.py:9";
  start.details = "org.apache.spark.sql.Dataset.count";
  start.physical_plan = "== Physical Plan ==\nHashAggregate (3)";
  start.plan = PlanInfo("HashAggregate", {1});
  start.plan.children.push_back(PlanInfo("Exchange", {2, 3}));
  start.time = 1000;
  start.modified_configs = {{"spark.sql.shuffle.partitions", "10"}};
  builder.OnSqlExecutionStart(start);
  EXPECT_TRUE(builder.WantsAccumulatorUpdates());

  events::TaskEnd first = Task(0, events::TaskOutcome::kSuccess, 1, 2);
  first.accumulables = {{.id = 1, .update = 5}, {.id = 99, .update = 7}};
  builder.OnTaskEnd(first);
  events::TaskEnd second = Task(0, events::TaskOutcome::kSuccess, 1, 2);
  second.accumulables = {{.id = 1, .update = 6}};
  builder.OnTaskEnd(second);
  // Driver updates add up too (AQEShuffleRead sends one per partition).
  builder.OnDriverAccumUpdates({.execution_id = 0, .updates = {{2, 100}, {2, 50}}});
  // The stage's final values count only for metrics nothing else updated.
  events::StageInfo completed = Info(0, 0);
  completed.accumulables = {{.id = 1, .update = 999}, {.id = 3, .update = 42}};
  builder.OnStageCompleted(completed);

  // AQE replaces the plan; its new metric 4 never gets a value.
  events::SqlAdaptiveUpdate update;
  update.execution_id = 0;
  update.physical_plan = "== Physical Plan ==\nAdaptiveSparkPlan (5)";
  update.plan = PlanInfo("AdaptiveSparkPlan", {4});
  update.plan.children.push_back(start.plan);
  builder.OnSqlAdaptiveUpdate(update);
  builder.OnSqlAdaptiveMetricUpdates({.execution_id = 0, .metrics = {{.name = "m", .accumulator_id = 5}}});
  events::TaskEnd late = Task(1, events::TaskOutcome::kSuccess, 3, 4);
  late.accumulables = {{.id = 5, .update = 8}};
  builder.OnTaskEnd(late);
  builder.OnSqlExecutionEnd({.execution_id = 0, .time = 3000, .error_message = "boom"});

  Application app = std::move(builder).Finish();
  ASSERT_EQ(app.sql_executions.size(), 1u);
  const SqlExecution& execution = app.sql_executions.at(0);
  EXPECT_EQ(execution.root_execution_id, 0);
  EXPECT_EQ(execution.description, "count at etl.py:9");
  EXPECT_EQ(execution.details, "org.apache.spark.sql.Dataset.count");
  EXPECT_EQ(execution.physical_plan, "== Physical Plan ==\nAdaptiveSparkPlan (5)");
  EXPECT_EQ(execution.adaptive_updates, 1);
  EXPECT_EQ(execution.start_time, 1000);
  EXPECT_EQ(execution.end_time, 3000);
  EXPECT_EQ(execution.error_message, "boom");
  EXPECT_THAT(execution.modified_configs, ElementsAre(Pair("spark.sql.shuffle.partitions", "10")));

  const model::PlanNode& root = execution.plan;
  EXPECT_EQ(root.node_name, "AdaptiveSparkPlan");
  EXPECT_EQ(root.simple_string, "AdaptiveSparkPlan [id#0L]");
  ASSERT_EQ(root.metrics.size(), 1u);
  EXPECT_EQ(root.metrics[0].value, std::nullopt);
  ASSERT_EQ(root.children.size(), 1u);
  const model::PlanNode& aggregate = root.children[0];
  ASSERT_EQ(aggregate.metrics.size(), 1u);
  EXPECT_EQ(aggregate.metrics[0].name, "metric 1");
  EXPECT_EQ(aggregate.metrics[0].metric_type, "sum");
  EXPECT_EQ(aggregate.metrics[0].value, 11);  // 5 + 6; the stage's 999 unused
  ASSERT_EQ(aggregate.children.size(), 1u);
  const model::PlanNode& exchange = aggregate.children[0];
  ASSERT_EQ(exchange.metrics.size(), 2u);
  EXPECT_EQ(exchange.metrics[0].value, 150);  // driver updates
  EXPECT_EQ(exchange.metrics[1].value, 42);   // the stage's final value
  EXPECT_EQ(app.accumulator_values.at(5), 8);  // registered by the AQE update
  EXPECT_FALSE(app.accumulator_values.contains(99));  // not a SQL metric
}

TEST(ModelBuilder, PhotonPeakMemoryAndShuffleWriteTimeComeFromTheirSqlMetrics) {
  ModelBuilder builder;
  events::SqlExecutionStart start;
  start.execution_id = 0;
  start.plan.node_name = "PhotonShuffleExchangeSink";
  start.plan.metrics = {
      {.name = "peak memory usage", .accumulator_id = 1, .metric_type = "size"},
      {.name = "time taken waiting on file write IO (part of shuffle file write)",
       .accumulator_id = 2,
       .metric_type = "nsTiming"},
      {.name = "time taken to sort rows by partition ID (part of shuffle file write)",
       .accumulator_id = 3,
       .metric_type = "nsTiming"},
      {.name = "peak untracked memory usage", .accumulator_id = 4, .metric_type = "size"},
      {.name = "total time spent producing shuffle files",
       .accumulator_id = 5,
       .metric_type = "nsTiming"}};
  events::SparkPlanInfo scan;
  scan.node_name = "PhotonScan parquet ";
  scan.metrics = {{.name = "peak memory usage", .accumulator_id = 6, .metric_type = "size"}};
  start.plan.children.push_back(scan);
  builder.OnSqlExecutionStart(start);
  // A metric AQE registers later is recognised by its name too.
  builder.OnSqlAdaptiveMetricUpdates(
      {.execution_id = 0,
       .metrics = {{.name = "peak memory usage", .accumulator_id = 7, .metric_type = "size"}}});

  events::TaskEnd first = Task(7, events::TaskOutcome::kSuccess, 1, 2);
  first.accumulables = {{.id = 1, .update = 100}, {.id = 6, .update = 300},
                        {.id = 2, .update = 10},  {.id = 3, .update = 5},
                        {.id = 4, .update = 999}, {.id = 5, .update = 888}};
  builder.OnTaskEnd(first);
  events::TaskEnd second = Task(7, events::TaskOutcome::kFailed, 1, 2);
  second.accumulables = {{.id = 1, .update = 200}, {.id = 2, .update = 20}};
  builder.OnTaskEnd(second);
  events::TaskEnd retried = Task(7, events::TaskOutcome::kSuccess, 3, 4);
  retried.stage_attempt_id = 1;
  retried.accumulables = {{.id = 7, .update = 50}};
  builder.OnTaskEnd(retried);
  builder.OnTaskEnd(Task(8, events::TaskOutcome::kSuccess, 3, 4));

  Application app = std::move(builder).Finish();
  const StageAttempt& stage = app.stages.at({7, 0});
  // The largest single update of any peak metric, failed tasks included; not
  // a sum, and not `peak untracked memory usage`.
  EXPECT_EQ(stage.photon_peak_memory_max_bytes, 300);
  // The parts of the shuffle file write, summed; not the total producing time.
  EXPECT_EQ(stage.photon_shuffle_write_time_ns, 35);
  EXPECT_EQ(stage.peak_execution_memory_max_bytes, 0);  // task metrics apart
  const StageAttempt& retry = app.stages.at({7, 1});
  EXPECT_EQ(retry.photon_peak_memory_max_bytes, 50);
  EXPECT_EQ(retry.photon_shuffle_write_time_ns, std::nullopt);
  const StageAttempt& plain = app.stages.at({8, 0});
  EXPECT_EQ(plain.photon_peak_memory_max_bytes, std::nullopt);
  EXPECT_EQ(plain.photon_shuffle_write_time_ns, std::nullopt);
}

}  // namespace
}  // namespace prometheus::model

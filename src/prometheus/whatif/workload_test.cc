// The workload folded from a hand-built application, and from a real log
// whose Sparklens dump ../shared keeps.
#include "prometheus/whatif/workload.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "prometheus/io/event_log_files.h"
#include "prometheus/model/load_event_log.h"
#include "prometheus/testing/paths.h"

namespace prometheus::whatif {
namespace {

using ::testing::ElementsAre;

model::StageAttempt Attempt(int64_t submitted, int64_t completed,
                            std::vector<uint32_t> task_ms) {
  model::StageAttempt attempt;
  attempt.submission_time = submitted;
  attempt.completion_time = completed;
  attempt.successful_task_durations_ms = std::move(task_ms);
  return attempt;
}

model::Application ThreeStages() {
  model::Application app;
  app.start_time = 0;
  app.end_time = 1000;
  app.stages[{0, 0}] = Attempt(100, 300, {150, 180});
  app.stages[{1, 0}] = Attempt(250, 400, {100});  // overlaps stage 0
  app.stages[{1, 0}].parent_ids = {0};
  app.stages[{2, 0}] = Attempt(600, 700, {90});
  app.stages[{3, 0}] = model::StageAttempt{};  // skipped: no tasks
  return app;
}

TEST(WorkloadOf, StagesThatOverlapFormOneGroupAndTheRestIsDriverTime) {
  Workload workload = WorkloadOf(ThreeStages());
  EXPECT_EQ(workload.wall_ms, 1000);
  // In stages: 100-400 and 600-700.
  EXPECT_EQ(workload.driver_ms, 1000 - 300 - 100);
  EXPECT_EQ(workload.tasks, 4);
  EXPECT_EQ(workload.task_ms, 150 + 180 + 100 + 90);
  ASSERT_EQ(workload.groups.size(), 2u);
  EXPECT_EQ(workload.groups[0].start_ms, 100);
  EXPECT_EQ(workload.groups[0].end_ms, 400);
  ASSERT_EQ(workload.groups[0].stages.size(), 2u);
  EXPECT_EQ(workload.groups[0].stages[1].stage_id, 1);
  EXPECT_THAT(workload.groups[0].stages[1].parent_ids, ElementsAre(0));
  ASSERT_EQ(workload.groups[1].stages.size(), 1u);
  EXPECT_EQ(workload.groups[1].stages[0].stage_id, 2);
}

TEST(WorkloadOf, EveryAttemptsTasksFoldIntoTheStageFailedOnesToo) {
  model::Application app = ThreeStages();
  model::StageAttempt retry = Attempt(420, 500, {70});
  retry.unsuccessful_task_durations_ms = {30};
  app.stages[{2, 1}] = retry;
  app.stages[{2, 0}].unsuccessful_task_durations_ms = {40};
  app.stages[{2, 0}].first_launch_time = 610;  // tasks' span over the stage's
  Workload workload = WorkloadOf(app);
  ASSERT_EQ(workload.groups.size(), 2u);
  // Stage 2 spans both attempts, 420-700.
  EXPECT_EQ(workload.groups[1].start_ms, 420);
  EXPECT_THAT(workload.groups[1].stages[0].task_ms, ElementsAre(90, 40, 70, 30));
  EXPECT_EQ(workload.driver_ms, 1000 - 300 - 280);
  app.stages[{2, 1}].first_launch_time = 430;
  app.stages[{2, 1}].last_finish_time = 450;
  EXPECT_EQ(WorkloadOf(app).groups[1].start_ms, 430);
}

TEST(WorkloadOf, TheShapeIsTheMostExecutorsAliveAtOnce) {
  model::Application app = ThreeStages();
  app.executors["driver"] = {"driver", "host", 8, 0, {}, ""};
  app.executors["1"] = {"1", "a", 4, 10, 200, "lost"};
  app.executors["2"] = {"2", "b", 4, 200, {}, ""};  // added as 1 left
  app.executors["3"] = {"3", "c", 4, 300, {}, ""};
  app.executors["4"] = {"4", "d", 2, 310, {}, ""};
  Workload workload = WorkloadOf(app);
  EXPECT_EQ(workload.observed.executors, 3);
  EXPECT_EQ(workload.observed.cores_per_executor, 4);
  EXPECT_FALSE(workload.shape_guessed);
}

TEST(WorkloadOf, InLocalModeTheDriverIsTheExecutor) {
  model::Application app = ThreeStages();
  app.executors["driver"] = {"driver", "host", 2, 0, {}, ""};
  Workload workload = WorkloadOf(app);
  EXPECT_EQ(workload.observed.executors, 1);
  EXPECT_EQ(workload.observed.cores_per_executor, 2);
}

TEST(WorkloadOf, WithoutExecutorEventsTheMasterTellsTheShape) {
  model::Application app = ThreeStages();
  app.spark_properties = {{"spark.master", "local-cluster[2,3,1024]"}};
  Workload workload = WorkloadOf(app);
  EXPECT_TRUE(workload.shape_guessed);
  EXPECT_EQ(workload.observed.executors, 2);
  EXPECT_EQ(workload.observed.cores_per_executor, 3);
  app.spark_properties = {{"spark.master", "local[*]"}};
  // No number: the busiest group's concurrency, 430 ms of tasks in 300 ms.
  workload = WorkloadOf(app);
  EXPECT_EQ(workload.observed.executors, 1);
  EXPECT_EQ(workload.observed.cores_per_executor, 2);
}

// Sparklens' dump of the same log (its own schema) holds the application's
// span and each stage's tasks and parents: the workload agrees with it.
TEST(WorkloadOf, AgreesWithSparklensDumpOfTheSameLog) {
  const std::string folder = "qubole__sparklens/src/test/event-history-test-files/";
  auto inputs = io::FindEventLogs({testing::SharedEventLog(folder + "local-1532512550423")});
  ASSERT_TRUE(inputs.has_value());
  auto log = model::LoadEventLog(inputs->inputs.front());
  ASSERT_TRUE(log.has_value());
  std::ifstream dump_file(testing::SharedEventLog(folder + "local-1532512550423.sparklens.json"));
  auto dump = nlohmann::json::parse(dump_file);
  Workload workload = WorkloadOf(log->application);

  const auto& app_info = dump["appInfo"];
  EXPECT_EQ(workload.wall_ms, app_info["endTime"].get<int64_t>() - app_info["startTime"].get<int64_t>());
  int64_t sparklens_task_ms = dump["appMetrics"]["map"]["taskDuration"]["value"];
  EXPECT_EQ(workload.task_ms, sparklens_task_ms);
  EXPECT_EQ(workload.tasks, dump["appMetrics"]["count"].get<int64_t>());
  const auto& driver = dump["executorMap"]["driver"];
  EXPECT_EQ(workload.observed.executors, 1);
  EXPECT_EQ(workload.observed.cores_per_executor, driver["cores"].get<int64_t>());
  // Sparklens' driver time is the wall time outside jobs; ours is outside
  // stages, so it also holds each job's time before its first stage and
  // after its last: larger by exactly those gaps.
  int64_t in_jobs = 0;
  int64_t in_stages = 0;
  for (const auto& [id, job] : dump["jobMap"].items()) {
    in_jobs += job["endTime"].get<int64_t>() - job["startTime"].get<int64_t>();
  }
  ASSERT_EQ(workload.groups.size(), dump["stageMap"].size());
  for (const StageGroup& group : workload.groups) {
    ASSERT_EQ(group.stages.size(), 1u);
    const auto& stage = dump["stageMap"][std::to_string(group.stages[0].stage_id)];
    EXPECT_EQ(group.start_ms, stage["startTime"].get<int64_t>());
    EXPECT_EQ(group.end_ms, stage["endTime"].get<int64_t>());
    EXPECT_EQ(static_cast<int64_t>(group.stages[0].task_ms.size()),
              stage["numberOfTasks"].get<int64_t>());
    EXPECT_EQ(stage["parentStageIDs"].get<std::string>(), "[]");
    in_stages += group.end_ms - group.start_ms;
  }
  EXPECT_EQ(workload.driver_ms, workload.wall_ms - in_stages);
  EXPECT_GT(workload.driver_ms, workload.wall_ms - in_jobs);
}

}  // namespace
}  // namespace prometheus::whatif

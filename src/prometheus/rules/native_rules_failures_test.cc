// The failure rules on real logs: the cause named, counted, located in the
// user's code, and the fix that fits it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "prometheus/rules/internal/native_rules.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"

namespace prometheus::rules {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::AnalyzeLog;
using testing::SharedEventLog;

constexpr const char* kProfiling =
    "NVIDIA__spark-rapids-tools/core/src/test/resources/spark-events-profiling/";

TEST(FailuresRule, ALostExecutorExplainsTheFetchFailuresAndResubmitsThatFollowIt) {
  kpi::Analysis a = AnalyzeLog(
      SharedEventLog(std::string(kProfiling) + "tasks_executors_fail_compressed_eventlog.zstd"));
  std::vector<Recommendation> found = Failures(a);
  ASSERT_EQ(found.size(), 1u);
  const Recommendation& r = found[0];
  EXPECT_EQ(r.scope.stage_ids, std::vector<int64_t>{238});
  EXPECT_EQ(r.severity, Severity::kCritical);
  EXPECT_THAT(r.message, HasSubstr("Stage 238 failed: 53 of 280 task attempts failed"));
  EXPECT_THAT(r.message, HasSubstr("50 finished tasks ran again, their shuffle output lost "
                                   "with executors 2, 1"));
  EXPECT_THAT(r.message, HasSubstr("2 could not fetch shuffle 54 from hostname-08.domain.com"));
  EXPECT_THAT(r.message, HasSubstr("1 was lost with executor 2 (Executor Process Lost)"));
  EXPECT_THAT(r.message, HasSubstr("Lost executors take their shuffle output with them"));
  // Executor 1, whose host served the failed fetches, went too.
  EXPECT_THAT(r.message, HasSubstr("Executors the application lost: 1 (Executor Process Lost); "
                                   "2 (Executor Process Lost)."));
  int64_t counted = 0;
  for (const auto& cause : r.evidence["causes"]) counted += cause["count"].get<int64_t>();
  EXPECT_EQ(counted, 53);
  EXPECT_EQ(r.evidence["retries_succeeded"], false);
  EXPECT_THAT(fix::Advice(*r.fix), HasSubstr("spark.shuffle.service.enabled"));
}

TEST(FailuresRule, AnExceptionInTheUsersCodeNamesTheLineAndNoSetting) {
  // Spark's own log: `bad exec` thrown by spark-shell code at <console>:26.
  kpi::Analysis a =
      AnalyzeLog(SharedEventLog(std::string(testing::kSparkEvents) + "app-20161116163331-0000"));
  std::vector<Recommendation> found = Failures(a);
  ASSERT_FALSE(found.empty());
  const Recommendation& r = found[0];
  EXPECT_THAT(r.message,
              HasSubstr("raised `java.lang.RuntimeException: bad exec` in the code at <console>:26"));
  EXPECT_EQ(r.evidence["causes"][0]["cause"], "task_exception");
  EXPECT_EQ(r.evidence["causes"][0]["location"]["line"], 26);
  ASSERT_TRUE(r.fix && r.fix->call_site);
  EXPECT_EQ(r.fix->call_site->file, "<console>");
  EXPECT_EQ(r.fix->call_site->line, 26);
  EXPECT_EQ(fix::SafetyOf(*r.fix), fix::Safety::kManual);
}

TEST(FailuresRule, AnExecutorThatLostItsHeartbeatSaysSo) {
  // YARN: executors exited with 56, Spark's heartbeat-failure code.
  kpi::Analysis a = AnalyzeLog(
      SharedEventLog(std::string(testing::kSparkEvents) + "application_1538416563558_0014"));
  std::vector<Recommendation> found = Failures(a);
  ASSERT_FALSE(found.empty());
  EXPECT_THAT(found[0].message, HasSubstr("exit code 56: heartbeats to the driver failed"));
  EXPECT_EQ(found[0].evidence["causes"][0]["exit_code"], 56);
  EXPECT_THAT(found[0].message, HasSubstr("Executors were lost: the tasks running on them"));
  EXPECT_TRUE(OutOfMemory(a).empty()) << "a heartbeat failure is not a memory death";
}

kpi::Analysis WithStage(model::StageAttempt stage) {
  kpi::Analysis a;
  a.log.application.stages[{stage.stage_id, 0}] = std::move(stage);
  return a;
}

model::StageAttempt FailedWith(std::string_view reason, std::string_view message,
                               std::string_view class_name = "") {
  model::StageAttempt stage;
  stage.stage_id = 4;
  stage.status = model::StageStatus::kComplete;
  stage.num_completed_tasks = 10;
  stage.num_failed_tasks = 2;
  events::TaskFailure failure;
  failure.reason = reason;
  failure.message = message;
  failure.class_name = class_name;
  failure.executor_id = "7";
  stage.failures.Add(failure, "7");
  stage.failures.Add(failure, "7");
  return stage;
}

TEST(OutOfMemoryRule, TheFixFollowsTheKindOfMemoryDeath) {
  kpi::Analysis killed = WithStage(FailedWith(
      "ExecutorLostFailure", "Container killed by YARN for exceeding memory limits. 9.1 GB of "
                             "9 GB physical memory used."));
  killed.log.application.spark_properties.emplace_back("spark.executor.memory", "8g");
  auto found = OutOfMemory(killed);
  ASSERT_EQ(found.size(), 1u);
  auto conf = std::get<fix::Conf>(found[0].fix->kind);
  // Spark's default overhead is 10% of 8g (819 MiB); twice that, in GiB.
  EXPECT_EQ(conf.key, "spark.executor.memoryOverhead");
  EXPECT_EQ(conf.value, "2g");
  EXPECT_EQ(found[0].evidence["cause"], "container_killed");
  EXPECT_THAT(found[0].message, HasSubstr("2 were lost with executor 7"));
  EXPECT_TRUE(Failures(killed).empty()) << "out_of_memory speaks for memory deaths";

  kpi::Analysis heap = WithStage(FailedWith("ExceptionFailure", "Java heap space",
                                            "java.lang.OutOfMemoryError"));
  heap.log.application.spark_properties.emplace_back("spark.executor.memory", "4g");
  found = OutOfMemory(heap);
  ASSERT_EQ(found.size(), 1u);
  conf = std::get<fix::Conf>(found[0].fix->kind);
  EXPECT_EQ(conf.key, "spark.executor.memory");
  EXPECT_EQ(conf.value, "6g");

  kpi::Analysis gpu = WithStage(
      FailedWith("ExceptionFailure", "GPU OutOfMemory: could not split inputs and retry",
                 "com.nvidia.spark.rapids.jni.GpuSplitAndRetryOOM"));
  found = OutOfMemory(gpu);
  ASSERT_EQ(found.size(), 1u);
  conf = std::get<fix::Conf>(found[0].fix->kind);
  // Split and retried already: fewer tasks share the GPU (2 by default).
  EXPECT_EQ(conf.key, "spark.rapids.sql.concurrentGpuTasks");
  EXPECT_EQ(conf.value, "1");
  EXPECT_THAT(found[0].message, HasSubstr("GpuSplitAndRetryOOM: GPU OutOfMemory"));
  EXPECT_THAT(found[0].message, HasSubstr("spark.rapids.memory.gpu.allocFraction"));

  kpi::Analysis one_task = WithStage(
      FailedWith("ExceptionFailure", "GPU OutOfMemory: could not split inputs and retry",
                 "com.nvidia.spark.rapids.jni.GpuSplitAndRetryOOM"));
  one_task.log.application.spark_properties.emplace_back("spark.rapids.sql.concurrentGpuTasks",
                                                         "1");
  found = OutOfMemory(one_task);
  ASSERT_EQ(found.size(), 1u);
  conf = std::get<fix::Conf>(found[0].fix->kind);
  EXPECT_EQ(conf.key, "spark.rapids.sql.batchSizeBytes");
  EXPECT_EQ(conf.value, "512m");
}

TEST(FailuresRule, RetriesThatSucceededAreAnIntermittentErrorAtMostMedium) {
  model::StageAttempt stage = FailedWith(
      "ExceptionFailure",
      "Traceback (most recent call last):\n  File \"/jobs/load.py\", line 41, in fetch\n"
      "ConnectionResetError: [Errno 104] Connection reset by peer\n",
      "org.apache.spark.api.python.PythonException");
  stage.num_failed_tasks = 8;  // 8 of 18: far above the high ratio
  stage.totals.executor_run_time_ms = 3'600'000;
  kpi::Analysis a = WithStage(std::move(stage));
  auto found = Failures(a);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::kMedium);
  EXPECT_THAT(found[0].message, HasSubstr("completed after retries"));
  EXPECT_THAT(found[0].message, HasSubstr("Retries succeeded, so the error is intermittent"));
  EXPECT_THAT(found[0].message, HasSubstr("in the code at load.py:41 (in fetch)"));
  EXPECT_EQ(found[0].fix->call_site->file, "/jobs/load.py");
  EXPECT_EQ(found[0].fix->call_site->line, 41);
}

}  // namespace
}  // namespace prometheus::rules

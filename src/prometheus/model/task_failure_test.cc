#include "prometheus/model/task_failure.h"

#include <gtest/gtest.h>

#include "prometheus/io/event_log_files.h"
#include "prometheus/model/load_event_log.h"
#include "prometheus/testing/paths.h"

namespace prometheus::model {
namespace {

using testing::SharedEventLog;

// The failed stage attempts of a shared log, in stage order.
std::vector<const StageAttempt*> FailedStages(const Application& app) {
  std::vector<const StageAttempt*> out;
  for (const auto& [key, stage] : app.stages) {
    if (stage.num_failed_tasks > 0) out.push_back(&stage);
  }
  return out;
}

LoadedLog Load(const std::string& relative) {
  auto inputs = io::FindEventLogs({SharedEventLog(relative)});
  EXPECT_TRUE(inputs.has_value());
  auto log = LoadEventLog(inputs->inputs.front());
  EXPECT_TRUE(log.has_value()) << log.error().message;
  return std::move(*log);
}

TEST(TaskFailure, APythonTracebackNamesTheExceptionAndTheUsersLastFrame) {
  // The shape of a PySpark 3.5 and 4.0 PythonException description.
  events::TaskFailure failure;
  failure.reason = "ExceptionFailure";
  failure.class_name = "org.apache.spark.api.python.PythonException";
  failure.message =
      "Traceback (most recent call last):\n"
      "  File \"/opt/venv/lib/python3.11/site-packages/pyspark/python/lib/pyspark.zip/"
      "pyspark/worker.py\", line 1247, in main\n    process()\n"
      "  File \"/jobs/generate_events.py\", line 60, in explode_row\n"
      "    raise Exception(\"deliberate permanent failure\")\n"
      "  File \"/opt/venv/lib/python3.11/site-packages/pyspark/rdd.py\", line 5434, in f\n"
      "    return func(split)\n"
      "Exception: deliberate permanent failure\n";
  ClassifiedFailure c = ClassifyFailure(failure);
  EXPECT_EQ(c.cause, FailureCause::kTaskException);
  EXPECT_EQ(c.error, "Exception: deliberate permanent failure");
  ASSERT_TRUE(c.location.has_value());
  EXPECT_EQ(c.location->file, "/jobs/generate_events.py");
  EXPECT_EQ(c.location->line, 60);
  EXPECT_EQ(c.location->function, "explode_row");
}

TEST(TaskFailure, ADatabricksNotebookCellIsTheUsersCode) {
  events::TaskFailure failure;
  failure.reason = "ExceptionFailure";
  failure.class_name = "org.apache.spark.api.python.PythonException";
  failure.message =
      "Traceback (most recent call last):\n"
      "  File \"<command-4032938811352351>\", line 7, in parse\n"
      "ValueError: invalid literal for int() with base 10: 'x'\n";
  ClassifiedFailure c = ClassifyFailure(failure);
  ASSERT_TRUE(c.location.has_value());
  EXPECT_EQ(c.location->file, "<command-4032938811352351>");
  EXPECT_EQ(c.error, "ValueError: invalid literal for int() with base 10: 'x'");
}

TEST(TaskFailure, ExitCodesAndWordsTellHowAnExecutorWasLost) {
  auto cause = [](std::string_view loss) {
    events::TaskFailure failure;
    failure.reason = "ExecutorLostFailure";
    failure.message = loss;
    return ClassifyFailure(failure);
  };
  EXPECT_EQ(cause("Command exited with code 52").cause, FailureCause::kHeapOutOfMemory);
  EXPECT_EQ(cause("Command exited with code 52").exit_code, 52);
  EXPECT_EQ(cause("The executor with id 3 exited with exit code 137(SIGKILL, possible container OOM).")
                .cause,
            FailureCause::kContainerKilled);
  EXPECT_EQ(cause("Container killed by YARN for exceeding memory limits. 5.5 GB of 5.5 GB "
                  "physical memory used.")
                .cause,
            FailureCause::kContainerKilled);
  EXPECT_EQ(cause("Container marked as failed: container_1 on host: h. Exit status: 143. "
                  "Container is running beyond physical memory limits.")
                .cause,
            FailureCause::kContainerKilled);
  // A bare SIGTERM is a kill request: preemption, scale-down, or memory.
  EXPECT_EQ(cause("Container marked as failed: container_1 on host: h. Exit status: 143.")
                .cause,
            FailureCause::kExecutorLost);
  EXPECT_EQ(cause("Executor Process Lost").cause, FailureCause::kExecutorLost);
  EXPECT_EQ(cause("Container exited with a non-zero exit code 56").cause,
            FailureCause::kExecutorLost);
  EXPECT_EQ(cause("Container exited with a non-zero exit code 56").exit_code, 56);
}

TEST(TaskFailure, HeapAndGpuOutOfMemoryAreToldApart) {
  events::TaskFailure heap;
  heap.reason = "ExceptionFailure";
  heap.class_name = "java.lang.OutOfMemoryError";
  heap.message = "Java heap space";
  EXPECT_EQ(ClassifyFailure(heap).cause, FailureCause::kHeapOutOfMemory);
  EXPECT_EQ(ClassifyFailure(heap).error, "java.lang.OutOfMemoryError: Java heap space");

  events::TaskFailure gpu;
  gpu.reason = "ExceptionFailure";
  gpu.class_name = "com.nvidia.spark.rapids.jni.GpuSplitAndRetryOOM";
  gpu.message = "GPU OutOfMemory: could not split inputs and retry";
  EXPECT_EQ(ClassifyFailure(gpu).cause, FailureCause::kGpuOutOfMemory);
  EXPECT_TRUE(IsMemoryCause(FailureCause::kGpuOutOfMemory));
  EXPECT_FALSE(IsMemoryCause(FailureCause::kFetchFailed));
}

TEST(TaskFailure, MemoryDeathsAreToldFromOtherFailures) {
  auto cause = [](std::string_view reason, std::string_view class_name, std::string_view text) {
    events::TaskFailure failure;
    failure.reason = reason;
    failure.class_name = class_name;
    failure.message = text;
    return ClassifyFailure(failure).cause;
  };
  EXPECT_EQ(cause("ExecutorLostFailure", "", "The executor with id 4 exited with exit code 52(JVM OOM)."),
            FailureCause::kHeapOutOfMemory);
  EXPECT_EQ(cause("ExecutorLostFailure", "", "Command exited with code 520"),
            FailureCause::kExecutorLost);
  EXPECT_EQ(cause("ExecutorLostFailure", "", "Command exited with code 1"),
            FailureCause::kExecutorLost);
  EXPECT_EQ(cause("ExceptionFailure", "java.io.IOException", "disk full"),
            FailureCause::kTaskException);
  EXPECT_EQ(cause("ExceptionFailure", "java.lang.OutOfMemoryError", "GC overhead limit exceeded"),
            FailureCause::kHeapOutOfMemory);
}

TEST(TaskFailure, AWrappedCauseIsReadFromTheFullStackTrace) {
  // A JVM exception wrapping the PythonException: its Description holds no
  // traceback, its Full Stack Trace does.
  events::TaskFailure python;
  python.reason = "ExceptionFailure";
  python.class_name = "org.apache.spark.SparkException";
  python.message = "Task failed while writing rows.";
  python.full_stack_trace =
      "org.apache.spark.SparkException: Task failed while writing rows.\n"
      "\tat org.apache.spark.sql.execution.datasources.FileFormatWriter$.executeTask(x.scala:1)\n"
      "Caused by: org.apache.spark.api.python.PythonException: Traceback (most recent call "
      "last):\n"
      "  File \"/opt/spark/python/lib/pyspark.zip/pyspark/worker.py\", line 830, in main\n"
      "  File \"/jobs/generate_events.py\", line 60, in explode_row\n"
      "    raise Exception(\"deliberate permanent failure\")\n"
      "Exception: deliberate permanent failure\n"
      "\tat org.apache.spark.api.python.BasePythonRunner$ReaderIterator.handle(x.scala:2)\n";
  ClassifiedFailure c = ClassifyFailure(python);
  EXPECT_EQ(c.cause, FailureCause::kTaskException);
  EXPECT_EQ(c.error, "Exception: deliberate permanent failure");
  ASSERT_TRUE(c.location.has_value());
  EXPECT_EQ(c.location->file, "/jobs/generate_events.py");
  EXPECT_EQ(c.location->line, 60);
  EXPECT_EQ(c.location->function, "explode_row");

  events::TaskFailure heap;
  heap.reason = "ExceptionFailure";
  heap.class_name = "org.apache.spark.SparkException";
  heap.message = "Task failed while writing rows.";
  heap.full_stack_trace = "org.apache.spark.SparkException: Task failed while writing rows.\n"
                          "Caused by: java.lang.OutOfMemoryError: Java heap space\n";
  EXPECT_EQ(ClassifyFailure(heap).cause, FailureCause::kHeapOutOfMemory);
}

TEST(TaskFailure, GroupsKeepTheirFirstWordsAndDistinctShufflesAndMaps) {
  StageFailures failures;
  for (int64_t map : {11, 12, 11}) {
    events::TaskFailure fetch;
    fetch.reason = "FetchFailed";
    // A failure's fields view the event's line: the text outlives Add (the
    // group copies what it keeps).
    const std::string message =
        "org.apache.spark.shuffle.FetchFailedException: /tmp/blockmgr-1/shuffle_3_" +
        std::to_string(map);
    fetch.message = message;
    fetch.executor_id = "2";
    fetch.host = "h2";
    fetch.shuffle_id = 3;
    fetch.map_id = map;
    failures.Add(fetch, "5");
  }
  // A long error once, then a short one: the scratch's words do not leak.
  std::string long_error = "Traceback (most recent call last):\nValueError: " +
                           std::string(300, 'x') + "\n";
  for (std::string_view message :
       {std::string_view(long_error), std::string_view("Traceback (most recent call "
                                                        "last):\nKeyError: 'a'\n")}) {
    events::TaskFailure failure;
    failure.reason = "ExceptionFailure";
    failure.message = message;
    failures.Add(failure, "1");
  }
  failures.Finish();
  ASSERT_EQ(failures.groups.size(), 3u);
  const FailureGroup& fetches = failures.groups[0];
  EXPECT_EQ(fetches.count, 3);
  EXPECT_EQ(fetches.failure.error, "shuffle fetch failed");
  EXPECT_EQ(fetches.executors, std::vector<std::string>{"2"});
  EXPECT_EQ(fetches.map_ids, (std::vector<int64_t>{11, 12}));
  EXPECT_EQ(failures.groups[1].failure.error.size(), 200 + std::string_view("…").size());
  EXPECT_EQ(failures.groups[2].failure.error, "KeyError: 'a'");
}

TEST(TaskFailure, ErrorsThatDifferOnlyInTheirNumbersAreOneGroup) {
  StageFailures failures;
  for (std::string_view message : {"Traceback (most recent call last):\n  File \"/j.py\", "
                                   "line 9, in f\nRuntimeError: failure in partition 0\n",
                                   "Traceback (most recent call last):\n  File \"/j.py\", "
                                   "line 9, in f\nRuntimeError: failure in partition 12\n"}) {
    events::TaskFailure failure;
    failure.reason = "ExceptionFailure";
    failure.class_name = "org.apache.spark.api.python.PythonException";
    failure.message = message;
    failures.Add(failure, "1");
  }
  ASSERT_EQ(failures.groups.size(), 1u);
  EXPECT_EQ(failures.groups[0].count, 2);
  EXPECT_EQ(failures.groups[0].failure.error, "RuntimeError: failure in partition 0");
}

TEST(TaskFailure, AReplsLineIsTheUserFrameOfAJavaStack) {
  // Spark's own test log: a RuntimeException thrown in spark-shell code.
  LoadedLog log = Load(std::string(testing::kSparkEvents) + "app-20161116163331-0000");
  auto stages = FailedStages(log.application);
  ASSERT_FALSE(stages.empty());
  const FailureGroup& group = stages.front()->failures.groups.front();
  EXPECT_EQ(group.failure.cause, FailureCause::kTaskException);
  EXPECT_EQ(group.failure.error, "java.lang.RuntimeException: bad exec");
  ASSERT_TRUE(group.failure.location.has_value());
  EXPECT_EQ(group.failure.location->file, "<console>");
  EXPECT_EQ(group.failure.location->line, 26);
}

TEST(TaskFailure, ALostExecutorsFetchFailuresAndResubmitsAreGroupedByCause) {
  // RAPIDS tools' log: executor 2's process was lost, its shuffle output
  // with it; 50 finished map tasks were resubmitted and two reducers failed
  // to fetch shuffle 54 from executor 1's host.
  LoadedLog log = Load(
      "NVIDIA__spark-rapids-tools/core/src/test/resources/spark-events-profiling/"
      "tasks_executors_fail_compressed_eventlog.zstd");
  int64_t resubmitted = 0, fetch = 0, lost = 0;
  for (const StageAttempt* stage : FailedStages(log.application)) {
    for (const FailureGroup& group : stage->failures.groups) {
      switch (group.failure.cause) {
        case FailureCause::kResubmitted:
          resubmitted += group.count;
          break;
        case FailureCause::kFetchFailed:
          fetch += group.count;
          EXPECT_EQ(group.hosts, std::vector<std::string>{"hostname-08.domain.com"});
          EXPECT_EQ(group.shuffle_ids, std::vector<int64_t>{54});
          break;
        case FailureCause::kExecutorLost:
          lost += group.count;
          EXPECT_EQ(group.failure.error, "Executor Process Lost");
          EXPECT_EQ(group.executors, std::vector<std::string>{"2"});
          break;
        default:
          ADD_FAILURE() << FailureCauseName(group.failure.cause);
      }
    }
  }
  EXPECT_EQ(resubmitted, 50);
  EXPECT_EQ(fetch, 2);
  EXPECT_EQ(lost, 1);
}

}  // namespace
}  // namespace prometheus::model

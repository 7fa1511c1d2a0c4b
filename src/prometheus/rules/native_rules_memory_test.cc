// executor_memory raises memory only with corroborating pressure.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "prometheus/rules/internal/native_rules.h"

namespace prometheus::rules {
namespace {

using ::testing::HasSubstr;

// The application: the heap peaked at 98% of 4g, GC took 0.9 s of
// 9 minutes of task time, nothing spilled.
kpi::Analysis FullHeap() {
  kpi::Analysis a;
  model::Application& app = a.log.application;
  app.spark_properties.emplace_back("spark.executor.memory", "4g");
  model::StageAttempt stage;
  stage.stage_id = 1;
  stage.peak_jvm_heap_bytes = static_cast<int64_t>(0.98 * (4ll << 30));
  app.stages[{1, 0}] = stage;
  a.application.totals.task_time_ms = 540'000;
  a.application.totals.gc_time_ms = 900;
  return a;
}

TEST(ExecutorMemoryRule, AFullHeapThatCollectsFineIsNoAlarm) {
  EXPECT_TRUE(ExecutorMemory(FullHeap()).empty());
}

TEST(ExecutorMemoryRule, AFullHeapUnderPressureIsHighAndSaysWhichPressure) {
  kpi::Analysis gc = FullHeap();
  gc.application.totals.gc_time_ms = 81'000;  // 15% of task time
  auto found = ExecutorMemory(gc);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::kHigh);
  EXPECT_THAT(found[0].message, HasSubstr("under pressure: GC took 15% of task time"));
  EXPECT_EQ(found[0].evidence["memory_pressure"], true);

  kpi::Analysis spilled = FullHeap();
  spilled.application.totals.disk_bytes_spilled = 3ll << 30;
  found = ExecutorMemory(spilled);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].message, HasSubstr("3.0 GiB spilled to disk"));

  kpi::Analysis lost = FullHeap();
  model::Executor executor;
  executor.executor_id = "3";
  executor.removed_reason = "Container killed by YARN for exceeding memory limits.";
  lost.log.application.executors["3"] = executor;
  found = ExecutorMemory(lost);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].message, HasSubstr("1 executor(s) were lost for memory"));
}

TEST(ExecutorMemoryRule, TheSavingIsLowAndOnlyWithoutPressure) {
  kpi::Analysis roomy = FullHeap();
  roomy.log.application.spark_properties = {{"spark.executor.memory", "16g"}};
  roomy.log.application.stages.begin()->second.peak_jvm_heap_bytes = 2ll << 30;
  roomy.application.core_seconds_available = 100'000;  // a big application
  auto found = ExecutorMemory(roomy);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].severity, Severity::kLow);
  EXPECT_EQ(std::get<fix::Conf>(found[0].fix->kind).value, "3g");
  roomy.application.totals.gc_time_ms = 200'000;  // 37%: the heap is busy
  EXPECT_TRUE(ExecutorMemory(roomy).empty());
}

TEST(ExecutorMemoryRule, NoSavingFromTheHeapWhereTheWorkIsOffIt) {
  kpi::Analysis photon = FullHeap();
  photon.log.application.spark_properties = {
      {"spark.executor.memory", "16g"},
      {"spark.databricks.clusterUsageTags.sparkVersion", "14.3.x-photon-scala2.12"}};
  photon.log.application.stages.begin()->second.peak_jvm_heap_bytes = 2ll << 30;
  EXPECT_TRUE(ExecutorMemory(photon).empty());

  kpi::Analysis metrics = photon;  // Photon known by its operators' metrics
  metrics.log.application.spark_properties.pop_back();
  ASSERT_EQ(ExecutorMemory(metrics).size(), 1u);
  metrics.log.application.stages.begin()->second.photon_peak_memory_max_bytes = 8ll << 30;
  EXPECT_TRUE(ExecutorMemory(metrics).empty());

  kpi::Analysis off_heap = FullHeap();
  off_heap.log.application.spark_properties = {{"spark.executor.memory", "16g"},
                                               {"spark.memory.offHeap.enabled", "true"}};
  off_heap.log.application.stages.begin()->second.peak_jvm_heap_bytes = 2ll << 30;
  EXPECT_TRUE(ExecutorMemory(off_heap).empty());
}

}  // namespace
}  // namespace prometheus::rules

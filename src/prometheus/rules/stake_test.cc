#include "prometheus/rules/stake.h"

#include <gtest/gtest.h>

namespace prometheus::rules {
namespace {

kpi::Analysis App(int64_t wall_ms, int64_t task_ms) {
  kpi::Analysis a;
  a.application.duration_ms = wall_ms;
  a.application.totals.task_time_ms = task_ms;
  return a;
}

Recommendation Finding(std::string rule, Severity severity, double wall_s, double task_s) {
  Recommendation r;
  r.rule = std::move(rule);
  r.severity = severity;
  r.impact_wall_seconds = wall_s;
  r.impact_task_seconds = task_s;
  return r;
}

TEST(Stake, AStageHoldingMuchOfTheRunIsRatedByIt) {
  // The case: a stage holding 45% of a 10-minute run on 2 tasks
  // while 6 cores wait; spreading it saves 2/3 of it, 30% of the run.
  kpi::Analysis a = App(600'000, 1'200'000);
  Recommendation r = Finding("long_tasks_few_partitions", Severity::kLow, 180, 0);
  CalibrateSeverity(a, r);
  EXPECT_EQ(r.severity, Severity::kHigh);
  EXPECT_DOUBLE_EQ(r.evidence["stake_wall_share"].get<double>(), 0.3);
  r = Finding("long_tasks_few_partitions", Severity::kLow, 72, 0);  // 12%
  CalibrateSeverity(a, r);
  EXPECT_EQ(r.severity, Severity::kMedium);
}

TEST(Stake, ASymptomInATrivialPartOfTheRunIsLow) {
  kpi::Analysis a = App(600'000, 1'200'000);
  Recommendation r = Finding("gc", Severity::kCritical, 0, 6);  // 0.5% of task time
  CalibrateSeverity(a, r);
  EXPECT_EQ(r.severity, Severity::kLow);
  r = Finding("gc", Severity::kCritical, 0, 36);  // 3%
  CalibrateSeverity(a, r);
  EXPECT_EQ(r.severity, Severity::kMedium);
  r = Finding("gc", Severity::kHigh, 0, 84);  // 7%: neither tier applies
  CalibrateSeverity(a, r);
  EXPECT_EQ(r.severity, Severity::kHigh);
}

TEST(Stake, RisksAndFindingsWithoutATimeEstimateKeepTheirSeverity) {
  kpi::Analysis a = App(600'000, 1'200'000);
  Recommendation failure = Finding("failures", Severity::kCritical, 0, 1);
  CalibrateSeverity(a, failure);
  EXPECT_EQ(failure.severity, Severity::kCritical);
  EXPECT_FALSE(failure.evidence.contains("stake_task_share"));
  Recommendation memory = Finding("executor_memory", Severity::kLow, 0, 0);
  CalibrateSeverity(a, memory);
  EXPECT_EQ(memory.severity, Severity::kLow);
}

TEST(Stake, IdleCoreTimeIsAShareOfTheCoreTimePaidFor) {
  kpi::Analysis a = App(600'000, 1'200'000);
  a.application.core_seconds_available = 4800;  // 8 cores for 10 minutes
  Recommendation r = Finding("idle_cores", Severity::kMedium, 0, 3600);  // 75% idle
  CalibrateSeverity(a, r);
  EXPECT_EQ(r.severity, Severity::kHigh);
  EXPECT_DOUBLE_EQ(r.evidence["stake_task_share"].get<double>(), 0.75);
}

}  // namespace
}  // namespace prometheus::rules

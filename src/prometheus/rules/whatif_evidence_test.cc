// The rules that advise on executors cite the what-if sizing: the same
// figures `prometheus whatif` gives for the log.
#include "prometheus/rules/whatif_evidence.h"

#include <gtest/gtest.h>

#include "prometheus/rules/internal/native_rules.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"
#include "prometheus/whatif/whatif.h"

namespace prometheus::rules {
namespace {

const char* kIdle =
    "NVIDIA__spark-rapids-tools/core/src/test/resources/spark-events-qualification/"
    "jdbc_eventlog.zstd";

TEST(CiteWhatIf, IdleCoresCarriesTheSizingOfItsLog) {
  kpi::Analysis analysis = testing::AnalyzeLog(testing::SharedEventLog(kIdle));
  auto found = IdleCores(analysis);
  ASSERT_EQ(found.size(), 1u);
  const nlohmann::ordered_json& cited = found[0].evidence["whatif"];
  ASSERT_TRUE(cited.is_object()) << found[0].evidence.dump();

  whatif::Sizing sizing = whatif::Size(whatif::WorkloadOf(analysis.log.application), {});
  EXPECT_EQ(cited["observed_executors"], sizing.workload.observed.executors);
  EXPECT_EQ(cited["cores_per_executor"], sizing.workload.observed.cores_per_executor);
  EXPECT_EQ(cited["observed"]["wall_ms"], sizing.observed.wall_ms);
  EXPECT_EQ(cited["smallest_within"]["executors"], sizing.smallest_within.shape.executors);
  EXPECT_EQ(cited["knee"]["executors"], sizing.knee.shape.executors);
  EXPECT_DOUBLE_EQ(cited["max_slowdown"].get<double>(), 0.10);
  bool smaller = sizing.smallest_within.shape.executors < sizing.workload.observed.executors;
  EXPECT_EQ(found[0].message.find("What-if: ") != std::string::npos, smaller)
      << found[0].message;
}

TEST(CiteWhatIf, NamesASmallerClusterOnlyWhenOneDoes) {
  kpi::Analysis analysis;
  model::StageAttempt stage;
  stage.first_launch_time = 0;
  stage.last_finish_time = 100;
  stage.successful_task_durations_ms = {100};  // one task: one core does
  analysis.log.application.stages[{0, 0}] = stage;
  analysis.log.application.start_time = 0;
  analysis.log.application.end_time = 100;
  for (const char* id : {"1", "2", "3", "4"}) {
    analysis.log.application.executors[id] = {id, "host", 4, 0, {}, ""};
  }
  Recommendation r;
  r.message = "Idle.";
  CiteWhatIf(analysis, r);
  EXPECT_EQ(r.evidence["whatif"]["smallest_within"]["executors"], 1);
  EXPECT_EQ(r.message,
            "Idle. What-if: 1 executor of 4 cores instead of 4 would take 100 ms (+0% "
            "time) for 75% fewer core-hours (prometheus whatif).");

  Recommendation none;
  CiteWhatIf(kpi::Analysis{}, none);  // no tasks: nothing to cite
  EXPECT_FALSE(none.evidence.contains("whatif"));
}

}  // namespace
}  // namespace prometheus::rules

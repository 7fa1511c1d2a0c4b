#include "prometheus/loop/store.h"

#include <gtest/gtest.h>

#include "prometheus/lake/lake.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::loop {
namespace {

kpi::Analysis Submitted(std::string app_id, std::string java_command) {
  kpi::Analysis analysis =
      testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  analysis.log.application.app_id = std::move(app_id);
  analysis.log.application.java_command = std::move(java_command);
  return analysis;
}

// Runs with no recommendation still belong to their own script's job: the
// application row carries its entry point.
TEST(LoopStore, EveryApplicationNamesItsEntryPointEvenWithoutRecommendations) {
  testing::TempDir dir;
  lake::Lake lake(dir.path());
  kpi::Analysis etl = Submitted("app-etl", "org.apache.spark.deploy.SparkSubmit --master yarn jobs/etl.py --day 1");
  kpi::Analysis other = Submitted("app-other", "org.apache.spark.deploy.SparkSubmit jobs/other.py");
  ASSERT_TRUE(lake.Ingest({{&etl, "f1"}, {&other, "f2"}}, 1'700'000'000'000));
  rules::Recommendation finding;
  finding.rule = "idle_cores";
  finding.scope.app_id = "app-etl";
  finding.scope.entry_point = "jobs/etl.py";
  finding.id = "r1";
  std::vector<rules::Recommendation> findings = {finding};
  ASSERT_TRUE(lake.IngestRecommendations({{&etl, &findings, "f1"}}, false, 1'700'000'000'000));

  auto view = ReadLake(dir.path().string());
  ASSERT_TRUE(view) << view.error().message;
  EXPECT_EQ(view->entry_point_by_app.at("app-etl"), "jobs/etl.py");
  EXPECT_EQ(view->entry_point_by_app.at("app-other"), "jobs/other.py");
  const JobKey job = NamedJob(etl.log.application.name, "jobs/etl.py");
  auto runs = RunsOf(job, view->applications, view->entry_point_by_app);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]->app_id, "app-etl");
}

}  // namespace
}  // namespace prometheus::loop

#include "prometheus/loop/jobs.h"

#include <gtest/gtest.h>

namespace prometheus::loop {
namespace {

lake::StoredApplication App(std::string id, std::string name, int64_t start, int64_t duration_ms,
                            std::optional<int64_t> job_id = std::nullopt) {
  lake::StoredApplication app;
  app.app_id = std::move(id);
  app.app_name = std::move(name);
  app.job_id = job_id;
  app.start_time.value = start;
  app.duration_ms = duration_ms;
  app.task_time_ms = duration_ms * 4;
  app.status = "complete";
  return app;
}

TEST(Jobs, ADatabricksJobIsItsIdElseTheNameAndEntryPoint) {
  EXPECT_EQ(DatabricksJob(42).slug, "job-42");
  EXPECT_EQ(DatabricksJob(42).label, "Databricks job 42");
  JobKey named = NamedJob("Nightly ETL", "/Repos/data/jobs/etl_orders.py");
  EXPECT_EQ(named.slug, "nightly-etl-etl-orders");
  EXPECT_EQ(named.label, "Nightly ETL (/Repos/data/jobs/etl_orders.py)");
  EXPECT_EQ(NamedJob("etl", "jobs/etl.py").slug, "etl");  // the stem is the name
  EXPECT_EQ(NamedJob("", "").slug, "app");
  EXPECT_LE(NamedJob(std::string(100, 'x'), "").slug.size(), 48u);

  std::vector<lake::StoredApplication> apps = {App("a1", "etl", 1, 10), App("d1", "etl", 2, 10, 7)};
  Applications by_app = ByAppId(apps);
  lake::StoredRecommendation on_local;
  on_local.app_id = "a1";
  on_local.entry_point = "jobs/etl.py";
  EXPECT_EQ(JobOf(on_local, by_app).label, "etl (jobs/etl.py)");
  lake::StoredRecommendation on_databricks;
  on_databricks.app_id = "d1";  // the job id comes from the application
  EXPECT_EQ(JobOf(on_databricks, by_app).slug, "job-7");
}

TEST(Jobs, RunsOfAJobAreItsCompleteApplicationsOldestFirst) {
  std::vector<lake::StoredApplication> apps = {
      App("a3", "etl", 300, 30), App("a1", "etl", 100, 10), App("b1", "other", 50, 5),
      App("d1", "etl", 200, 20, 9), App("a2", "etl", 200, 20), App("e1", "etl", 400, 40)};
  apps.back().status = "in_progress";
  std::map<std::string, std::string> entry_points = {{"a2", "jobs/etl.py"}, {"a3", "jobs/other.py"}};
  auto runs = RunsOf(NamedJob("etl", "jobs/etl.py"), apps, entry_points);
  std::vector<std::string> ids;
  for (const auto* run : runs) ids.push_back(run->app_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"a1", "a2"}));  // a3 names another entry point
  auto databricks = RunsOf(DatabricksJob(9), apps, entry_points);
  ASSERT_EQ(databricks.size(), 1u);
  EXPECT_EQ(databricks[0]->app_id, "d1");
}

TEST(Jobs, MediansAndSpread) {
  EXPECT_EQ(Median({3, 1, 2}), 2);
  EXPECT_EQ(Median({4, 1, 2, 3}), 2.5);
  EXPECT_EQ(Median({}), 0);
  EXPECT_EQ(RelativeSpread({10}), 0);
  EXPECT_EQ(RelativeSpread({10, 10, 10}), 0);
  // Median 10, deviations {1, 0, 1}: MAD 1, 1.4826 / 10.
  EXPECT_NEAR(RelativeSpread({9, 10, 11}), 0.14826, 1e-9);
  std::vector<lake::StoredApplication> apps = {App("a", "x", 1, 1000), App("b", "x", 2, 3000),
                                               App("c", "x", 3, 2000)};
  apps[0].estimated_list_cost = 1.5;
  apps[0].cost_currency = "USD";
  Figures figures = MedianFigures({&apps[0], &apps[1], &apps[2]});
  EXPECT_EQ(figures.runs, 3u);
  EXPECT_EQ(figures.duration_s, 2);
  EXPECT_EQ(figures.task_time_s, 8);
  EXPECT_EQ(figures.cost, 1.5);
  EXPECT_EQ(figures.currency, "USD");
}

}  // namespace
}  // namespace prometheus::loop

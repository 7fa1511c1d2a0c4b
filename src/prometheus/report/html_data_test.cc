// The HTML report's data: jobs ranked with trends thinned to their limit,
// recommendations by impact, drill-downs; and a workspace of 10,000 runs
// stays well under 10 MB.
#include "prometheus/report/html_data.h"

#include <gtest/gtest.h>

#include "prometheus/report/html_report.h"

namespace prometheus::report {
namespace {

lake::StoredApplication Stored(const std::string& name, int64_t start, int64_t duration_ms,
                            double core_seconds) {
  lake::StoredApplication app;
  app.app_id = name + "-" + std::to_string(start);
  app.app_name = name;
  app.start_time.value = start;
  app.duration_ms = duration_ms;
  app.task_time_ms = duration_ms * 2;
  app.core_seconds_available = core_seconds;
  return app;
}

TEST(BuildReportData, JobsRankByCoreHoursWithTheirTrendsInTimeOrder) {
  ReportInput input;
  input.core_hour_price = 2.0;
  input.applications = {Stored("small", 30, 1000, 3600), Stored("big", 20, 5000, 36000),
                        Stored("small", 10, 3000, 7200)};
  auto data = BuildReportData(input);
  ASSERT_EQ(data["jobs"].size(), 2u);
  EXPECT_EQ(data["jobs"][0]["key"], "big");
  const auto& small = data["jobs"][1];
  EXPECT_EQ(small["runs"], 2);
  EXPECT_EQ(small["total_ms"], 4000);
  EXPECT_DOUBLE_EQ(small["core_hours"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(small["cost"].get<double>(), 6.0);  // core-hours at the price
  EXPECT_EQ(small["trend"]["cost"], nlohmann::ordered_json({4.0, 2.0}));
  EXPECT_EQ(small["last_app_id"], "small-30");
  EXPECT_EQ(small["trend"]["t"], nlohmann::ordered_json({10, 30}));
  EXPECT_EQ(small["trend"]["duration_ms"], nlohmann::ordered_json({3000, 1000}));
  EXPECT_EQ(data["totals"]["runs"], 3);
  // One drill-down per job, its latest run, the costliest job first.
  ASSERT_EQ(data["apps"].size(), 2u);
  EXPECT_EQ(data["apps"][0]["app_id"], "big-20");
  EXPECT_EQ(data["apps"][1]["app_id"], "small-30");
}

TEST(BuildReportData, ManyRunsAreAveragedIntoBuckets) {
  ReportInput input;
  for (int i = 0; i < 1000; ++i) input.applications.push_back(Stored("job", i, i, 1));
  ReportLimits limits;
  limits.trend_points = 10;
  auto trend = BuildReportData(input, limits)["jobs"][0]["trend"];
  ASSERT_EQ(trend["t"].size(), 10u);
  EXPECT_TRUE(trend["bucketed"].get<bool>());
  EXPECT_EQ(trend["duration_ms"][0], 49);  // the mean of 0..99, truncated
  EXPECT_EQ(trend["app_id"][0], nullptr);
}

TEST(BuildReportData, RecommendationsComeByImpactWithEvidenceParsed) {
  ReportInput input;
  lake::StoredRecommendation low, high;
  low.recommendation_id = "a";
  low.impact_task_seconds = 5;
  low.evidence = R"({"x":1})";
  low.fix = "null";
  high.recommendation_id = "b";
  high.impact_wall_seconds = 50;
  high.evidence = "not json";
  high.fix = R"({"kind":"conf"})";
  input.recommendations = {low, high};
  auto recs = BuildReportData(input)["recommendations"];
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0]["id"], "b");
  EXPECT_EQ(recs[0]["evidence"], "not json");  // kept as text
  EXPECT_EQ(recs[0]["fix"]["kind"], "conf");
  EXPECT_EQ(recs[1]["evidence"]["x"], 1);
  EXPECT_TRUE(recs[1]["fix"].is_null());
}

TEST(BuildReportData, CostsComeFromTheLakeBeforeTheCoreHourPrice) {
  ReportInput input;
  input.core_hour_price = 1.0;
  // "cheap" holds the most core-hours but its billed cost is the least.
  auto billed = Stored("cheap", 10, 1000, 36000);
  billed.estimated_list_cost = 0.5;
  billed.cost_currency = "USD";
  billed.cost_basis = "billed: system.billing.usage";
  auto estimated = Stored("dear", 20, 1000, 3600);
  estimated.estimated_list_cost = 4.0;
  estimated.cost_currency = "USD";
  estimated.cost_basis = "estimate: 2 x i3.xlarge";
  auto priced = Stored("priced", 30, 1000, 7200);  // 2 core-hours at 1.0
  input.applications = {billed, estimated, priced};
  auto data = BuildReportData(input);
  EXPECT_EQ(data["jobs"][0]["key"], "dear");
  EXPECT_EQ(data["jobs"][1]["key"], "priced");
  EXPECT_EQ(data["jobs"][2]["key"], "cheap");
  EXPECT_DOUBLE_EQ(data["jobs"][2]["cost"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(data["jobs"][1]["cost"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(data["jobs"][0]["trend"]["cost"][0].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(data["totals"]["cost"].get<double>(), 6.5);
  EXPECT_EQ(data["cost"]["billed"], 1);
  EXPECT_EQ(data["cost"]["estimated"], 1);
  EXPECT_EQ(data["cost"]["core_hour_price"], 1);
  EXPECT_EQ(data["cost"]["currency"], "USD");
  // Without a price, a run without a lake cost has none.
  input.core_hour_price.reset();
  data = BuildReportData(input);
  EXPECT_TRUE(data["jobs"][2]["cost"].is_null());
  EXPECT_EQ(data["jobs"][2]["key"], "priced");  // ranked last, costless
  EXPECT_EQ(data["cost"]["none"], 1);
}

TEST(CoreHourPrice, TheGivenPriceElseTheRunsOwnCostPerCoreHour) {
  auto run = Stored("job", 1, 1000, 7200);  // 2 core-hours
  std::string basis;
  EXPECT_FALSE(CoreHourPrice(run, std::nullopt, &basis));
  EXPECT_EQ(basis, "");
  run.estimated_list_cost = 3.0;
  run.cost_basis = "estimate: 1 x m5.large";
  EXPECT_DOUBLE_EQ(*CoreHourPrice(run, std::nullopt, &basis), 1.5);
  EXPECT_NE(basis.find("estimated cost per core-hour"), std::string::npos);
  EXPECT_DOUBLE_EQ(*CoreHourPrice(run, 0.07, &basis), 0.07);
  EXPECT_EQ(basis, "at the given core-hour price");
}

TEST(BuildReportData, MergedFixesMarkTheirJobAndCarryTheirRecommendations) {
  ReportInput input;
  input.applications = {Stored("etl", 10, 1000, 3600), Stored("etl", 30, 700, 3600)};
  lake::StoredRecommendation carried, alone;
  carried.recommendation_id = "r1";
  carried.app_id = "etl-10";
  carried.evidence = carried.fix = "null";
  carried.impact_task_seconds = 2;
  alone.recommendation_id = "r2";
  alone.app_id = "etl-10";
  alone.evidence = alone.fix = "null";
  input.recommendations = {carried, alone};
  LoopPull merged;
  merged.number = 7;
  merged.url = "https://github.com/acme/etl/pull/7";
  merged.state = "merged";
  merged.job = "etl";
  merged.merged_at_ms = 20;
  merged.recommendation_ids = {"r1"};
  merged.diff = "+x = 1\n";
  merged.verdict = "improved";
  merged.changes = {{"duration", 1.0, 0.7, 0.05, false}};
  merged.revert_number = 9;
  merged.revert_state = "open";
  LoopPull open = merged;
  open.number = 8;
  open.state = "open";
  open.merged_at_ms = 0;
  open.recommendation_ids = {};
  open.revert_number = 0;
  input.pulls = {merged, open};
  input.would_fix = {{"r2", "+y = 2\n"}};
  auto data = BuildReportData(input);
  const auto& fixes = data["jobs"][0]["fixes"];
  ASSERT_EQ(fixes.size(), 1u);  // merged ones only
  EXPECT_EQ(fixes[0]["number"], 7);
  EXPECT_EQ(fixes[0]["merged_at"], 20);
  const auto& recs = data["recommendations"];
  EXPECT_EQ(recs[0]["id"], "r1");
  EXPECT_EQ(recs[0]["pull"]["number"], 7);
  EXPECT_EQ(recs[0]["pull"]["diff"], "+x = 1\n");
  EXPECT_TRUE(recs[1]["pull"].is_null());
  EXPECT_EQ(recs[1]["would_fix"], "+y = 2\n");  // what fix would do, not proposed
  EXPECT_TRUE(recs[0]["would_fix"].is_null());
  const auto& pulls = data["loop"]["pulls"];
  ASSERT_EQ(pulls.size(), 2u);
  EXPECT_EQ(pulls[0]["verdict"], "improved");
  EXPECT_DOUBLE_EQ(pulls[0]["changes"][0]["after"].get<double>(), 0.7);
  EXPECT_EQ(pulls[0]["revert"]["number"], 9);
  EXPECT_TRUE(pulls[1]["merged_at"].is_null());
  EXPECT_TRUE(pulls[1]["revert"].is_null());
}

TEST(RenderHtml, DataCannotCloseItsScriptElement) {
  nlohmann::ordered_json data = {{"title", "</script><script>alert(1)</script>"}};
  std::string page = RenderHtml(data);
  EXPECT_EQ(page.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(page.find("\\u003c/script>\\u003cscript>alert(1)"), std::string::npos);
  EXPECT_NE(page.find("<title>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"),
            std::string::npos);
  // JSON reads the escaped text back as it was.
  std::string json = JsonForScript(data);
  EXPECT_EQ(nlohmann::ordered_json::parse(json), data);
  // Nothing to fetch: no source map, no URL but the policy's.
  EXPECT_EQ(page.find("sourceMappingURL"), std::string::npos);
  EXPECT_NE(page.find("default-src 'none'"), std::string::npos);
  EXPECT_NE(page.find("Chart.js"), std::string::npos);
}

TEST(RenderHtml, TenThousandRunsStayUnderTenMegabytes) {
  ReportInput input;
  for (int i = 0; i < 10000; ++i) {
    lake::StoredApplication run = Stored("job-" + std::to_string(i % 200), i * 3600000LL, 60000 + i, 7200);
    input.applications.push_back(run);
    for (int s = 0; s < 20; ++s) {
      kpi::StageKpis stage;
      stage.app_id = run.app_id;
      stage.stage_id = s;
      stage.stage_name = "stage at job.py:" + std::to_string(s);
      stage.submission_time = run.start_time.value.value() + s * 1000;
      stage.completion_time = *stage.submission_time + 900;
      stage.task_duration_ms_min = 10;
      stage.task_duration_ms_max = 900;
      input.stages.push_back(stage);
    }
    lake::StoredRecommendation rec;
    rec.recommendation_id = std::to_string(i);
    rec.app_id = run.app_id;
    rec.message = std::string(300, 'm');
    rec.evidence = R"({"idle_ratio":0.9})";
    rec.fix = "null";
    rec.impact_task_seconds = i;
    input.recommendations.push_back(rec);
  }
  std::string page = RenderHtml(BuildReportData(input));
  EXPECT_LT(page.size(), 10u << 20);
  auto data = BuildReportData(input);
  EXPECT_EQ(data["jobs"].size(), 200u);
  EXPECT_EQ(data["apps"].size(), ReportLimits{}.drilldowns);
  EXPECT_EQ(data["recommendations"].size(), ReportLimits{}.recommendations);
  EXPECT_EQ(data["totals"]["recommendations"], 10000);
}

}  // namespace
}  // namespace prometheus::report

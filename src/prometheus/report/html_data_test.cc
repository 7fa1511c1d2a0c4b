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
  EXPECT_DOUBLE_EQ(small["cost"].get<double>(), 6.0);
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

#include "prometheus/lake/readers.h"

#include <gtest/gtest.h>

#include "prometheus/lake/internal/record_columns.h"
#include "prometheus/lake/tables.h"
#include "prometheus/parquet/internal/parquet_testing.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::lake {
namespace {

using parquet::internal::TableDifference;

kpi::Analysis AnalyzeSample(const std::string& name) {
  return testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/" + name));
}

// The rows a typed reader gave, written back as a table.
template <typename Record>
parquet::Table Rewritten(const parquet::Schema& schema, const std::vector<Record>& records) {
  parquet::Table table = parquet::MakeTable(schema);
  for (const Record& record : records) internal::AppendRecord(table, record);
  return table;
}

TEST(LakeReaders, AnEmptyLakeReadsAsNoTableYet) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  auto apps = ReadApplications(lake);
  ASSERT_TRUE(apps.has_value()) << apps.error().message;
  EXPECT_EQ(apps->version, -1);
  EXPECT_TRUE(apps->rows.empty());
}

TEST(LakeReaders, ApplicationsAndStageRowsReadBackAsWritten) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  kpi::Analysis analysis = AnalyzeSample("app-20200706201101-0003");
  ASSERT_TRUE(lake.Ingest({{&analysis, "fingerprint-1"}}, 1700000000000).has_value());

  auto apps = ReadApplications(lake);
  ASSERT_TRUE(apps.has_value()) << apps.error().message;
  EXPECT_EQ(apps->version, 0);
  ASSERT_EQ(apps->rows.size(), 1u);
  const StoredApplication& app = apps->rows[0];
  EXPECT_EQ(app.app_id, analysis.log.application.app_id);
  EXPECT_EQ(app.fingerprint, "fingerprint-1");
  EXPECT_EQ(app.ingested_at.value, 1700000000000);
  EXPECT_EQ(app.start_time.value, analysis.log.application.start_time);
  EXPECT_EQ(TableDifference(ApplicationRow(analysis, "fingerprint-1", 1700000000000),
                            Rewritten(ApplicationsSchema(), apps->rows)),
            "");

  auto stages = ReadStageRows(lake);
  ASSERT_TRUE(stages.has_value()) << stages.error().message;
  ASSERT_EQ(stages->rows.size(), analysis.stages.size());
  EXPECT_EQ(TableDifference(MetricsRows(analysis), Rewritten(MetricsSchema(), stages->rows)), "");
}

TEST(LakeReaders, RecommendationsReadBackWithTheirFixAsJson) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  kpi::Analysis analysis = AnalyzeSample("app-20200706201101-0003");
  rules::Recommendation r;
  r.rule = "some_rule";
  r.severity = rules::Severity::kHigh;
  r.scope.app_id = analysis.log.application.app_id;
  r.scope.stage_ids = {3, 4};
  r.message = "do this";
  r.fix = fix::Fix{fix::Conf{"spark.sql.shuffle.partitions", "64"}};
  r.scope.entry_point = "/Repos/u/etl/daily";
  r.scope.call_sites = {{"command-123", 4}};
  rules::AssignStableId(r);
  std::vector<rules::Recommendation> found = {r};
  ASSERT_TRUE(lake.IngestRecommendations({{&analysis, &found, "f"}}, false, 1700000000000));

  auto stored = ReadRecommendations(lake);
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  ASSERT_EQ(stored->rows.size(), 1u);
  const StoredRecommendation& row = stored->rows[0];
  EXPECT_EQ(row.recommendation_id, r.id);
  EXPECT_EQ(row.severity, "high");
  EXPECT_EQ(row.stage_ids, "[3,4]");
  EXPECT_EQ(row.fix, rules::FixJson(r).dump());
  EXPECT_FALSE(row.app_attempt_id.has_value());
  EXPECT_EQ(row.created_at.value, 1700000000000);
  // Where the job lives, for `fix --store` to put a setting in its file.
  EXPECT_EQ(row.entry_point, "/Repos/u/etl/daily");
  EXPECT_EQ(row.call_sites, R"([{"file":"command-123","line":4}])");
  EXPECT_EQ(TableDifference(RecommendationRows(found, 1700000000000),
                            Rewritten(RecommendationsSchema(), stored->rows)),
            "");
}

}  // namespace
}  // namespace prometheus::lake

#include "prometheus/lake/tables.h"

#include <gtest/gtest.h>

#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"

namespace prometheus::lake {
namespace {

using parquet::Table;

TEST(LakeTables, AnApplicationKeyIsItsIdAndAttempt) {
  EXPECT_EQ(AppKey("app-1", "2"), "app-1#2");
  EXPECT_EQ(AppKey("local-1", ""), "local-1#");
}

TEST(LakeTables, EachTableHasItsSchemaAndNoOtherNameHasOne) {
  EXPECT_EQ(TableSchema(kMetricsTable), &MetricsSchema());
  EXPECT_EQ(TableSchema(kApplicationsTable), &ApplicationsSchema());
  EXPECT_EQ(TableSchema(kRecommendationsTable), &RecommendationsSchema());
  EXPECT_EQ(TableSchema("prometheus_other"), nullptr);
  EXPECT_EQ(ApplicationsSchema().front().name, "app_id");
  // The Databricks run's and the cost's columns come last, after those of
  // earlier releases.
  EXPECT_EQ(ApplicationsSchema().back().name, "entry_point");
  EXPECT_EQ(ApplicationsSchema()[ApplicationsSchema().size() - 13].name, "ingested_at");
  EXPECT_EQ(ApplicationsSchema()[ApplicationsSchema().size() - 13].type, parquet::ColumnType::kTimestamp);
}

TEST(LakeTables, AnApplicationRowSaysWhetherItsLogIsComplete) {
  kpi::Analysis analysis =
      testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  EXPECT_EQ(ApplicationStatus(analysis), "complete");
  analysis.log.input.in_progress = true;
  EXPECT_EQ(ApplicationStatus(analysis), "in_progress");
  parquet::Table row = ApplicationRow(analysis, "f", 5);
  ASSERT_EQ(row.num_rows(), 1u);
  EXPECT_EQ(row.Get(*row.ColumnIndex("status"), 0), parquet::Value(std::string("in_progress")));
  EXPECT_EQ(row.Get(*row.ColumnIndex("ingested_at"), 0), parquet::Value(int64_t{5000}));
}

TEST(LakeTables, AnApplicationRowNamesWhereTheJobsCodeStarts) {
  kpi::Analysis analysis =
      testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  parquet::Table row = ApplicationRow(analysis, "f", 5);
  EXPECT_EQ(row.Get(*row.ColumnIndex("entry_point"), 0), parquet::Value(std::monostate{}));
  analysis.log.application.java_command =
      "org.apache.spark.deploy.SparkSubmit --master local[2] jobs/etl.py --day 2026-12-07";
  row = ApplicationRow(analysis, "f", 5);
  EXPECT_EQ(row.Get(*row.ColumnIndex("entry_point"), 0), parquet::Value(std::string("jobs/etl.py")));
}

TEST(LakeTables, ALogsPathIsStoredAbsoluteAndNormalised) {
  const std::string cwd = std::filesystem::current_path().lexically_normal().string();
  EXPECT_EQ(StoredSourcePath("logs/./in/../app-1"), cwd + "/logs/app-1");
  EXPECT_EQ(StoredSourcePath("/var/log//spark-events/app-1"), "/var/log/spark-events/app-1");
  EXPECT_EQ(StoredSourcePath("dbfs:/cluster-logs/x"), cwd + "/dbfs:/cluster-logs/x");
  EXPECT_EQ(StoredSourcePath("s3://bucket/logs/app-1"), "s3://bucket/logs/app-1");

  // Relative inputs are stored as absolute paths in the applications table.
  const std::string log = testing::RepoPath("testdata/eventlogs/local-1422981780767");
  const std::filesystem::path relative = std::filesystem::relative(log);
  ASSERT_TRUE(relative.is_relative());
  kpi::Analysis analysis = testing::AnalyzeLog(relative.string());
  parquet::Table row = ApplicationRow(analysis, "f", 5);
  const std::string stored = std::get<std::string>(row.Get(*row.ColumnIndex("source_paths"), 0));
  EXPECT_TRUE(std::filesystem::path(stored).is_absolute()) << stored;
  EXPECT_TRUE(std::filesystem::equivalent(stored, log)) << stored;
}

TEST(LakeTables, ARunKeepsItsOwnStagesWhenTheLogSaysWhichAreItsElseAllWithANote) {
  kpi::Analysis analysis =
      testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  ASSERT_GE(analysis.stages.size(), 2u);
  RunTag run{.job_id = 5, .run_id = 700, .task_key = "t", .task_run_id = 701};
  Table whole = MetricsRows(analysis, &run);
  EXPECT_EQ(whole.num_rows(), analysis.stages.size());
  Table app = ApplicationRow(analysis, "fp", 0, &run);
  auto scope = [&](const Table& t) { return t.columns[*t.ColumnIndex("run_scope")].strings.at(0); };
  EXPECT_TRUE(scope(app).starts_with("the whole application")) << scope(app);

  analysis.stages[1].run_id = 701;  // the log names the task run on one stage's job
  Table own = MetricsRows(analysis, &run);
  EXPECT_EQ(own.num_rows(), 1u);
  Table tagged = ApplicationRow(analysis, "fp", 0, &run);
  EXPECT_TRUE(scope(tagged).starts_with("the run's own Spark jobs")) << scope(tagged);
}

}  // namespace
}  // namespace prometheus::lake

// RenderCsv: the contract header, one row per stage attempt, RFC 4180 quoting.
#include "prometheus/report/csv_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "prometheus/io/event_log_files.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/model/load_event_log.h"
#include "prometheus/report/format.h"
#include "prometheus/testing/csv.h"
#include "prometheus/testing/paths.h"

namespace prometheus::report {
namespace {

using ::testing::ElementsAreArray;

using Record = testing::CsvRecord;
using testing::ParseCsv;

std::string JoinedColumns() {
  std::string header;
  for (const auto& column : kpi::StageKpiColumns()) {
    if (!header.empty()) header += ',';
    header += column;
  }
  return header;
}

size_t ColumnIndex(const std::string& name) {
  const auto& columns = kpi::StageKpiColumns();
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

kpi::Analysis AnalyzeShared(const std::string& relative) {
  auto inputs = io::FindEventLogs({testing::SharedEventLog(relative)});
  EXPECT_TRUE(inputs.has_value()) << inputs.error().message;
  if (!inputs || inputs->inputs.empty()) return {};
  auto log = model::LoadEventLog(inputs->inputs.front());
  EXPECT_TRUE(log.has_value()) << log.error().message;
  if (!log) return {};
  return kpi::Analyze(std::move(*log), 1700000000000);
}

TEST(RenderCsvTest, HeaderIsContractColumnsInOrder) {
  std::string csv = RenderCsv({});
  EXPECT_EQ(csv, JoinedColumns() + "\n");
}

TEST(RenderCsvTest, RealLogOneRowPerStage) {
  std::vector<kpi::Analysis> analyses;
  analyses.push_back(AnalyzeShared(std::string(testing::kSparkEvents) +
                                   "app-20200706201101-0003"));
  const kpi::Analysis& analysis = analyses.front();
  ASSERT_EQ(analysis.stages.size(), 3u);
  std::string csv = RenderCsv(analyses);
  ASSERT_EQ(csv.substr(0, csv.find('\n')), JoinedColumns());

  std::vector<Record> records = ParseCsv(csv);
  ASSERT_EQ(records.size(), 1 + analysis.stages.size());
  EXPECT_THAT(records[0], ElementsAreArray(kpi::StageKpiColumns()));
  for (size_t r = 1; r < records.size(); ++r) {
    const Record& row = records[r];
    const kpi::StageKpis& stage = analysis.stages[r - 1];
    ASSERT_EQ(row.size(), kpi::StageKpiColumns().size()) << "row " << r;
    EXPECT_EQ(row[ColumnIndex("app_id")], "app-20200706201101-0003");
    EXPECT_EQ(row[ColumnIndex("run_id")], "");  // null: empty cell
    EXPECT_EQ(row[ColumnIndex("stage_id")], std::to_string(stage.stage_id));
    EXPECT_EQ(row[ColumnIndex("stage_name")], stage.stage_name);
    EXPECT_EQ(row[ColumnIndex("status")], "COMPLETE");
    EXPECT_EQ(row[ColumnIndex("num_tasks")], "16");
    EXPECT_EQ(row[ColumnIndex("num_completed_tasks")],
              std::to_string(stage.num_completed_tasks));
    ASSERT_TRUE(stage.submission_time.has_value());
    EXPECT_EQ(row[ColumnIndex("submission_time")],
              FormatTimestamp(*stage.submission_time));
    EXPECT_EQ(row[ColumnIndex("collected_at")], "2023-11-14T22:13:20.000Z");
    EXPECT_EQ(row[ColumnIndex("broadcast_miss_flag")],
              stage.broadcast_miss_flag ? "true" : "false");
  }
  EXPECT_EQ(records[3][ColumnIndex("stage_name")], "foreach at <console>:26");
}

TEST(RenderCsvTest, RowsOfEveryAnalysisInOrder) {
  std::vector<kpi::Analysis> analyses;
  analyses.push_back(AnalyzeShared(std::string(testing::kSparkEvents) +
                                   "app-20200706201101-0003"));
  analyses.push_back(AnalyzeShared(std::string(testing::kSparkEvents) +
                                   "local-1422981780767"));
  size_t stages = analyses[0].stages.size() + analyses[1].stages.size();
  ASSERT_GT(analyses[1].stages.size(), 0u);
  std::vector<Record> records = ParseCsv(RenderCsv(analyses));
  ASSERT_EQ(records.size(), 1 + stages);
  EXPECT_EQ(records[1][ColumnIndex("app_id")], "app-20200706201101-0003");
  EXPECT_EQ(records.back()[ColumnIndex("app_id")], "local-1422981780767");
}

kpi::Analysis HandMadeAnalysis(std::vector<std::string> stage_names) {
  kpi::Analysis analysis;
  int64_t id = 0;
  for (auto& name : stage_names) {
    kpi::StageKpis row;
    row.app_id = "app-1";
    row.app_attempt_id = "1";
    row.run_id = 77;
    row.stage_id = id++;
    row.stage_name = std::move(name);
    row.status = "COMPLETE";
    row.num_tasks = 4;
    row.submission_time = 0;
    row.max_task_skew_ratio = 1.5;
    row.broadcast_miss_flag = true;
    analysis.stages.push_back(std::move(row));
  }
  return analysis;
}

TEST(RenderCsvTest, QuotesFieldsWithCommasQuotesAndNewlines) {
  std::vector<kpi::Analysis> analyses;
  analyses.push_back(
      HandMadeAnalysis({"plain name", "map at a.scala:1, then reduce",
                        "say \"hi\"", "two\nlines", "cr\rhere"}));
  std::string csv = RenderCsv(analyses);
  EXPECT_EQ(csv.find("null"), std::string::npos);  // nulls are empty cells
  EXPECT_NE(csv.find(",plain name,"), std::string::npos);
  EXPECT_NE(csv.find(",\"map at a.scala:1, then reduce\","), std::string::npos);
  EXPECT_NE(csv.find(",\"say \"\"hi\"\"\","), std::string::npos);
  EXPECT_NE(csv.find(",\"two\nlines\","), std::string::npos);
  EXPECT_NE(csv.find(",\"cr\rhere\","), std::string::npos);

  std::vector<Record> records = ParseCsv(csv);
  ASSERT_EQ(records.size(), 6u);
  const std::vector<std::string> want = {
      "plain name", "map at a.scala:1, then reduce", "say \"hi\"", "two\nlines",
      "cr\rhere"};
  for (size_t i = 0; i < want.size(); ++i) {
    ASSERT_EQ(records[i + 1].size(), kpi::StageKpiColumns().size());
    EXPECT_EQ(records[i + 1][ColumnIndex("stage_name")], want[i]);
    EXPECT_EQ(records[i + 1][ColumnIndex("stage_id")], std::to_string(i));
  }
}

TEST(RenderCsvTest, CellTextForTypedValues) {
  std::vector<kpi::Analysis> analyses;
  analyses.push_back(HandMadeAnalysis({"s"}));
  std::vector<Record> records = ParseCsv(RenderCsv(analyses));
  ASSERT_EQ(records.size(), 2u);
  const Record& row = records[1];
  EXPECT_EQ(row[ColumnIndex("run_id")], "77");
  EXPECT_EQ(row[ColumnIndex("job_id")], "");
  EXPECT_EQ(row[ColumnIndex("app_attempt_id")], "1");
  EXPECT_EQ(row[ColumnIndex("submission_time")], "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(row[ColumnIndex("completion_time")], "");
  EXPECT_EQ(row[ColumnIndex("duration_ms")], "");
  EXPECT_EQ(row[ColumnIndex("max_task_skew_ratio")], "1.5");
  EXPECT_EQ(row[ColumnIndex("broadcast_miss_flag")], "true");
  EXPECT_EQ(row[ColumnIndex("executor_run_time_ms")], "0");
}

}  // namespace
}  // namespace prometheus::report

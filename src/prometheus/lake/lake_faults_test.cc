// Faults injected through the FileSystem: a write that fails at any step of
// an ingest leaves every table readable and the table it was writing as it
// was, with an error naming the file; a lost commit race is retried.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "prometheus/lake/lake.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/parquet/internal/parquet_testing.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/fake_file_system.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::lake {
namespace {

namespace fs = std::filesystem;
using Fault = testing::FakeFileSystem::Fault;
using ::testing::HasSubstr;

kpi::Analysis AnalyzeSample(const std::string& name) {
  return testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/" + name));
}

// The table a created file belongs to: its folder, or the folder above the
// log for a commit.
std::string TableOf(const fs::path& file) {
  fs::path folder = file.parent_path();
  if (folder.filename() == "_delta_log") folder = folder.parent_path();
  return folder.filename().string();
}

void ExpectSameTable(const Lake& lake, std::string_view name,
                     const TableRead<parquet::Table>& before) {
  auto after = ReadTable(lake, name);
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_EQ(after->version, before.version) << name;
  EXPECT_EQ(parquet::internal::TableDifference(before.rows, after->rows), "") << name;
}

// Ingests `second` onto a lake that is empty or holds `first`, the `step`th
// new file failing with `fault`; then again without faults.
void IngestFailingAt(int step, Fault fault, const kpi::Analysis* first,
                     const kpi::Analysis& second) {
  testing::TempDir tmp;
  testing::FakeFileSystem file_system;
  Lake lake(tmp.path(), {}, file_system);
  if (first) ASSERT_TRUE(lake.Ingest({{first, "f1"}}, 1).has_value());
  std::map<std::string_view, TableRead<parquet::Table>> before;
  for (auto name : {kMetricsTable, kApplicationsTable}) {
    auto read = ReadTable(lake, name);
    ASSERT_TRUE(read.has_value()) << read.error().message;
    before[name] = std::move(*read);
  }
  const size_t created_before = file_system.created().size();

  file_system.FailNewFile(step, fault);
  auto stats = lake.Ingest({{&second, "f2"}}, 2);
  ASSERT_FALSE(stats.has_value());
  ASSERT_GT(file_system.created().size(), created_before + step);
  const fs::path failed = file_system.created()[created_before + step];
  EXPECT_EQ(failed.extension(), step % 2 == 0 ? ".parquet" : ".json");
  EXPECT_THAT(stats.error().message, HasSubstr(failed.string()));
  EXPECT_EQ(stats.error().code, ErrorCode::kIo);
  ExpectSameTable(lake, TableOf(failed), before[TableOf(failed)]);

  // Both tables stay readable, and the next run completes the batch.
  auto again = lake.Ingest({{&second, "f2"}}, 3);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  auto apps = ReadApplications(lake);
  ASSERT_TRUE(apps.has_value()) << apps.error().message;
  EXPECT_EQ(apps->rows.size(), first ? 2u : 1u);
  auto stages = ReadStageRows(lake);
  ASSERT_TRUE(stages.has_value()) << stages.error().message;
  EXPECT_EQ(stages->rows.size(), second.stages.size() + (first ? first->stages.size() : 0));
}

TEST(LakeFaults, AWriteThatFailsAtAnyStepLeavesTheTableAsItWas) {
  const kpi::Analysis first = AnalyzeSample("local-1422981780767");
  const kpi::Analysis second = AnalyzeSample("app-20200706201101-0003");
  for (const kpi::Analysis* stored : {static_cast<const kpi::Analysis*>(nullptr), &first}) {
    for (Fault fault : {Fault::kNoSpace, Fault::kShortWrite, Fault::kIoError}) {
      for (int step = 0; step < 4; ++step) {  // per table: its data file, then its commit
        SCOPED_TRACE(::testing::Message() << (stored ? "a lake with one application" : "a new lake")
                                          << ", step " << step << ", fault "
                                          << static_cast<int>(fault));
        IngestFailingAt(step, fault, stored, second);
      }
    }
  }
}

TEST(LakeFaults, ALostCommitRaceIsRetriedOnTheNewState) {
  const kpi::Analysis analysis = AnalyzeSample("local-1422981780767");
  testing::TempDir tmp;
  testing::FakeFileSystem file_system;
  Lake lake(tmp.path(), {}, file_system);
  file_system.FailNewFile(1, Fault::kLostRace);  // the metrics table's commit
  auto stats = lake.Ingest({{&analysis, "f"}}, 1);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->conflicts, 1);
  EXPECT_EQ(stats->appended, 1);
  // The data file written before the lost race is committed on the retry.
  size_t data_files = 0;
  for (const fs::path& file : file_system.created()) data_files += file.extension() == ".parquet";
  EXPECT_EQ(data_files, 2u);  // one per table
  auto metrics = ReadTable(lake, kMetricsTable);
  ASSERT_TRUE(metrics.has_value()) << metrics.error().message;
  EXPECT_EQ(metrics->version, 0);
  EXPECT_EQ(metrics->rows.num_rows(), analysis.stages.size());
}

}  // namespace
}  // namespace prometheus::lake

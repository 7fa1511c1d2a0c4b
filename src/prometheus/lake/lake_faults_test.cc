// Faults injected through the FileSystem: a write that fails at any step of
// an ingest (observe's, recommend's) or of an optimize leaves every table
// readable and the table it was writing as it was, with an error naming the
// file, and a rerun completes; a lost commit race is retried.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "prometheus/lake/lake.h"
#include "prometheus/lake/optimize.h"
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

constexpr Fault kWriteFaults[] = {Fault::kNoSpace, Fault::kShortWrite, Fault::kIoError};

// recommend's write: the recommendations table's data file (step 0), then its
// commit (step 1), on a table that holds another application's rows.
TEST(LakeFaults, ARecommendWriteThatFailsAtAnyStepLeavesTheTableAsItWas) {
  const kpi::Analysis first = AnalyzeSample("local-1422981780767");
  const kpi::Analysis second = AnalyzeSample("app-20200706201101-0003");
  rules::Recommendation found;
  found.id = "r1";
  found.rule = "skew";
  found.message = "stage 1 is skewed";
  const std::vector<rules::Recommendation> recommendations = {found};
  for (Fault fault : kWriteFaults) {
    for (int step = 0; step < 2; ++step) {
      SCOPED_TRACE(::testing::Message() << "step " << step << ", fault "
                                        << static_cast<int>(fault));
      testing::TempDir tmp;
      testing::FakeFileSystem file_system;
      Lake lake(tmp.path(), {}, file_system);
      ASSERT_TRUE(
          lake.IngestRecommendations({{&first, &recommendations, "f1"}}, false, 1).has_value());
      auto before = ReadTable(lake, kRecommendationsTable);
      ASSERT_TRUE(before.has_value()) << before.error().message;
      const size_t created_before = file_system.created().size();
      file_system.FailNewFile(step, fault);
      auto stats = lake.IngestRecommendations({{&second, &recommendations, "f2"}}, false, 2);
      ASSERT_FALSE(stats.has_value());
      ASSERT_GT(file_system.created().size(), created_before + step);
      const fs::path failed = file_system.created()[created_before + step];
      EXPECT_EQ(failed.extension(), step == 0 ? ".parquet" : ".json");
      EXPECT_THAT(stats.error().message, HasSubstr(failed.string()));
      EXPECT_EQ(stats.error().code, ErrorCode::kIo);
      ExpectSameTable(lake, kRecommendationsTable, *before);
      auto again = lake.IngestRecommendations({{&second, &recommendations, "f2"}}, false, 3);
      ASSERT_TRUE(again.has_value()) << again.error().message;
      auto stored = ReadRecommendations(lake);
      ASSERT_TRUE(stored.has_value()) << stored.error().message;
      EXPECT_EQ(stored->rows.size(), 2u);
    }
  }
}

TEST(LakeFaults, ARecommendCommitThatLosesTheRaceIsRetried) {
  const kpi::Analysis analysis = AnalyzeSample("local-1422981780767");
  rules::Recommendation found;
  found.id = "r1";
  found.rule = "skew";
  const std::vector<rules::Recommendation> recommendations = {found};
  testing::TempDir tmp;
  testing::FakeFileSystem file_system;
  Lake lake(tmp.path(), {}, file_system);
  file_system.FailNewFile(1, Fault::kLostRace);  // the commit
  auto stats = lake.IngestRecommendations({{&analysis, &recommendations, "f"}}, false, 1);
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->conflicts, 1);
  auto stored = ReadRecommendations(lake);
  ASSERT_TRUE(stored.has_value()) << stored.error().message;
  EXPECT_EQ(stored->version, 0);
  EXPECT_EQ(stored->rows.size(), 1u);
}

// optimize's writes: the compacted file (step 0), the commit (step 1), then
// the checkpoint written at once (step 2), which is best effort: the
// optimize stands without it.
TEST(LakeFaults, AnOptimizeThatFailsAtAnyStepLeavesTheTableAsItWas) {
  kpi::Analysis sample = AnalyzeSample("local-1422981780767");
  std::vector<kpi::Analysis> apps(3, sample);
  for (size_t i = 0; i < apps.size(); ++i) {
    apps[i].log.application.app_id = "local-fault-" + std::to_string(i);
  }
  for (Fault fault : kWriteFaults) {
    for (int step = 0; step < 3; ++step) {
      SCOPED_TRACE(::testing::Message() << "step " << step << ", fault "
                                        << static_cast<int>(fault));
      testing::TempDir tmp;
      testing::FakeFileSystem file_system;
      Lake lake(tmp.path(), {}, file_system);
      for (size_t i = 0; i < apps.size(); ++i) {  // one file each
        ASSERT_TRUE(lake.Ingest({{&apps[i], "f" + std::to_string(i)}}, 1 + i).has_value());
      }
      auto before = ReadTable(lake, kMetricsTable);
      ASSERT_TRUE(before.has_value()) << before.error().message;
      const size_t created_before = file_system.created().size();
      file_system.FailNewFile(step, fault);
      auto optimized = OptimizeTable(lake, kMetricsTable, {.now_ms = 10});
      ASSERT_GT(file_system.created().size(), created_before + step);
      const fs::path failed = file_system.created()[created_before + step];
      if (step < 2) {
        ASSERT_FALSE(optimized.has_value());
        EXPECT_EQ(failed.extension(), step == 0 ? ".parquet" : ".json");
        EXPECT_THAT(optimized.error().message, HasSubstr(failed.string()));
        EXPECT_EQ(optimized.error().code, ErrorCode::kIo);
        ExpectSameTable(lake, kMetricsTable, *before);
        // Nothing written is left behind: only the three observed files.
        size_t data_files = 0;
        for (const auto& entry : fs::directory_iterator(tmp.path() / std::string(kMetricsTable))) {
          data_files += entry.path().extension() == ".parquet";
        }
        EXPECT_EQ(data_files, 3u);
      } else {
        ASSERT_TRUE(optimized.has_value()) << optimized.error().message;
        EXPECT_THAT(failed.string(), HasSubstr(".checkpoint.parquet"));
        EXPECT_FALSE(fs::exists(failed));
      }
      auto again = OptimizeTable(lake, kMetricsTable, {.now_ms = 20});
      ASSERT_TRUE(again.has_value()) << again.error().message;
      auto after = ReadTable(lake, kMetricsTable);
      ASSERT_TRUE(after.has_value()) << after.error().message;
      EXPECT_EQ(after->rows.num_rows(), before->rows.num_rows());
      auto snapshot = lake.Table(kMetricsTable).Load();
      ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
      EXPECT_EQ(snapshot->files.size(), 1u);
    }
  }
}

}  // namespace
}  // namespace prometheus::lake

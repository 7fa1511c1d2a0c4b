#include "prometheus/lake/vacuum.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>

#include "prometheus/lake/optimize.h"
#include "prometheus/lake/tables.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::lake {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kDay = 86'400'000;
constexpr int64_t kWeek = 7 * kDay;

int64_t WallNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A lake of `count` applications observed one by one at `now`.
void Observe(const Lake& lake, int count, int64_t now) {
  kpi::Analysis sample =
      testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  for (int i = 0; i < count; ++i) {
    kpi::Analysis app = sample;
    app.log.application.app_id = fmt::format("local-vac-{:03}", i);
    ASSERT_TRUE(lake.Ingest({{&app, fmt::format("f{}", i)}}, now + i).has_value());
  }
}

size_t Rows(const Lake& lake, std::string_view table) {
  auto snapshot = lake.Table(table).Load();
  EXPECT_TRUE(snapshot.has_value()) << snapshot.error().message;
  if (!snapshot) return 0;
  auto data = lake.Table(table).ReadAll(*snapshot);
  EXPECT_TRUE(data.has_value()) << data.error().message;
  return data ? data->num_rows() : 0;
}

TEST(Vacuum, DeletesCompactedFilesOnlyOnceTheRetentionHasPassed) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  const int64_t now = WallNowMs();
  Observe(lake, 5, now);
  ASSERT_TRUE(OptimizeTable(lake, kMetricsTable, {.now_ms = now}).has_value());
  const size_t rows = Rows(lake, kMetricsTable);
  const fs::path root = lake.Table(kMetricsTable).root();

  // A day later the removed files may still be read by yesterday's version.
  auto early = VacuumTable(lake, kMetricsTable, {.retain_ms = kWeek, .now_ms = now + kDay});
  ASSERT_TRUE(early.has_value()) << early.error().message;
  EXPECT_TRUE(early->data_files.empty());

  const int64_t later = now + kWeek + kDay;
  auto dry = VacuumTable(lake, kMetricsTable,
                         {.retain_ms = kWeek, .now_ms = later, .dry_run = true});
  ASSERT_TRUE(dry.has_value()) << dry.error().message;
  EXPECT_EQ(dry->data_files.size(), 5u);
  for (const auto& file : dry->data_files) EXPECT_TRUE(fs::exists(root / file)) << file;

  auto done = VacuumTable(lake, kMetricsTable, {.retain_ms = kWeek, .now_ms = later});
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(done->data_files, dry->data_files);
  EXPECT_GT(done->data_bytes, 0);
  for (const auto& file : done->data_files) EXPECT_FALSE(fs::exists(root / file)) << file;
  EXPECT_EQ(Rows(lake, kMetricsTable), rows);  // the live, compacted file stays
}

TEST(Vacuum, DeletesAnOldUnreferencedFileButNotAYoungOne) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  const int64_t now = WallNowMs();
  Observe(lake, 2, now);
  const fs::path root = lake.Table(kApplicationsTable).root();
  std::ofstream(root / "part-old-orphan.snappy.parquet") << "x";
  std::ofstream(root / "part-young-orphan.snappy.parquet") << "x";
  fs::last_write_time(root / "part-old-orphan.snappy.parquet",
                      fs::last_write_time(root / "part-old-orphan.snappy.parquet") -
                          std::chrono::hours(24 * 10));
  auto done = VacuumTable(lake, kApplicationsTable, {.retain_ms = kWeek, .now_ms = now});
  ASSERT_TRUE(done.has_value()) << done.error().message;
  EXPECT_EQ(done->data_files, std::vector<std::string>{"part-old-orphan.snappy.parquet"});
  EXPECT_TRUE(fs::exists(root / "part-young-orphan.snappy.parquet"));
  EXPECT_EQ(Rows(lake, kApplicationsTable), 2u);
}

TEST(Vacuum, RefusesARetentionShorterThanTheTablesDeletedFileRetention) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  Observe(lake, 1, WallNowMs());
  auto refused = VacuumTable(lake, kMetricsTable, {.retain_ms = kDay, .now_ms = WallNowMs()});
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("delta.deletedFileRetentionDuration"),
            std::string::npos)
      << refused.error().message;
  EXPECT_NE(refused.error().message.find("prometheus_metrics"), std::string::npos);
}

TEST(Vacuum, CleansCommitsOlderThanTheLogRetentionThatPrecedeACheckpoint) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  const int64_t now = WallNowMs();
  Observe(lake, 13, now);  // versions 0..12, a checkpoint at 10
  delta::DeltaTable table = lake.Table(kMetricsTable);
  ASSERT_TRUE(fs::exists(table.log_dir() / "00000000000000000010.checkpoint.parquet"));
  auto before = table.Load();
  ASSERT_TRUE(before.has_value());
  const size_t rows = Rows(lake, kMetricsTable);

  // Within the 30 days of delta.logRetentionDuration: the log stays whole.
  auto recent = VacuumTable(lake, kMetricsTable, {.retain_ms = kWeek, .now_ms = now + 8 * kDay});
  ASSERT_TRUE(recent.has_value()) << recent.error().message;
  EXPECT_TRUE(recent->log_files.empty());

  auto old = VacuumTable(lake, kMetricsTable, {.retain_ms = kWeek, .now_ms = now + 31 * kDay});
  ASSERT_TRUE(old.has_value()) << old.error().message;
  ASSERT_EQ(old->log_files.size(), 10u);
  EXPECT_EQ(old->log_files.front(), delta::CommitFileName(0));
  EXPECT_EQ(old->log_files.back(), delta::CommitFileName(9));
  EXPECT_TRUE(fs::exists(table.log_dir() / delta::CommitFileName(10)));
  auto after = table.Load();
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_EQ(after->version, before->version);
  EXPECT_EQ(after->files.size(), before->files.size());
  EXPECT_EQ(Rows(lake, kMetricsTable), rows);
}

}  // namespace
}  // namespace prometheus::lake

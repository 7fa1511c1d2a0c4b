// A table damaged by hand or by a crash: nothing is written on top of it, and
// what failed or killed writers left behind goes.
#include "prometheus/lake/integrity.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <string>

#include "prometheus/lake/lake.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/fake_file_system.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::lake {
namespace {

namespace fs = std::filesystem;
using Fault = testing::FakeFileSystem::Fault;
using ::testing::HasSubstr;

const kpi::Analysis& Sample(int n) {
  static const kpi::Analysis* samples[] = {
      new kpi::Analysis(testing::AnalyzeLog(
          testing::RepoPath("testdata/eventlogs/app-20200706201101-0003"))),
      new kpi::Analysis(testing::AnalyzeLog(
          testing::RepoPath("testdata/eventlogs/local-1422981780767"))),
      new kpi::Analysis(testing::AnalyzeLog(
          testing::RepoPath("testdata/eventlogs/application_1628109047826_1317105"))),
  };
  return *samples[n];
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::set<std::string> FilesIn(const fs::path& folder) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) names.insert(entry.path().filename().string());
  }
  return names;
}

std::string DataFileOf(const Lake& lake, std::string_view table) {
  auto snapshot = lake.Table(table).Load();
  EXPECT_TRUE(snapshot.has_value());
  return snapshot && !snapshot->files.empty() ? snapshot->files.begin()->first : "";
}

void Write(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

void Age(const fs::path& path, std::chrono::hours age) {
  fs::last_write_time(path, fs::file_time_type::clock::now() - age);
}

TEST(LakeIntegrity, AnEmptyCommitFileMakesTheTableUnreadableAndNothingIsWrittenOnIt) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  ASSERT_TRUE(lake.Ingest({{&Sample(0), "f0"}}, NowMs()).has_value());
  ASSERT_TRUE(lake.Ingest({{&Sample(1), "f1"}}, NowMs()).has_value());
  const fs::path log = lake.Table(kApplicationsTable).log_dir();
  Write(log / "00000000000000000001.json", "");

  auto snapshot = lake.Table(kApplicationsTable).Load();
  ASSERT_FALSE(snapshot.has_value());
  EXPECT_EQ(snapshot.error().code, ErrorCode::kCorrupt);
  EXPECT_THAT(snapshot.error().message,
              HasSubstr((log / "00000000000000000001.json").string() + ": empty commit file"));

  auto stats = lake.Ingest({{&Sample(2), "f2"}}, NowMs());
  ASSERT_FALSE(stats.has_value());
  EXPECT_THAT(stats.error().message, HasSubstr("empty commit file"));
  EXPECT_FALSE(fs::exists(log / "00000000000000000002.json"));
}

// Each way a data file can be broken: the ingest that would write on top of
// the table refuses, naming the file, and commits nothing.
TEST(LakeIntegrity, ABrokenDataFileRefusesEveryWriteNamingIt) {
  struct Damage {
    std::string what;
    std::function<void(const fs::path&)> apply;
  };
  const std::vector<Damage> damages = {
      {"missing", [](const fs::path& p) { fs::remove(p); }},
      {"bytes where the log says", [](const fs::path& p) { fs::resize_file(p, 100); }},
      {"not Parquet",
       [](const fs::path& p) {
         std::string bytes(fs::file_size(p), 'x');
         Write(p, bytes);
       }},
  };
  for (const Damage& damage : damages) {
    testing::TempDir tmp;
    Lake lake(tmp.path());
    ASSERT_TRUE(lake.Ingest({{&Sample(0), "f0"}}, NowMs()).has_value());
    const fs::path file = lake.Table(kMetricsTable).root() / DataFileOf(lake, kMetricsTable);
    damage.apply(file);

    auto stats = lake.Ingest({{&Sample(1), "f1"}}, NowMs());
    ASSERT_FALSE(stats.has_value()) << damage.what;
    EXPECT_EQ(stats.error().code, ErrorCode::kCorrupt) << damage.what;
    EXPECT_THAT(stats.error().message, HasSubstr("data file " + file.string()));
    EXPECT_THAT(stats.error().message, HasSubstr(damage.what));
    EXPECT_FALSE(fs::exists(lake.Table(kMetricsTable).log_dir() / "00000000000000000001.json"))
        << damage.what;
    auto apps = ReadApplications(lake);
    ASSERT_TRUE(apps.has_value()) << apps.error().message;
    EXPECT_EQ(apps->rows.size(), 1u) << damage.what;
  }
}

// A batch of two new complete applications writes one data file holding
// both, then the commit: a fault at either leaves no file behind, unless the
// commit landed.
TEST(LakeIntegrity, ABatchThatFailsLeavesNoFilesUnlessItsCommitLanded) {
  struct Case {
    int step;
    Fault fault;
    size_t files_left;  // besides the one already there
  };
  for (Case c : {Case{0, Fault::kNoSpace, 0}, Case{0, Fault::kShortWrite, 0},
                 Case{1, Fault::kNoSpace, 0}, Case{1, Fault::kIoError, 0},
                 Case{1, Fault::kPublishedThenIoError, 1}}) {
    testing::TempDir tmp;
    testing::FakeFileSystem file_system;
    Lake lake(tmp.path(), {}, file_system);
    ASSERT_TRUE(lake.Ingest({{&Sample(0), "f0"}}, NowMs()).has_value());
    const fs::path metrics = lake.Table(kMetricsTable).root();
    const std::set<std::string> before = FilesIn(metrics);
    file_system.FailNewFile(c.step, c.fault);
    auto stats = lake.Ingest({{&Sample(1), "f1"}, {&Sample(2), "f2"}}, NowMs());
    ASSERT_FALSE(stats.has_value()) << c.step;
    EXPECT_EQ(FilesIn(metrics).size(), before.size() + c.files_left) << c.step;
    // What landed reads whole, and a rerun completes the batch either way.
    auto again = lake.Ingest({{&Sample(1), "f1"}, {&Sample(2), "f2"}}, NowMs());
    ASSERT_TRUE(again.has_value()) << again.error().message;
    auto apps = ReadApplications(lake);
    ASSERT_TRUE(apps.has_value()) << apps.error().message;
    EXPECT_EQ(apps->rows.size(), 3u) << c.step;
  }
}

TEST(LakeIntegrity, TheNextIngestRemovesOldOrphansAndKeepsEverythingElse) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  ASSERT_TRUE(lake.Ingest({{&Sample(0), "f0"}}, NowMs()).has_value());
  const fs::path root = lake.Table(kMetricsTable).root();
  const fs::path log = lake.Table(kMetricsTable).log_dir();
  const std::string live = DataFileOf(lake, kMetricsTable);
  Age(root / live, std::chrono::hours(48));
  // Left by a killed batch two hours ago: a data file and two half-written files.
  Write(root / "part-00000-killed-c000.snappy.parquet", "PAR1 orphan PAR1");
  Write(root / ".part-00000-killed.parquet.123-0.tmp", "half");
  Write(log / ".00000000000000000001.json.123-1.tmp", "{}");
  for (auto p : {root / "part-00000-killed-c000.snappy.parquet",
                 root / ".part-00000-killed.parquet.123-0.tmp",
                 log / ".00000000000000000001.json.123-1.tmp"}) {
    Age(p, std::chrono::hours(2));
  }
  // A live writer's file of a minute ago, and files that are not ours.
  Write(root / "part-00000-writing-c000.snappy.parquet", "PAR1 writing PAR1");
  Write(root / "notes.txt", "mine");
  Write(root / ".part-00000-x.parquet.crc", "crc");
  Age(root / "notes.txt", std::chrono::hours(100));
  Age(root / ".part-00000-x.parquet.crc", std::chrono::hours(100));

  auto stats = lake.Ingest({{&Sample(1), "f1"}}, NowMs());
  ASSERT_TRUE(stats.has_value()) << stats.error().message;
  EXPECT_EQ(stats->orphans_removed, 3);
  EXPECT_EQ(stats->orphan_bytes_removed, 16u + 4u + 2u);
  std::set<std::string> left = FilesIn(root);
  EXPECT_TRUE(left.contains(live));
  EXPECT_TRUE(left.contains("part-00000-writing-c000.snappy.parquet"));
  EXPECT_TRUE(left.contains("notes.txt"));
  EXPECT_TRUE(left.contains(".part-00000-x.parquet.crc"));
  EXPECT_FALSE(left.contains("part-00000-killed-c000.snappy.parquet"));
  EXPECT_FALSE(left.contains(".part-00000-killed.parquet.123-0.tmp"));
  EXPECT_FALSE(fs::exists(log / ".00000000000000000001.json.123-1.tmp"));
  auto apps = ReadApplications(lake);
  ASSERT_TRUE(apps.has_value()) << apps.error().message;
  EXPECT_EQ(apps->rows.size(), 2u);
}

TEST(LakeIntegrity, ATombstonedFileIsNotAnOrphan) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  delta::Snapshot snapshot;
  snapshot.version = 3;
  delta::RemoveFile removed;
  removed.path = "part-removed.parquet";
  snapshot.Apply(removed);
  fs::create_directories(tmp.path() / "t");
  Write(tmp.path() / "t" / "part-removed.parquet", "PAR1PAR1");
  Age(tmp.path() / "t" / "part-removed.parquet", std::chrono::hours(5));
  auto removed_now = RemoveOrphans(delta::DeltaTable(tmp.path() / "t"), snapshot, NowMs());
  ASSERT_TRUE(removed_now.has_value());
  EXPECT_EQ(removed_now->files, 0);
  EXPECT_TRUE(fs::exists(tmp.path() / "t" / "part-removed.parquet"));
}

// The counts are the applications table's: finishing a half-committed batch
// (its metrics landed, its applications did not) says what it appended.
TEST(LakeIntegrity, FinishingAHalfCommittedBatchCountsWhatItAppended) {
  testing::TempDir tmp;
  testing::FakeFileSystem file_system;
  Lake lake(tmp.path(), {}, file_system);
  file_system.FailNewFile(3, Fault::kIoError);  // the applications table's commit
  ASSERT_FALSE(lake.Ingest({{&Sample(0), "f0"}}, NowMs()).has_value());
  auto finished = lake.Ingest({{&Sample(0), "f0"}}, NowMs());
  ASSERT_TRUE(finished.has_value()) << finished.error().message;
  EXPECT_EQ(finished->appended, 1);
  EXPECT_EQ(finished->unchanged, 0);
  auto again = lake.Ingest({{&Sample(0), "f0"}}, NowMs());
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->appended, 0);
  EXPECT_EQ(again->unchanged, 1);
}

}  // namespace
}  // namespace prometheus::lake

#include "prometheus/lake/optimize.h"

#include <gtest/gtest.h>

#include <functional>

#include "prometheus/delta/delta_log.h"
#include "prometheus/lake/tables.h"
#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::lake {
namespace {

namespace fs = std::filesystem;
using delta::Snapshot;

constexpr int64_t kNow = 1'700'000'000'000;

// `count` copies of a small real application, each under its own app id.
std::vector<kpi::Analysis> Applications(int count, int first = 0) {
  kpi::Analysis sample =
      testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  std::vector<kpi::Analysis> apps;
  for (int i = first; i < first + count; ++i) {
    kpi::Analysis& app = apps.emplace_back(sample);
    app.log.application.app_id = fmt::format("local-opt-{:04}", i);
  }
  return apps;
}

// Observes each application in its own batch, as a nightly observe would.
void ObserveOneByOne(const Lake& lake, const std::vector<kpi::Analysis>& apps, int64_t now) {
  for (const kpi::Analysis& app : apps) {
    auto stats = lake.Ingest({{&app, "f-" + app.log.application.app_id}}, now++);
    ASSERT_TRUE(stats.has_value()) << stats.error().message;
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

size_t ParquetFilesOnDisk(const fs::path& root) {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(root)) {
    n += entry.path().extension() == ".parquet";
  }
  return n;
}

TEST(Optimize, CompactsSmallFilesKeepingEveryRowAndWhatObserveKnows) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  std::vector<kpi::Analysis> apps = Applications(12);
  ObserveOneByOne(lake, apps, kNow);
  const size_t metrics_rows = Rows(lake, kMetricsTable);
  const size_t application_rows = Rows(lake, kApplicationsTable);
  ASSERT_EQ(application_rows, 12u);

  for (std::string_view table : CompactedTables()) {
    auto optimized = OptimizeTable(lake, table, {.target_bytes = 128LL << 20, .now_ms = kNow + 100});
    ASSERT_TRUE(optimized.has_value()) << optimized.error().message;
    EXPECT_EQ(optimized->files_before, 12);
    EXPECT_EQ(optimized->files_after, 1);
    EXPECT_EQ(optimized->files_removed, 12);
    EXPECT_FALSE(optimized->abandoned);
  }
  EXPECT_EQ(Rows(lake, kMetricsTable), metrics_rows);
  EXPECT_EQ(Rows(lake, kApplicationsTable), application_rows);

  auto snapshot = lake.Table(kMetricsTable).Load();
  ASSERT_TRUE(snapshot.has_value());
  ASSERT_EQ(snapshot->files.size(), 1u);
  EXPECT_FALSE(snapshot->files.begin()->second.data_change);
  // Its version is checkpointed at once: readers skip the commits of removes.
  EXPECT_TRUE(fs::exists(lake.Table(kMetricsTable).log_dir() /
                         fmt::format("{:020}.checkpoint.parquet", snapshot->version)));
  // Observing the same applications again finds each of them stored.
  auto again = lake.Ingest({{&apps[3], "f-" + apps[3].log.application.app_id}}, kNow + 200);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->unchanged, 1);
  EXPECT_EQ(again->appended, 0);
  EXPECT_EQ(IngestedApps(*snapshot).size(), 12u);
  // A second optimize finds nothing to do.
  auto twice = OptimizeTable(lake, kMetricsTable, {.now_ms = kNow + 300});
  ASSERT_TRUE(twice.has_value());
  EXPECT_EQ(twice->files_removed, 0);
}

TEST(Optimize, PacksFilesIntoBinsOfTheTargetSize) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  ObserveOneByOne(lake, Applications(9), kNow);
  auto snapshot = lake.Table(kMetricsTable).Load();
  ASSERT_TRUE(snapshot.has_value());
  int64_t largest = 0;
  for (const auto& [path, add] : snapshot->files) largest = std::max(largest, add.size);
  // Room for three files a bin.
  auto optimized = OptimizeTable(lake, kMetricsTable,
                                 {.target_bytes = 3 * largest, .now_ms = kNow + 100});
  ASSERT_TRUE(optimized.has_value()) << optimized.error().message;
  EXPECT_EQ(optimized->files_after, 3);
}

TEST(Optimize, LeavesAnApplicationInProgressInItsOwnFile) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  std::vector<kpi::Analysis> apps = Applications(3);
  apps[1].log.application.end_time.reset();  // still running
  ASSERT_EQ(ApplicationStatus(apps[1]), "in_progress");
  ObserveOneByOne(lake, apps, kNow);
  auto optimized = OptimizeTable(lake, kApplicationsTable, {.now_ms = kNow + 100});
  ASSERT_TRUE(optimized.has_value()) << optimized.error().message;
  EXPECT_EQ(optimized->files_after, 2);  // apps 0 and 2 together; app 1 alone
}

// A file system on which the optimize's commit finds a concurrent writer's
// commit of the same version in place, written just before it.
class ConcurrentWriter : public FileSystem {
 public:
  ConcurrentWriter(std::function<void()> before_commit) : before_(std::move(before_commit)) {}
  Result<std::vector<Entry>> List(const fs::path& f) override { return inner_.List(f); }
  Result<std::string> Read(const fs::path& p) override { return inner_.Read(p); }
  Result<std::string> ReadRange(const fs::path& p, uint64_t o, uint64_t l) override {
    return inner_.ReadRange(p, o, l);
  }
  Result<std::unique_ptr<NewFile>> Create(const fs::path& path) override {
    if (before_ && path.parent_path().filename() == "_delta_log" &&
        path.extension() == ".json") {
      auto run = std::move(before_);
      before_ = nullptr;
      run();
    }
    return inner_.Create(path);
  }
  Status CreateFolders(const fs::path& f) override { return inner_.CreateFolders(f); }
  Status Rename(const fs::path& a, const fs::path& b) override { return inner_.Rename(a, b); }
  Status Delete(const fs::path& p) override { return inner_.Delete(p); }

 private:
  FileSystem& inner_ = LocalFileSystem();
  std::function<void()> before_;
};

TEST(Optimize, AConcurrentObserveIsKeptAndTheOptimizeRetried) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  ObserveOneByOne(lake, Applications(5), kNow);
  const size_t rows_before = Rows(lake, kMetricsTable);
  std::vector<kpi::Analysis> late = Applications(1, 100);
  ConcurrentWriter racing([&] { ObserveOneByOne(lake, late, kNow + 50); });
  Lake optimizing(tmp.path(), {}, racing);

  auto optimized = OptimizeTable(optimizing, kMetricsTable, {.now_ms = kNow + 100});
  ASSERT_TRUE(optimized.has_value()) << optimized.error().message;
  EXPECT_EQ(optimized->conflicts, 1);
  EXPECT_FALSE(optimized->abandoned);
  EXPECT_EQ(optimized->files_after, 2);  // the compacted file and the late one
  const size_t late_rows = late[0].stages.size();
  EXPECT_EQ(Rows(lake, kMetricsTable), rows_before + late_rows);
  auto snapshot = lake.Table(kMetricsTable).Load();
  ASSERT_TRUE(snapshot.has_value());
  EXPECT_TRUE(IngestedApps(*snapshot).contains(AppKey(late[0], nullptr)));
}

TEST(Optimize, IsAbandonedWhenAConcurrentWriterRemovedAFileItCompacts) {
  testing::TempDir tmp;
  Lake lake(tmp.path());
  ObserveOneByOne(lake, Applications(4), kNow);
  fs::path root = lake.Table(kMetricsTable).root();
  const size_t files_on_disk = ParquetFilesOnDisk(root);
  // The other writer: another optimize of the same table, which lands first.
  ConcurrentWriter racing([&] {
    auto first = OptimizeTable(lake, kMetricsTable, {.now_ms = kNow + 50});
    ASSERT_TRUE(first.has_value() && first->files_after == 1);
  });
  Lake optimizing(tmp.path(), {}, racing);
  const size_t rows_before = Rows(lake, kMetricsTable);

  auto optimized = OptimizeTable(optimizing, kMetricsTable, {.now_ms = kNow + 100});
  ASSERT_TRUE(optimized.has_value()) << optimized.error().message;
  EXPECT_TRUE(optimized->abandoned);
  EXPECT_EQ(Rows(lake, kMetricsTable), rows_before);
  // Only the winner's compacted file was added; the loser's was deleted.
  EXPECT_EQ(ParquetFilesOnDisk(root), files_on_disk + 1);
}

}  // namespace
}  // namespace prometheus::lake

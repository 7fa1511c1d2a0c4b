// Checkpoints as delta-spark 3.3.2 writes them (testdata/delta, made by
// make_fixtures.py there): the commits before each were removed, as Delta's
// log clean-up does, so the table reads right only through the checkpoint.
#include "prometheus/delta/delta_checkpoint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "prometheus/delta/delta_table.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::delta {
namespace {

namespace fs = std::filesystem;

// The ids of the fixture table, which holds 0..8 (9 was deleted).
std::set<int64_t> Ids(const DeltaTable& table) {
  auto snapshot = table.Load();
  EXPECT_TRUE(snapshot.has_value()) << snapshot.error().message;
  if (!snapshot) return {};
  EXPECT_EQ(snapshot->version, 4);
  EXPECT_EQ(snapshot->metadata->configuration.at("delta.checkpointInterval"), "1");
  auto data = table.ReadAll(*snapshot);
  EXPECT_TRUE(data.has_value()) << data.error().message;
  if (!data) return {};
  std::set<int64_t> ids;
  size_t id = *data->ColumnIndex("id");
  for (size_t row = 0; row < data->num_rows(); ++row) {
    ids.insert(std::get<int64_t>(data->Get(id, row)));
  }
  EXPECT_EQ(data->num_rows(), ids.size());
  return ids;
}

const std::set<int64_t> kIds = {0, 1, 2, 3, 4, 5, 6, 7, 8};

TEST(DeltaCheckpoint, ReadsASparkMultiPartCheckpoint) {
  DeltaTable table(testing::RepoPath("testdata/delta/spark-multipart-checkpoint"));
  EXPECT_EQ(Ids(table), kIds);
}

TEST(DeltaCheckpoint, ReadsASparkV2CheckpointThroughItsSidecar) {
  DeltaTable table(testing::RepoPath("testdata/delta/spark-v2-checkpoint"));
  EXPECT_EQ(Ids(table), kIds);
  auto snapshot = table.Load();
  ASSERT_TRUE(snapshot.has_value());
  EXPECT_EQ(snapshot->protocol->reader_features, std::vector<std::string>{"v2Checkpoint"});
  EXPECT_FALSE(snapshot->tombstones.empty());  // the file the delete rewrote
}

TEST(DeltaCheckpoint, AV2CheckpointWithoutItsSidecarIsAnErrorNamingIt) {
  testing::TempDir tmp;
  fs::copy(testing::RepoPath("testdata/delta/spark-v2-checkpoint"), tmp.path() / "t",
           fs::copy_options::recursive);
  fs::remove_all(tmp.path() / "t" / "_delta_log" / "_sidecars");
  auto snapshot = DeltaTable(tmp.path() / "t").Load();
  ASSERT_FALSE(snapshot.has_value());
  EXPECT_NE(snapshot.error().message.find("_sidecars/00000000000000000004.checkpoint."),
            std::string::npos)
      << snapshot.error().message;
}

}  // namespace
}  // namespace prometheus::delta

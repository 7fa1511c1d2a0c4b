#include "prometheus/delta/checkpoint_writer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "prometheus/delta/table_properties.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::delta {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kDay = 86'400'000;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Metadata TableMetadata(std::map<std::string, std::string> configuration = {}) {
  Metadata m;
  m.id = "5f0e0e3c-1111-4222-8333-444455556666";
  m.name = "t";
  m.schema_string =
      R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]})";
  m.configuration = std::move(configuration);
  m.created_time = kNow;
  return m;
}

AddFile File(int i) {
  AddFile add;
  add.path = fmt::format("part-{:05}.snappy.parquet", i);
  add.size = 100 + i;
  add.modification_time = kNow + i;
  add.stats = R"({"numRecords":1})";
  add.tags = {{"prometheus.app", fmt::format("app-{}#1", i)}, {"prometheus.status", "complete"}};
  return add;
}

// Commits version 0 (protocol, metadata, file 0) then one file per commit up
// to `last`, checkpointing as a writer does after each.
void CommitUpTo(const DeltaTable& table, int64_t last, const Metadata& metadata,
                int64_t now_ms = kNow) {
  Snapshot before;
  for (int64_t v = 0; v <= last; ++v) {
    std::vector<std::string> actions = {CommitInfoLine(now_ms, "WRITE", true)};
    if (v == 0) {
      actions.push_back(ProtocolLine(Protocol{}));
      actions.push_back(MetadataLine(metadata));
    }
    actions.push_back(TxnLine({"writer", v, now_ms}));
    if (v == 5) actions.push_back(RemoveLine({File(1).path, now_ms - 10 * kDay, true}));
    if (v == 6) actions.push_back(RemoveLine({File(2).path, now_ms - kDay, true}));
    actions.push_back(AddLine(File(static_cast<int>(v))));
    auto landed = table.TryCommit(v, actions);
    ASSERT_TRUE(landed.has_value() && *landed) << v;
    ASSERT_TRUE(CheckpointAfterCommit(table, before, actions, now_ms).has_value());
    auto loaded = table.Load();
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    before = *loaded;
  }
}

TEST(CheckpointWriter, WritesACheckpointEveryTenCommitsAndTheReaderStartsFromIt) {
  testing::TempDir tmp;
  DeltaTable table(tmp.path() / "t");
  CommitUpTo(table, 12, TableMetadata());
  EXPECT_TRUE(fs::exists(table.log_dir() / "00000000000000000010.checkpoint.parquet"));
  EXPECT_FALSE(fs::exists(table.log_dir() / "00000000000000000005.checkpoint.parquet"));
  auto hint = nlohmann::json::parse(Slurp(table.log_dir() / "_last_checkpoint"));
  EXPECT_EQ(hint["version"], 10);
  EXPECT_EQ(hint["numOfAddFiles"], 9);   // 0..10 less file 1 and 2, which were removed
  // 1 protocol + 1 metaData + 1 txn + 9 adds + 1 recent tombstone: file 1's
  // expired (removed 10 days before, past the week's retention).
  EXPECT_EQ(hint["size"], 1 + 1 + 1 + 9 + 1);

  auto full = table.Load();
  ASSERT_TRUE(full.has_value());
  // Without the commits the checkpoint covers, the table reads the same.
  for (int v = 0; v <= 10; ++v) fs::remove(table.log_dir() / CommitFileName(v));
  auto from_checkpoint = table.Load();
  ASSERT_TRUE(from_checkpoint.has_value()) << from_checkpoint.error().message;
  EXPECT_EQ(from_checkpoint->version, 12);
  EXPECT_EQ(from_checkpoint->metadata->schema_string, full->metadata->schema_string);
  EXPECT_EQ(from_checkpoint->metadata->id, full->metadata->id);
  EXPECT_EQ(from_checkpoint->txns, full->txns);
  ASSERT_EQ(from_checkpoint->files.size(), full->files.size());
  for (const auto& [path, add] : full->files) {
    const AddFile& read = from_checkpoint->files.at(path);
    EXPECT_EQ(read.size, add.size);
    EXPECT_EQ(read.modification_time, add.modification_time);
    EXPECT_EQ(read.stats, add.stats);
    EXPECT_EQ(read.tags, add.tags);
  }
  EXPECT_TRUE(from_checkpoint->tombstones.contains(File(2).path));
  EXPECT_FALSE(from_checkpoint->tombstones.contains(File(1).path));
}

TEST(CheckpointWriter, AReaderMaySkipTheCheckpointsTombstonesAndStats) {
  testing::TempDir tmp;
  DeltaTable table(tmp.path() / "t");
  CommitUpTo(table, 10, TableMetadata());
  for (int v = 0; v <= 10; ++v) fs::remove(table.log_dir() / CommitFileName(v));
  auto full = table.Load();
  ASSERT_TRUE(full.has_value()) << full.error().message;
  ASSERT_TRUE(full->tombstones.contains(File(2).path));
  auto lean = table.Load({.tombstones = false, .stats = false});
  ASSERT_TRUE(lean.has_value()) << lean.error().message;
  EXPECT_EQ(lean->version, full->version);
  EXPECT_TRUE(lean->tombstones.empty());
  EXPECT_EQ(lean->txns, full->txns);
  ASSERT_EQ(lean->files.size(), full->files.size());
  for (const auto& [path, add] : full->files) {
    const AddFile& read = lean->files.at(path);
    EXPECT_EQ(read.tags, add.tags);
    EXPECT_EQ(read.size, add.size);
    EXPECT_EQ(read.stats, "");
  }
  // A remove after the checkpoint still takes its file out of the live set.
  ASSERT_TRUE(table.TryCommit(11, {RemoveLine({File(3).path, kNow, true})}).value());
  auto later = table.Load({.tombstones = false});
  ASSERT_TRUE(later.has_value()) << later.error().message;
  EXPECT_FALSE(later->files.contains(File(3).path));
  EXPECT_TRUE(later->tombstones.empty());
  EXPECT_EQ(later->files.at(File(4).path).stats, File(4).stats);
}

TEST(CheckpointWriter, HonoursTheTablesCheckpointInterval) {
  testing::TempDir tmp;
  DeltaTable table(tmp.path() / "t");
  CommitUpTo(table, 7, TableMetadata({{"delta.checkpointInterval", "3"}}));
  for (int v : {3, 6}) {
    EXPECT_TRUE(fs::exists(table.log_dir() / fmt::format("{:020}.checkpoint.parquet", v)));
  }
  EXPECT_EQ(nlohmann::json::parse(Slurp(table.log_dir() / "_last_checkpoint"))["version"], 6);
  // Nothing but Delta's files is left in the log: no temporary hint.
  for (const auto& entry : fs::directory_iterator(table.log_dir())) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".")) << entry.path();
  }
}

TEST(CheckpointWriter, AnUnreadableIntervalFallsBackToTen) {
  EXPECT_EQ(CheckpointInterval(TableMetadata({{"delta.checkpointInterval", "0"}})), 10);
  EXPECT_EQ(CheckpointInterval(TableMetadata({{"delta.checkpointInterval", "x"}})), 10);
  EXPECT_EQ(CheckpointInterval(TableMetadata({{"delta.checkpointInterval", "25"}})), 25);
}

TEST(TableProperties, ParsesDeltaIntervals) {
  EXPECT_EQ(ParseIntervalMs("interval 7 days"), 7 * kDay);
  EXPECT_EQ(ParseIntervalMs("interval 1 week"), 7 * kDay);
  EXPECT_EQ(ParseIntervalMs("30 days"), 30 * kDay);
  EXPECT_EQ(ParseIntervalMs("interval 2 hours"), 2 * 3'600'000);
  EXPECT_EQ(ParseIntervalMs("7d"), std::nullopt);
  EXPECT_EQ(ParseIntervalMs("interval days"), std::nullopt);
}

}  // namespace
}  // namespace prometheus::delta

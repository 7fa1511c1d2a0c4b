// Every golden table of ../shared/delta-golden, written by Delta-Spark and
// delta-rs, read with the result its README states, or refused as it says.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "prometheus/delta/delta_table.h"
#include "prometheus/testing/paths.h"

namespace prometheus::delta {
namespace {

namespace fs = std::filesystem;

fs::path Golden(const std::string& table) {
  return testing::RepoPath("../shared/delta-golden/" + table);
}

struct Expected {
  const char* table;
  int64_t version;
  size_t live_files;
  int64_t tombstones;  // -1: not stated
  int64_t rows;        // -1: log only (data files absent upstream)
  const char* unsupported_column = nullptr;  // a column we refuse to read
};

const Expected kTables[] = {
    {"delta-io__delta-rs/delta-0.8.0", 1, 2, 1, 4},
    {"delta-io__delta-rs/simple_table", 4, 5, 31, 3},
    {"delta-io__delta-rs/simple_table_with_checkpoint", 10, 11, -1, 11},
    {"delta-io__delta-rs/checkpoints", 12, 12, -1, -1},
    {"delta-io__delta-rs/with_checkpoint_no_last_checkpoint", 3, 1, 2, -1},
    {"delta-io__delta-rs/latest_not_checkpointed", 3, 1, 2, -1},
    {"delta-io__delta-rs/delta-0.8.0-partitioned", 0, 6, -1, 7},
    {"delta-io__delta-rs/delta-0.8.0-null-partition", 0, 2, -1, 2},
    {"delta-io__delta-rs/delta-2.2.0-partitioned-types", 0, 3, -1, 3},
    {"delta-io__delta-rs/table_with_edge_timestamps", 0, 2, -1, 2},
    {"delta-io__delta-rs/delta-0.8-empty", 1, 0, 2, 0},
    {"delta-io__delta-rs/table-without-dv-small", 0, 1, -1, 10},
    {"delta-io__delta/snapshot-data0", 0, 2, -1, 10},
    {"delta-io__delta/snapshot-data1", 1, 4, -1, 20},
    {"delta-io__delta/snapshot-data3", 3, 4, 4, 30},
    {"delta-io__delta/snapshot-data2-deleted", 4, 3, 6, 20},
    {"delta-io__delta/data-reader-primitives", 0, 2, -1, 11, "as_binary"},
    {"delta-io__delta/data-reader-partition-values", 0, 3, -1, 3, "as_date"},
    {"delta-io__delta/data-skipping-basic-stats-all-types", 0, 1, -1, 1, "as_date"},
    {"delta-io__delta/data-skipping-basic-stats-all-types-checkpoint", 0, 1, -1, 1, "as_date"},
    {"delta-io__delta/kernel-timestamp-TIMESTAMP_MICROS", 0, 5, -1, 5},
    {"delta-io__delta/basic-with-inserts-deletes-checkpoint", 13, 7, 7, 41},
    {"delta-io__delta/checkpoint", 14, 1, 14, -1},
    {"delta-io__delta/corrupted-last-checkpoint", 10, 11, -1, -1},
    {"delta-io__delta/multi-part-checkpoint", 1, 10, -1, 31},
    {"delta-io__delta/log-replay-latest-metadata-protocol", 2, 4, -1, 40},
};

TEST(DeltaGolden, TablesReadWithTheirStatedResults) {
  for (const Expected& want : kTables) {
    SCOPED_TRACE(want.table);
    DeltaTable table(Golden(want.table));
    auto snapshot = table.Load();
    ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
    EXPECT_EQ(snapshot->version, want.version);
    EXPECT_EQ(snapshot->files.size(), want.live_files);
    if (want.tombstones >= 0) {
      EXPECT_EQ(static_cast<int64_t>(snapshot->tombstones.size()), want.tombstones);
    }
    if (want.rows < 0) continue;
    auto data = table.ReadAll(*snapshot);
    if (want.unsupported_column != nullptr) {
      // Decimal, binary, date and nested columns are outside our flat types:
      // refused with the column named, never misread.
      ASSERT_FALSE(data.has_value());
      EXPECT_NE(data.error().message.find(want.unsupported_column), std::string::npos)
          << data.error().message;
      continue;
    }
    ASSERT_TRUE(data.has_value()) << data.error().message;
    EXPECT_EQ(static_cast<int64_t>(data->num_rows()), want.rows);
  }
}

// CountRows from the writers' numRecords (Spark's, delta-rs') and, with the
// statistics taken away, from each file's footer, equals the rows read;
// ReadFirst gives ReadAll's first rows.
TEST(DeltaGolden, RowsCountedFromTheLogAndTheFirstRowsReadAlone) {
  for (const Expected& want : kTables) {
    if (want.rows < 0 || want.unsupported_column != nullptr) continue;
    SCOPED_TRACE(want.table);
    DeltaTable table(Golden(want.table));
    auto snapshot = table.Load();
    ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
    auto all = table.ReadAll(*snapshot);
    ASSERT_TRUE(all.has_value()) << all.error().message;
    EXPECT_EQ(table.CountRows(*snapshot), static_cast<int64_t>(all->num_rows()));
    Snapshot no_stats = *snapshot;
    for (auto& [path, add] : no_stats.files) add.stats.clear();
    EXPECT_EQ(table.CountRows(no_stats), static_cast<int64_t>(all->num_rows()));
    for (size_t limit : {size_t{1}, size_t{3}, all->num_rows() + 1}) {
      auto first = table.ReadFirst(*snapshot, limit);
      ASSERT_TRUE(first.has_value()) << first.error().message;
      ASSERT_EQ(first->num_rows(), std::min(limit, all->num_rows()));
      for (size_t row = 0; row < first->num_rows(); ++row) {
        for (size_t c = 0; c < all->schema.size(); ++c) {
          EXPECT_EQ(first->Get(c, row), all->Get(c, row)) << row << " " << c;
        }
      }
    }
  }
}

TEST(DeltaGolden, SchemaEvolutionReadsMissingColumnsAsNull) {
  DeltaTable table(Golden("delta-io__delta/log-replay-latest-metadata-protocol"));
  auto snapshot = table.Load();
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
  auto data = table.ReadAll(*snapshot);
  ASSERT_TRUE(data.has_value()) << data.error().message;
  auto col2 = data->ColumnIndex("col2");
  ASSERT_TRUE(col2.has_value());
  int nulls = 0;
  for (size_t row = 0; row < data->num_rows(); ++row) {
    nulls += std::holds_alternative<std::monostate>(data->Get(*col2, row));
  }
  EXPECT_GT(nulls, 0);
  EXPECT_LT(nulls, static_cast<int>(data->num_rows()));
}

TEST(DeltaGolden, PartitionValuesComeFromTheLog) {
  DeltaTable table(Golden("delta-io__delta-rs/delta-2.2.0-partitioned-types"));
  auto snapshot = table.Load();
  ASSERT_TRUE(snapshot.has_value());
  auto data = table.ReadAll(*snapshot);
  ASSERT_TRUE(data.has_value()) << data.error().message;
  auto c1 = data->ColumnIndex("c1");
  auto c2 = data->ColumnIndex("c2");
  ASSERT_TRUE(c1 && c2);
  std::set<std::pair<int64_t, std::string>> got;
  for (size_t row = 0; row < data->num_rows(); ++row) {
    got.insert({std::get<int64_t>(data->Get(*c1, row)), std::get<std::string>(data->Get(*c2, row))});
  }
  EXPECT_EQ(got.size(), 3u);
  EXPECT_TRUE(got.contains({4, "c"}));
}

TEST(DeltaGolden, DeletionVectorsAreRefused) {
  DeltaTable table(Golden("delta-io__delta-rs/table-with-dv-small"));
  auto snapshot = table.Load();
  ASSERT_FALSE(snapshot.has_value());
  EXPECT_NE(snapshot.error().message.find("deletionVectors"), std::string::npos)
      << snapshot.error().message;
}

TEST(DeltaGolden, BrokenLogsAreRefusedWithTheReason) {
  struct Case {
    const char* table;
    const char* reason;
  };
  const Case cases[] = {
      {"delta-io__delta-rs/simple_table_features", "minReaderVersion 5"},
      {"delta-io__delta/versions-not-contiguous", "missing commit 1"},
      {"delta-io__delta/deltalog-invalid-protocol-version", "minReaderVersion 99"},
      {"delta-io__delta/deltalog-state-reconstruction-without-metadata", "no metaData"},
      {"delta-io__delta/deltalog-state-reconstruction-without-protocol", "no protocol"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.table);
    auto snapshot = DeltaTable(Golden(c.table)).Load();
    ASSERT_FALSE(snapshot.has_value());
    EXPECT_NE(snapshot.error().message.find(c.reason), std::string::npos)
        << snapshot.error().message;
  }
}

TEST(DeltaGolden, AnEmptyLastCheckpointHintFallsBackToListing) {
  fs::path copy = fs::temp_directory_path() /
                  ("prometheus-golden-" + std::to_string(::getpid()));
  fs::remove_all(copy);
  fs::copy(Golden("delta-io__delta/corrupted-last-checkpoint"), copy,
           fs::copy_options::recursive);
  // The shared copy is read-only; ours must be writable to be changed.
  fs::permissions(copy, fs::perms::owner_all, fs::perm_options::add);
  for (const auto& entry : fs::recursive_directory_iterator(copy)) {
    fs::permissions(entry.path(), fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::add);
    if (entry.is_directory()) {
      fs::permissions(entry.path(), fs::perms::owner_exec, fs::perm_options::add);
    }
  }
  fs::resize_file(copy / "_delta_log" / "_last_checkpoint", 0);
  auto snapshot = DeltaTable(copy).Load();
  fs::remove_all(copy);
  ASSERT_TRUE(snapshot.has_value()) << snapshot.error().message;
  EXPECT_EQ(snapshot->version, 10);
  EXPECT_EQ(snapshot->files.size(), 11u);
}

}  // namespace
}  // namespace prometheus::delta

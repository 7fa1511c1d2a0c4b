// A Delta table in a FileSystem: its log is read by replaying checkpoints and
// JSON commits, and written by atomic put-if-absent commits.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/file_system.h"
#include "prometheus/base/result.h"
#include "prometheus/delta/delta_checkpoint.h"
#include "prometheus/delta/delta_log.h"
#include "prometheus/parquet/table.h"

namespace prometheus::delta {

class DeltaTable {
 public:
  // The table at `root` of `file_system`, which must outlive it.
  explicit DeltaTable(std::filesystem::path root, FileSystem& file_system = LocalFileSystem())
      : root_(std::move(root)), file_system_(&file_system) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path log_dir() const { return root_ / "_delta_log"; }

  // The latest snapshot: from the newest complete checkpoint (found by
  // listing; _last_checkpoint is only a hint), then every later commit,
  // which must be contiguous. A table without a log is version -1. Files in
  // the log that are neither Delta's nor hidden are an error naming them.
  Result<Snapshot> Load(const LoadOptions& options = {}) const;

  // Writes `actions` as commit `version`, only if no commit of that version
  // exists: false means another writer got there first (re-read and retry).
  // An error leaves the outcome unknown: the commit may have landed.
  Result<bool> TryCommit(int64_t version,
                         const std::vector<std::string>& actions) const;

  // Reads every live file into one table with the snapshot's schema; columns
  // missing from older files read as null, partition values come from the
  // log.
  Result<parquet::Table> ReadAll(const Snapshot& snapshot) const;
  // The first `limit` rows of ReadAll's, reading only the files that hold
  // them.
  Result<parquet::Table> ReadFirst(const Snapshot& snapshot, size_t limit) const;
  // How many rows the live files hold: each file's numRecords statistic, or
  // its Parquet footer where it has none. The snapshot must be loaded with
  // stats.
  Result<int64_t> CountRows(const Snapshot& snapshot) const;

  FileSystem& file_system() const { return *file_system_; }

 private:
  Result<parquet::Table> ReadRows(const Snapshot& snapshot, std::optional<size_t> limit) const;

  std::filesystem::path root_;
  FileSystem* file_system_;
};

// The file name of commit `version`: 20 zero-padded digits plus ".json".
std::string CommitFileName(int64_t version);

}  // namespace prometheus::delta

// A Delta table on local disk: its log is read by replaying checkpoints and
// JSON commits, and written by atomic put-if-absent commits.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/store/delta_log.h"
#include "prometheus/store/table.h"

namespace prometheus::store {

class DeltaTable {
 public:
  explicit DeltaTable(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path log_dir() const { return root_ / "_delta_log"; }

  // The latest snapshot: from the newest complete checkpoint (found by
  // listing; _last_checkpoint is only a hint), then every later commit,
  // which must be contiguous. A table without a log is version -1. Files in
  // the log that are neither Delta's nor hidden are an error naming them.
  Result<Snapshot> Load() const;

  // Writes `actions` as commit `version`, only if no commit of that version
  // exists: false means another writer got there first (re-read and retry).
  Result<bool> TryCommit(int64_t version,
                         const std::vector<std::string>& actions) const;

  // Reads every live file into one table with the snapshot's schema; columns
  // missing from older files read as null, partition values come from the
  // log.
  Result<Table> ReadAll(const Snapshot& snapshot) const;

 private:
  std::filesystem::path root_;
};

// The file name of commit `version`: 20 zero-padded digits plus ".json".
std::string CommitFileName(int64_t version);

}  // namespace prometheus::store

// `prometheus vacuum`: deletes what no snapshot within the retention needs,
// as Delta's VACUUM and log clean-up do: data files no longer referenced, and
// JSON commits (and older checkpoints) that precede a checkpoint.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/lake/lake.h"

namespace prometheus::lake {

struct VacuumOptions {
  int64_t retain_ms = 7LL * 24 * 3600 * 1000;
  int64_t now_ms = 0;
  bool dry_run = false;  // list what would be deleted, delete nothing
};

struct VacuumedTable {
  std::string table;
  // Data files deleted (or, in a dry run, that would be), relative to the
  // table's root, and their bytes.
  std::vector<std::string> data_files;
  int64_t data_bytes = 0;
  // Log files (commits, checkpoints, checksums) cleaned, by name.
  std::vector<std::string> log_files;
};

// Checks that `retain_ms` may be used on `table`: no shorter than the
// table's delta.deletedFileRetentionDuration (7 days unless set), below
// which a reader of a recent version could find its files gone. The error
// names the table, the property and both durations.
Status CheckRetention(const delta::DeltaTable& table, const delta::Snapshot& snapshot,
                      int64_t retain_ms);

// Vacuums `table`:
// - data files: a Parquet file in the table's folder is deleted when the
//   latest snapshot does not reference it, no remove action of the last
//   `retain_ms` names it (from the snapshot's tombstones and every JSON
//   commit still in the log), and it was last modified more than `retain_ms`
//   ago (a writer's file not yet committed is young);
// - log retention: commits, checkpoints and checksums older than the table's
//   delta.logRetentionDuration (30 days unless set) whose version is below
//   the newest checkpoint that is itself of an expired version, so that
//   every version after that checkpoint can still be read.
Result<VacuumedTable> VacuumTable(const Lake& lake, std::string_view table,
                                  const VacuumOptions& options);

}  // namespace prometheus::lake

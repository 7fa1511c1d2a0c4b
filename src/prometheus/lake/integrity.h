// What protects a table from the writers that came before: nothing is
// written on top of a table that cannot be read whole, and what interrupted
// writers left behind is cleaned up once it is surely nobody's.
#pragma once

#include <cstdint>

#include "prometheus/base/result.h"
#include "prometheus/delta/delta_log.h"
#include "prometheus/delta/delta_table.h"

namespace prometheus::lake {

// Fails with kCorrupt naming the first live data file of `snapshot` that is
// missing, has another size than its add action says, or is not Parquet (no
// PAR1 magic at both ends). Costs one listing per folder and two small reads
// per file; files named by URI rather than by a path in the table are not
// checked.
Status CheckDataFiles(const delta::DeltaTable& table, const delta::Snapshot& snapshot);

struct RemovedOrphans {
  int64_t files = 0;
  uint64_t bytes = 0;
};

// A writer publishes its data files with one commit seconds after writing
// them; an hour leaves any live writer its files.
inline constexpr int64_t kOrphanMinAgeMs = 60 * 60 * 1000;

// Deletes what no action of `snapshot` names (neither a live file nor a
// tombstone) and that was last modified `min_age_ms` or more before `now_ms`:
// Parquet files in the table's folder (a batch that failed or was killed
// before its commit) and hidden `.*.tmp` files there and in _delta_log
// (unfinished put-if-absent writes). Subfolders and other files are left
// alone. A file that cannot be deleted is left for the next run.
Result<RemovedOrphans> RemoveOrphans(const delta::DeltaTable& table,
                                     const delta::Snapshot& snapshot, int64_t now_ms,
                                     int64_t min_age_ms = kOrphanMinAgeMs);

}  // namespace prometheus::lake

// `prometheus optimize`: compacts a lake table's small files (one per
// application attempt, as `observe` writes them) into files of about a target
// size, in one commit of remove + add actions with dataChange=false.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/lake/lake.h"

namespace prometheus::lake {

struct OptimizeOptions {
  int64_t target_bytes = 128LL << 20;
  int64_t now_ms = 0;
  // Commits lost to concurrent writers are retried this many times on the
  // new snapshot; past it the optimize of that table is abandoned.
  int max_attempts = 10;
};

struct OptimizedTable {
  std::string table;
  int64_t files_before = 0;
  int64_t files_after = 0;
  int64_t files_removed = 0;  // compacted away
  int64_t files_added = 0;
  int64_t bytes_rewritten = 0;
  int64_t conflicts = 0;  // commits lost to another writer, then retried
  // True when a concurrent writer removed a file being compacted: nothing
  // was committed (the files written are deleted) and the table is as the
  // other writer left it.
  bool abandoned = false;
};

// Compacts `table` of `lake`. Only files of complete application attempts
// are compacted (an attempt still in progress is replaced by a later
// observe, file by file); files at or above the target size stay. Files are
// packed in order of modification time into bins of at most the target size;
// a bin of one file is left alone. A commit that loses the race to a
// concurrent writer (an observe) is retried on the new snapshot, whose
// appends it keeps, when every compacted file is still live there, and
// abandoned otherwise: rows are never lost or doubled.
Result<OptimizedTable> OptimizeTable(const Lake& lake, std::string_view table,
                                     const OptimizeOptions& options);

// The tables `optimize` compacts: prometheus_metrics and
// prometheus_applications. prometheus_recommendations is left out: `recommend
// --replace` replaces one application's rows at a time.
std::vector<std::string_view> CompactedTables();

}  // namespace prometheus::lake

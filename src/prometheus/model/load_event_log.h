// Reads one event log, part by part, into the model.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/io/event_log_files.h"
#include "prometheus/model/application.h"

namespace prometheus::model {

struct CorruptLine {
  std::string file;
  uint64_t line = 0;
  std::string reason;
};

struct LoadedLog {
  io::EventLogInput input;
  Application application;
  int64_t lines = 0;
  int64_t events = 0;          // decoded and used
  int64_t ignored_events = 0;  // valid, but not used (or unknown)
  int64_t corrupt_line_count = 0;
  // The first corrupt lines, with file and line number.
  std::vector<CorruptLine> corrupt_lines;
  // The last line had no newline and did not parse: cut mid-write, which is
  // normal for an in-progress log and not counted as corrupt.
  bool truncated_tail = false;
  uint64_t decompressed_bytes = 0;
};

// Called now and then with compressed bytes read so far.
using ProgressFn = std::function<void(uint64_t bytes_read)>;

inline constexpr size_t kMaxReportedCorruptLines = 20;

// A log none of whose lines is a Spark event is an error naming it.
Result<LoadedLog> LoadEventLog(const io::EventLogInput& input,
                               const ProgressFn& progress = nullptr);

}  // namespace prometheus::model

// Reads one event log, part by part, into the model.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/io/codec.h"
#include "prometheus/io/event_log_files.h"
#include "prometheus/model/application.h"

namespace prometheus::model {

struct CorruptLine {
  std::string file;
  uint64_t line = 0;
  std::string reason;
};

struct CutPart {
  std::string file;
  io::Codec codec = io::Codec::kNone;
  uint64_t offset = 0;  // in the compressed file, where the unfinished part starts
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
  // Compressed parts that ended inside a block, frame or member: cut short,
  // or still being written. What came before the cut was read.
  std::vector<CutPart> cut_parts;
  // The log has no SparkListenerApplicationStart, so the application id was
  // taken from the file name.
  bool app_id_from_file_name = false;
};

// What a user should know about a log that loaded: cut compressed parts and
// an application id that had to be assumed, one sentence each naming the file.
std::vector<std::string> LoadWarnings(const LoadedLog& log);

// Called now and then with compressed bytes read so far.
using ProgressFn = std::function<void(uint64_t bytes_read)>;

inline constexpr size_t kMaxReportedCorruptLines = 20;

// A log none of whose lines is a Spark event is an error naming it.
Result<LoadedLog> LoadEventLog(const io::EventLogInput& input,
                               const ProgressFn& progress = nullptr);

}  // namespace prometheus::model

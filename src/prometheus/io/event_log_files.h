// Finds event logs on disk: single files, rolling `eventlog_v2_*` folders,
// Spark 1.x directory logs and Databricks delivery folders.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/io/codec.h"

namespace prometheus::io {

enum class LogLayout {
  kSingleFile,
  kRolling,     // eventlog_v2_<appId>/events_<N>_<appId>[.<codec>]
  kLegacyDir,   // Spark 1.x: EVENT_LOG_1 plus marker files
  kDatabricks,  // eventlog-YYYY-MM-DD--HH-MM.gz ... then eventlog
};

std::string_view LayoutName(LogLayout layout);

struct LogPart {
  std::filesystem::path path;
  Codec codec = Codec::kNone;
  uint64_t size_bytes = 0;
};

// One application attempt's log: its parts in the order they must be read.
struct EventLogInput {
  std::string name;  // the path the user would recognise
  LogLayout layout = LogLayout::kSingleFile;
  std::vector<LogPart> parts;
  // The writer had not finished: `.inprogress`, an `appstatus_*.inprogress`
  // marker, or a legacy log without APPLICATION_COMPLETE.
  bool in_progress = false;
  // A History Server `*.compact` file is among the parts: finished jobs'
  // task events were dropped, so task-level KPIs are incomplete.
  bool compacted = false;

  uint64_t total_bytes() const;
};

struct FoundEventLogs {
  std::vector<EventLogInput> inputs;
  // What a walk met below a named folder but could not read (a folder it may
  // not list, a log it cannot stat), one sentence each naming the path. The
  // walk went on without it: one bad folder must not stop a nightly ingest.
  std::vector<std::string> skipped;
};

// Expands files and folders (recursively) into event logs, sorted by name.
// A named path that does not exist or cannot be read, is not a file or
// folder (a FIFO...), or is an empty file, is an error naming it; marker files
// met while walking a folder are passed over, unreadable ones are `skipped`.
Result<FoundEventLogs> FindEventLogs(
    const std::vector<std::filesystem::path>& paths);

}  // namespace prometheus::io

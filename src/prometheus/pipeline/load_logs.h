// The first steps of every pipeline: find the event logs among the sources,
// load them in parallel, drop repeated application attempts, analyse.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/io/event_log_files.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/model/load_event_log.h"
#include "prometheus/pipeline/progress.h"
#include "prometheus/rules/recommendation.h"

namespace prometheus::pipeline {

// What the pipeline made of a set of logs.
struct Analyzed {
  std::vector<kpi::Analysis> analyses;
  // Each analysis' recommendations, in the same order; empty until the rules
  // ran.
  std::vector<std::vector<rules::Recommendation>> recommendations;
  // Logs that could not be read, repeated application attempts (the first
  // one read is kept), compacted logs, rule files and rule evaluations that
  // failed.
  std::vector<std::string> warnings;
};

// The event logs among `sources` (files or folders), in read order, and what
// the walk had to skip below them. Fails with kNotFound, whatever the reason
// below, when a named source holds no readable log: the caller named nothing
// that can be read.
Result<io::FoundEventLogs> FindLogs(
    const std::vector<std::filesystem::path>& sources);

// Loads every input on `threads` threads (0: one per core), one log per
// task, keeping input order in the result. `progress`, when not null, hears
// of the bytes read.
std::vector<Result<model::LoadedLog>> LoadLogs(
    const std::vector<io::EventLogInput>& inputs, int threads, Progress* progress);

// The KPIs of every loaded log, collected at `collected_at_ms`; logs that
// failed to load and repeated application attempts become warnings.
Analyzed AnalyzeLoaded(std::vector<Result<model::LoadedLog>> loaded,
                       int64_t collected_at_ms);

// Milliseconds since the epoch: `fixed` when given (tests, replays), else
// the clock's now.
int64_t NowMs(std::optional<int64_t> fixed = std::nullopt);

}  // namespace prometheus::pipeline

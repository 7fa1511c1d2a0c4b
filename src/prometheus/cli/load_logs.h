// Loading many event logs at once, one log per task on a pool of threads.
#pragma once

#include <string>
#include <vector>

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/engine.h"
#include "prometheus/io/event_log_files.h"
#include "prometheus/model/load_event_log.h"

namespace prometheus::cli {

// Loads every input on `threads` threads (0: one per core), keeping input
// order in the result; draws a progress bar on stderr when `progress` and
// stderr is a terminal.
std::vector<Result<model::LoadedLog>> LoadLogs(
    const std::vector<io::EventLogInput>& inputs, int threads, bool progress);

struct Analyses {
  std::vector<kpi::Analysis> analyses;
  // Logs that could not be read, duplicate application attempts (the first
  // one read is kept) and compacted logs.
  std::vector<std::string> warnings;
};

// Computes the KPIs of every loaded log.
Analyses AnalyzeLoaded(std::vector<Result<model::LoadedLog>> loaded,
                       int64_t collected_at_ms);

// Engine options from command-line values: the given rule folders, or
// ./rules when none is given and it exists.
// Bad --threshold values are an error naming them.
Result<rules::EngineOptions> RuleEngineOptions(const std::vector<std::string>& folders,
                                               const std::vector<std::string>& disabled,
                                               const std::vector<std::string>& thresholds);

// Milliseconds since the epoch, now.
int64_t NowMs();

}  // namespace prometheus::cli

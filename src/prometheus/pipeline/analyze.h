// The whole pipeline for a set of logs: find → load in parallel →
// de-duplicate attempts → analyse → rules. What to do with the result (a
// report, a lake) is the caller's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/pipeline/load_logs.h"
#include "prometheus/pipeline/progress.h"
#include "prometheus/pipeline/rule_options.h"

namespace prometheus::pipeline {

struct AnalyzeRequest {
  std::vector<std::filesystem::path> sources;  // event-log files or folders
  int threads = 0;                             // logs loaded at once; 0: one per core
  RuleOptions rules;
  std::optional<int64_t> collected_at_ms;  // absent: the time loading ended
};

// What the walk skipped below the sources comes first among the warnings.
// Fails with kNotFound when the sources hold no log or no log is readable
// (the message then gives each skipped place's and each log's reason on a
// line of its own, then "no readable event log"), and with kInvalidArgument for a bad threshold.
// `progress`, when not null, hears of the loading.
Result<Analyzed> Analyze(const AnalyzeRequest& request, Progress* progress);

}  // namespace prometheus::pipeline

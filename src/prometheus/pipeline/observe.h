// The pipeline behind `observe`: the logs among the sources that are new or
// have grown since the lake last saw them, analysed, then handed to the lake.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/kpi/cost_estimate.h"
#include "prometheus/pipeline/progress.h"
#include "prometheus/lake/lake.h"

namespace prometheus::pipeline {

// Logs observed in a Databricks task run (copied to local disk): each
// application in `folder` is stored tagged with `run`, once per run.
struct RunSource {
  std::filesystem::path folder;
  lake::RunTag run;
};

struct ObserveRequest {
  std::vector<std::filesystem::path> sources;  // event-log files or folders
  // Not held to `since_ms`: the runs were chosen by their own window.
  std::vector<RunSource> run_sources;
  std::filesystem::path store;                 // the lake folder
  // What the store holds, one map per table (prometheus_metrics, then
  // prometheus_applications), when it is not a lake folder: then `store` is
  // not read.
  std::optional<std::vector<std::map<std::string, lake::IngestedApp>>> held;
  // Only applications that started at most this long before now.
  std::optional<int64_t> since_ms;
  int threads = 0;  // logs loaded at once; 0: one per core
  std::optional<int64_t> now_ms;  // absent: the clock
  // Prices for each application's cost estimate; null: the built-in table.
  const kpi::PriceTable* prices = nullptr;
};

// What is to be appended, and how it was chosen.
struct ObserveBatch {
  int64_t now_ms = 0;
  int64_t logs_found = 0;
  int64_t logs_unchanged = 0;  // held by the lake at the same size: not read
  int64_t logs_analysed = 0;
  // Folders or logs below a named folder that could not be read (each also
  // a warning, first among them).
  int64_t paths_skipped = 0;
  int64_t applications_read = 0;  // application attempts read from those logs
  int64_t applications_before_since = 0;
  std::vector<kpi::Analysis> analyses;    // the attempts to append
  std::vector<std::string> fingerprints;  // of each one's log, same order
  std::vector<std::optional<lake::RunTag>> runs;  // each one's run, same order
  std::vector<std::optional<kpi::CostEstimate>> costs;  // same order
  std::vector<std::string> warnings;

  // Logs were analysed, and none of them was readable.
  bool NothingReadable() const { return logs_analysed > 0 && applications_read == 0; }
};

// Finds the logs, skips those the lake holds at the same size, loads and
// analyses the rest and keeps the applications within `since_ms`. Fails with
// kNotFound when a source holds no log, kIo when the lake cannot be read.
// With only run sources, no sources at all is not an error.
Result<ObserveBatch> CollectNewLogs(const ObserveRequest& request, Progress* progress);

// The batch as the store's ingest takes it (pointers into `batch`).
std::vector<lake::AnalysisToStore> AnalysesToStore(const ObserveBatch& batch);

// Appends the batch to the lake's tables (see lake::Lake::Ingest). Fails
// with kIo when the lake cannot be written, kConflict when other writers kept
// winning.
Result<lake::IngestStats> StoreBatch(const std::filesystem::path& store,
                                     const ObserveBatch& batch);

}  // namespace prometheus::pipeline

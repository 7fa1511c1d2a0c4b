#include "prometheus/pipeline/observe.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "prometheus/lake/tables.h"
#include "prometheus/pipeline/load_logs.h"
#include "prometheus/pipeline/recode.h"

namespace prometheus::pipeline {
namespace {

// What a table holds by source path: the key and size of each stored
// attempt read from it. Looked up once per input found, so that a batch of
// many logs on a lake of many applications is not quadratic.
using HeldBySource = std::multimap<std::string, std::pair<std::string, int64_t>>;

std::vector<HeldBySource> IndexBySource(
    const std::vector<std::map<std::string, lake::IngestedApp>>& tables) {
  std::vector<HeldBySource> indexes;
  for (const auto& table : tables) {
    HeldBySource& index = indexes.emplace_back();
    for (const auto& [key, app] : table) index.emplace(app.source, std::pair(key, app.source_bytes));
  }
  return indexes;
}

// An input that the lake already holds at the same size need not be parsed:
// nothing was appended to it since.
// A run's input counts only what that run stored (keys ending "@<task run id>").
bool Unchanged(const io::EventLogInput& input, const std::vector<HeldBySource>& tables,
               const lake::RunTag* run = nullptr) {
  const std::string suffix = run ? fmt::format("@{}", run->task_run_id) : "";
  const std::string source = lake::StoredSourcePath(input.name);  // once: it asks the OS
  const auto bytes = static_cast<int64_t>(input.total_bytes());
  for (const HeldBySource& table : tables) {
    bool found = false;
    for (auto [it, end] = table.equal_range(source); it != end && !found; ++it) {
      const std::string& key = it->second.first;
      if (run ? !key.ends_with(suffix) : key.find('@') != std::string::npos) continue;
      found = it->second.second == bytes;
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

Result<ObserveBatch> CollectNewLogs(const ObserveRequest& request, Progress* progress) {
  io::FoundEventLogs found;
  if (!request.sources.empty() || request.run_sources.empty()) {
    PROM_ASSIGN_OR_RETURN(found, FindLogs(request.sources));
  }
  // Which run each input came from (nullopt: a plain source).
  std::vector<std::optional<lake::RunTag>> input_runs(found.inputs.size());
  for (const RunSource& source : request.run_sources) {
    auto logs = FindLogs({source.folder});
    if (!logs) {
      found.skipped.push_back(fmt::format("run {} task {}: {}", source.run.run_id,
                                          source.run.task_key, logs.error().message));
      continue;
    }
    for (auto& input : logs->inputs) {
      found.inputs.push_back(std::move(input));
      input_runs.push_back(source.run);
    }
  }
  static const kpi::PriceTable builtin =
      kpi::ParsePriceTable(kpi::BuiltinPriceTableJson(), "built-in").value();
  const kpi::PriceTable* prices = request.prices ? request.prices : &builtin;
  lake::Lake lake(request.store);
  std::vector<std::map<std::string, lake::IngestedApp>> ingested;
  if (request.held) {
    ingested = *request.held;
  } else {
    for (auto table : {lake::kMetricsTable, lake::kApplicationsTable}) {
      auto apps = lake.Ingested(table);
      if (!apps) return LakeFailure(std::move(apps).error());
      ingested.push_back(std::move(*apps));
    }
  }
  const std::vector<HeldBySource> held = IndexBySource(ingested);
  ObserveBatch batch;
  batch.logs_found = static_cast<int64_t>(found.inputs.size());
  std::vector<io::EventLogInput> todo;
  std::vector<std::optional<lake::RunTag>> todo_runs;
  for (size_t i = 0; i < found.inputs.size(); ++i) {
    const auto& run = input_runs[i];
    if (Unchanged(found.inputs[i], held, run ? &*run : nullptr)) {
      ++batch.logs_unchanged;
    } else {
      todo.push_back(std::move(found.inputs[i]));
      todo_runs.push_back(run);
    }
  }
  batch.logs_analysed = static_cast<int64_t>(todo.size());
  batch.now_ms = NowMs(request.now_ms);
  // Loaded together; analysed apart per run, so that one application seen
  // in two runs is kept for each (repeats are dropped among plain sources).
  std::vector<Result<model::LoadedLog>> loaded = LoadLogs(todo, request.threads, progress);
  std::vector<Result<model::LoadedLog>> plain;
  Analyzed analyzed;
  std::vector<std::optional<lake::RunTag>> analysis_runs;
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (!todo_runs[i]) {
      plain.push_back(std::move(loaded[i]));
      continue;
    }
    std::vector<Result<model::LoadedLog>> one;
    one.push_back(std::move(loaded[i]));
    Analyzed part = AnalyzeLoaded(std::move(one), batch.now_ms);
    for (auto& analysis : part.analyses) {
      analyzed.analyses.push_back(std::move(analysis));
      analysis_runs.push_back(todo_runs[i]);
    }
    for (auto& warning : part.warnings) {
      analyzed.warnings.push_back(fmt::format("run {} task {}: {}", todo_runs[i]->run_id,
                                              todo_runs[i]->task_key, warning));
    }
  }
  Analyzed plain_analyzed = AnalyzeLoaded(std::move(plain), batch.now_ms);
  for (auto& analysis : plain_analyzed.analyses) {
    analyzed.analyses.push_back(std::move(analysis));
    analysis_runs.push_back(std::nullopt);
  }
  analyzed.warnings.insert(analyzed.warnings.end(), plain_analyzed.warnings.begin(),
                           plain_analyzed.warnings.end());
  batch.applications_read = static_cast<int64_t>(analyzed.analyses.size());
  batch.paths_skipped = static_cast<int64_t>(found.skipped.size());
  batch.warnings = std::move(found.skipped);
  batch.warnings.insert(batch.warnings.end(), analyzed.warnings.begin(), analyzed.warnings.end());
  for (size_t a = 0; a < analyzed.analyses.size(); ++a) {
    auto& analysis = analyzed.analyses[a];
    const auto& run = analysis_runs[a];
    // analyze shows these in its report; observe has only its warnings.
    if (const model::LoadedLog& log = analysis.log; log.corrupt_line_count > 0) {
      const model::CorruptLine& first = log.corrupt_lines.front();
      batch.warnings.push_back(fmt::format(
          "{}:{}: {} corrupt line(s) in this log, counted and skipped; the first: {}",
          first.file, first.line, log.corrupt_line_count, first.reason));
    }
    const auto& start = analysis.log.application.start_time;
    if (!run && request.since_ms && start && *start < batch.now_ms - *request.since_ms) {
      ++batch.applications_before_since;
      continue;
    }
    auto fingerprint = lake::FingerprintLog(analysis.log.input);
    if (!fingerprint) {
      batch.warnings.push_back(fingerprint.error().message);
      continue;
    }
    // Estimated before the analysis is moved into the batch.
    batch.costs.push_back(kpi::EstimateCost(analysis.log.application,
                                            analysis.application.duration_ms, *prices));
    batch.analyses.push_back(std::move(analysis));
    batch.fingerprints.push_back(std::move(*fingerprint));
    batch.runs.push_back(run);
  }
  return batch;
}

std::vector<lake::AnalysisToStore> AnalysesToStore(const ObserveBatch& batch) {
  std::vector<lake::AnalysisToStore> analyses;
  for (size_t i = 0; i < batch.analyses.size(); ++i) {
    const lake::RunTag* run = i < batch.runs.size() && batch.runs[i] ? &*batch.runs[i] : nullptr;
    const kpi::CostEstimate* cost =
        i < batch.costs.size() && batch.costs[i] ? &*batch.costs[i] : nullptr;
    analyses.push_back({&batch.analyses[i], batch.fingerprints[i], run, cost});
  }
  return analyses;
}

Result<lake::IngestStats> StoreBatch(const std::filesystem::path& store,
                                     const ObserveBatch& batch) {
  auto stats = lake::Lake(store).Ingest(AnalysesToStore(batch), batch.now_ms);
  if (!stats) return LakeFailure(std::move(stats).error());
  return stats;
}

}  // namespace prometheus::pipeline

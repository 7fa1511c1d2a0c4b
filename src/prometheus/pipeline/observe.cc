#include "prometheus/pipeline/observe.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "prometheus/lake/tables.h"
#include "prometheus/pipeline/load_logs.h"
#include "prometheus/pipeline/recode.h"

namespace prometheus::pipeline {
namespace {

// An input that the lake already holds at the same size need not be parsed:
// nothing was appended to it since.
bool Unchanged(const io::EventLogInput& input,
               const std::vector<std::map<std::string, lake::IngestedApp>>& tables) {
  for (const auto& table : tables) {
    bool found = false;
    for (const auto& [key, app] : table) {
      if (app.source == lake::StoredSourcePath(input.name) &&
          app.source_bytes == static_cast<int64_t>(input.total_bytes())) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

Result<ObserveBatch> CollectNewLogs(const ObserveRequest& request, Progress* progress) {
  PROM_ASSIGN_OR_RETURN(io::FoundEventLogs found, FindLogs(request.sources));
  lake::Lake lake(request.store);
  std::vector<std::map<std::string, lake::IngestedApp>> ingested;
  for (auto table : {lake::kMetricsTable, lake::kApplicationsTable}) {
    auto apps = lake.Ingested(table);
    if (!apps) return LakeFailure(std::move(apps).error());
    ingested.push_back(std::move(*apps));
  }
  ObserveBatch batch;
  batch.logs_found = static_cast<int64_t>(found.inputs.size());
  std::vector<io::EventLogInput> todo;
  for (auto& input : found.inputs) {
    if (Unchanged(input, ingested)) {
      ++batch.logs_unchanged;
    } else {
      todo.push_back(std::move(input));
    }
  }
  batch.logs_analysed = static_cast<int64_t>(todo.size());
  batch.now_ms = NowMs(request.now_ms);
  Analyzed analyzed =
      AnalyzeLoaded(LoadLogs(todo, request.threads, progress), batch.now_ms);
  batch.applications_read = static_cast<int64_t>(analyzed.analyses.size());
  batch.paths_skipped = static_cast<int64_t>(found.skipped.size());
  batch.warnings = std::move(found.skipped);
  batch.warnings.insert(batch.warnings.end(), analyzed.warnings.begin(), analyzed.warnings.end());
  for (auto& analysis : analyzed.analyses) {
    // analyze shows these in its report; observe has only its warnings.
    if (const model::LoadedLog& log = analysis.log; log.corrupt_line_count > 0) {
      const model::CorruptLine& first = log.corrupt_lines.front();
      batch.warnings.push_back(fmt::format(
          "{}:{}: {} corrupt line(s) in this log, counted and skipped; the first: {}",
          first.file, first.line, log.corrupt_line_count, first.reason));
    }
    const auto& start = analysis.log.application.start_time;
    if (request.since_ms && start && *start < batch.now_ms - *request.since_ms) {
      ++batch.applications_before_since;
      continue;
    }
    auto fingerprint = lake::FingerprintLog(analysis.log.input);
    if (!fingerprint) {
      batch.warnings.push_back(fingerprint.error().message);
      continue;
    }
    batch.analyses.push_back(std::move(analysis));
    batch.fingerprints.push_back(std::move(*fingerprint));
  }
  return batch;
}

Result<lake::IngestStats> StoreBatch(const std::filesystem::path& store,
                                     const ObserveBatch& batch) {
  std::vector<lake::AnalysisToStore> analyses;
  for (size_t i = 0; i < batch.analyses.size(); ++i) {
    analyses.push_back({&batch.analyses[i], batch.fingerprints[i]});
  }
  auto stats = lake::Lake(store).Ingest(analyses, batch.now_ms);
  if (!stats) return LakeFailure(std::move(stats).error());
  return stats;
}

}  // namespace prometheus::pipeline

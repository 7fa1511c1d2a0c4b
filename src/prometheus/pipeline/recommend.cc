#include "prometheus/pipeline/recommend.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/pipeline/recode.h"

namespace prometheus::pipeline {
namespace {

// The log an applications row was read from: the part itself for a single
// file, else the folder that holds the parts.
std::filesystem::path SourceOf(const lake::StoredApplication& app) {
  std::filesystem::path first = app.source_paths.substr(0, app.source_paths.find('\n'));
  if (app.source_layout == "file") return first;
  return first.parent_path();
}

}  // namespace

void AddCostAtStake(const lake::StoredApplication& app,
                    std::vector<rules::Recommendation>& recommendations) {
  if (!app.estimated_list_cost || app.task_time_ms <= 0) return;
  const double cost = *app.estimated_list_cost;
  const std::string currency = app.cost_currency.value_or("");
  const bool billed = app.cost_basis && app.cost_basis->starts_with("billed");
  for (auto& recommendation : recommendations) {
    if (recommendation.impact_task_seconds <= 0) continue;
    double share = std::min(1.0, recommendation.impact_task_seconds * 1000 / app.task_time_ms);
    recommendation.impact_basis += fmt::format(
        "{}cost at stake: {:.2f} {} ({:.1f}% of the application's task time, of its {} {:.2f} {})",
        recommendation.impact_basis.empty() ? "" : "; ", cost * share, currency, share * 100,
        billed ? "billed" : "estimated", cost, currency);
  }
}

Result<Recommended> RecommendStored(const RecommendRequest& request, Progress* progress) {
  lake::Lake lake(request.store);
  std::optional<lake::TableRead<std::vector<lake::StoredApplication>>> apps;
  std::set<std::string> done;
  if (request.applications) {
    apps.emplace(0, *request.applications);
    if (request.recommended) done = *request.recommended;
  } else {
    auto read = lake::ReadApplications(lake);
    if (!read) return LakeFailure(std::move(read).error());
    apps = std::move(*read);
    auto ingested = lake.Ingested(lake::kRecommendationsTable);
    if (!ingested) return LakeFailure(std::move(ingested).error());
    for (const auto& [key, app] : *ingested) done.insert(key);
  }
  if (apps->version < 0 || (request.applications && apps->rows.empty())) {
    return Fail(ErrorCode::kNotFound,
                "{} holds no applications yet: run `prometheus observe` first",
                request.store.string());
  }
  std::vector<std::string> missing;
  std::vector<io::EventLogInput> inputs;
  std::map<std::string, std::string> fingerprints;  // by application key
  std::map<std::string, const lake::StoredApplication*> stored;  // likewise
  for (const lake::StoredApplication& app : apps->rows) {
    std::string key = lake::AppKey(app.app_id, app.app_attempt_id.value_or(""));
    if (!request.all && done.contains(key)) continue;
    std::filesystem::path source = SourceOf(app);
    auto found = io::FindEventLogs({source});
    if (!found || found->inputs.size() != 1) {
      missing.push_back(fmt::format(
          "{}: the log of application {}{} is no longer there; its recommendations need it",
          source.string(), app.app_id,
          app.app_attempt_id ? fmt::format(" (attempt {})", *app.app_attempt_id) : ""));
      continue;
    }
    inputs.push_back(std::move(found->inputs.front()));
    fingerprints[key] = app.fingerprint;
    stored[key] = &app;
  }
  Recommended out;
  out.logs_missing = static_cast<int64_t>(missing.size());
  out.analyzed = AnalyzeLoaded(LoadLogs(inputs, request.threads, progress),
                               NowMs(request.now_ms));
  auto& warnings = out.analyzed.warnings;
  warnings.insert(warnings.begin(), missing.begin(), missing.end());
  PROM_TRY(RunRules(request.rules, out.analyzed));
  for (size_t i = 0; i < out.analyzed.analyses.size(); ++i) {
    const model::Application& app = out.analyzed.analyses[i].log.application;
    const std::string key = lake::AppKey(app.app_id, app.attempt_id);
    auto it = fingerprints.find(key);
    out.fingerprints.push_back(it == fingerprints.end() ? "" : it->second);
    if (auto row = stored.find(key); row != stored.end()) {
      AddCostAtStake(*row->second, out.analyzed.recommendations[i]);
    }
  }
  return out;
}

std::vector<lake::AppRecommendations> RecommendationsToStore(const Recommended& recommended) {
  const Analyzed& analyzed = recommended.analyzed;
  std::vector<lake::AppRecommendations> batch;
  for (size_t i = 0; i < analyzed.analyses.size(); ++i) {
    batch.push_back({&analyzed.analyses[i], &analyzed.recommendations[i],
                     recommended.fingerprints[i]});
  }
  return batch;
}

Result<lake::IngestStats> StoreRecommendations(const RecommendRequest& request,
                                               const Recommended& recommended) {
  auto stats = lake::Lake(request.store)
                   .IngestRecommendations(RecommendationsToStore(recommended), request.all,
                                          NowMs(request.now_ms));
  if (!stats) return LakeFailure(std::move(stats).error());
  return stats;
}

}  // namespace prometheus::pipeline

#include "prometheus/pipeline/recommend.h"

#include <fmt/format.h>

#include <map>
#include <utility>

#include "prometheus/pipeline/recode.h"
#include "prometheus/store/delta_table.h"
#include "prometheus/store/tables.h"

namespace prometheus::pipeline {
namespace {

std::string Text(const store::Table& table, std::string_view column, size_t row) {
  auto index = table.ColumnIndex(column);
  if (!index) return "";
  store::Value value = table.Get(*index, row);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  return "";
}

// The log an applications row was read from: the part itself for a single
// file, else the folder that holds the parts.
std::filesystem::path SourceOf(const store::Table& apps, size_t row) {
  std::string paths = Text(apps, "source_paths", row);
  std::filesystem::path first = paths.substr(0, paths.find('\n'));
  if (Text(apps, "source_layout", row) == "file") return first;
  return first.parent_path();
}

}  // namespace

Result<Recommended> RecommendStored(const RecommendRequest& request, Progress* progress) {
  store::Lake lake(request.store);
  store::DeltaTable applications = lake.Table(store::kApplicationsTable);
  auto snapshot = applications.Load();
  if (!snapshot) return LakeFailure(std::move(snapshot).error());
  if (snapshot->version < 0) {
    return Fail(ErrorCode::kNotFound,
                "{} holds no applications yet: run `prometheus observe` first",
                request.store.string());
  }
  auto apps = applications.ReadAll(*snapshot);
  if (!apps) return LakeFailure(std::move(apps).error());
  auto done = lake.Ingested(store::kRecommendationsTable);
  if (!done) return LakeFailure(std::move(done).error());
  std::vector<std::string> missing;
  std::vector<io::EventLogInput> inputs;
  std::map<std::string, std::string> fingerprints;  // by application key
  for (size_t row = 0; row < apps->num_rows(); ++row) {
    std::string key = Text(*apps, "app_id", row) + "#" + Text(*apps, "app_attempt_id", row);
    if (!request.all && done->contains(key)) continue;
    std::filesystem::path source = SourceOf(*apps, row);
    auto found = io::FindEventLogs({source});
    if (!found || found->size() != 1) {
      missing.push_back(fmt::format(
          "{}: the log of application {} is no longer there; its recommendations need it",
          source.string(), key));
      continue;
    }
    inputs.push_back(std::move(found->front()));
    fingerprints[key] = Text(*apps, "fingerprint", row);
  }
  Recommended out;
  out.analyzed = AnalyzeLoaded(LoadLogs(inputs, request.threads, progress),
                               NowMs(request.now_ms));
  auto& warnings = out.analyzed.warnings;
  warnings.insert(warnings.begin(), missing.begin(), missing.end());
  PROM_TRY(RunRules(request.rules, out.analyzed));
  for (const auto& analysis : out.analyzed.analyses) {
    auto it = fingerprints.find(store::AppKey(analysis.log.application));
    out.fingerprints.push_back(it == fingerprints.end() ? "" : it->second);
  }
  return out;
}

Result<store::IngestStats> StoreRecommendations(const RecommendRequest& request,
                                                const Recommended& recommended) {
  const Analyzed& analyzed = recommended.analyzed;
  std::vector<store::AppRecommendations> batch;
  for (size_t i = 0; i < analyzed.analyses.size(); ++i) {
    batch.push_back({&analyzed.analyses[i], &analyzed.recommendations[i],
                     recommended.fingerprints[i]});
  }
  auto stats = store::Lake(request.store)
                   .IngestRecommendations(batch, request.all, NowMs(request.now_ms));
  if (!stats) return LakeFailure(std::move(stats).error());
  return stats;
}

}  // namespace prometheus::pipeline

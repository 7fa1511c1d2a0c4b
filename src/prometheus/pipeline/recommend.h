// The pipeline behind `recommend`: the lake's applications that have no
// recommendations yet, their logs read again from where `observe` found them
// (so that plan-based rules see the queries), the rules, then the lake.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/pipeline/load_logs.h"
#include "prometheus/pipeline/progress.h"
#include "prometheus/pipeline/rule_options.h"
#include "prometheus/lake/lake.h"

namespace prometheus::pipeline {

struct RecommendRequest {
  std::filesystem::path store;  // the lake folder
  RuleOptions rules;
  bool all = false;  // every application, replacing its recommendations
  int threads = 0;   // logs loaded at once; 0: one per core
  std::optional<int64_t> now_ms;  // absent: the clock
  // When the store is not a lake folder: its applications, and the keys
  // (AppKey) of those with recommendations; then `store` is not read.
  std::optional<std::vector<lake::StoredApplication>> applications;
  std::optional<std::set<std::string>> recommended;
};

struct Recommended {
  Analyzed analyzed;  // with recommendations and warnings
  std::vector<std::string> fingerprints;  // of each analysis' stored log, same order
  // Applications the run should have covered whose logs are no longer where
  // observe found them (each also a warning).
  int64_t logs_missing = 0;
};

// Where the application's cost is known (billed or estimated, in
// prometheus_applications), each recommendation's impact basis gains the
// cost at stake: that cost times the share of the application's task time
// the recommendation would save.
void AddCostAtStake(const lake::StoredApplication& app,
                    std::vector<rules::Recommendation>& recommendations);

// Fails with kIo when the lake cannot be read, kNotFound when it holds no
// applications yet, kInvalidArgument for a bad threshold. An application
// whose log is gone is a warning.
Result<Recommended> RecommendStored(const RecommendRequest& request, Progress* progress);

// The recommendations as the store's ingest takes them (pointers into
// `recommended`).
std::vector<lake::AppRecommendations> RecommendationsToStore(const Recommended& recommended);

// Appends the recommendations to prometheus_recommendations (replacing
// with `request.all`). Fails with kIo or kConflict as StoreBatch does.
Result<lake::IngestStats> StoreRecommendations(const RecommendRequest& request,
                                               const Recommended& recommended);

}  // namespace prometheus::pipeline

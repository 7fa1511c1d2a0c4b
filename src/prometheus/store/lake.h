// The local lakehouse: a folder of Delta tables that `observe` appends to,
// one Parquet file per application attempt per table, so that an in-progress
// application can later be replaced without rewriting anything else.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"
#include "prometheus/store/delta_table.h"
#include "prometheus/store/parquet.h"

namespace prometheus::store {

// What a table's log says about one ingested application attempt (from the
// tags of its add actions).
struct IngestedApp {
  std::string key;  // app id + "#" + attempt id
  std::string fingerprint;
  std::string status;  // complete or in_progress
  std::string source;  // the input's name (a path)
  int64_t source_bytes = 0;
  std::vector<std::string> files;
};

struct AppRecommendations {
  const kpi::Analysis* analysis;
  const std::vector<rules::Recommendation>* recommendations;
  std::string fingerprint;
};

struct IngestStats {
  int64_t appended = 0;  // application attempts new to the table
  int64_t replaced = 0;  // in-progress attempts replaced by a newer log
  int64_t unchanged = 0; // already there: nothing written
  int64_t commits = 0;
  int64_t conflicts = 0; // commits lost to another writer, then retried
};

// Application attempts of a table's snapshot, by key.
std::map<std::string, IngestedApp> IngestedApps(const Snapshot& snapshot);

// The application key used in tags and for de-duplication.
std::string AppKey(const model::Application& app);

class Lake {
 public:
  // `max_commit_attempts` bounds the retries of a commit that keeps losing
  // races to other writers; past it, Ingest fails and appends nothing.
  explicit Lake(std::filesystem::path root, ParquetWriteOptions options = {},
                int max_commit_attempts = 50)
      : root_(std::move(root)),
        options_(options),
        max_commit_attempts_(max_commit_attempts) {}

  int max_commit_attempts() const { return max_commit_attempts_; }

  const std::filesystem::path& root() const { return root_; }
  DeltaTable Table(std::string_view name) const {
    return DeltaTable(root_ / std::string(name));
  }

  // Application attempts in `table`, by key.
  Result<std::map<std::string, IngestedApp>> Ingested(std::string_view table) const;

  // Appends the analyses to prometheus_metrics and prometheus_applications,
  // one commit per table: an attempt already there complete is skipped, one
  // there in progress is replaced (remove + add in the same commit) when its
  // fingerprint changed. Lost commit races are retried on the new state, and
  // a txn action makes a retried batch land once.
  Result<IngestStats> Ingest(const std::vector<const kpi::Analysis*>& analyses,
                             const std::vector<std::string>& fingerprints,
                             int64_t now_ms) const;

  // Appends each application's recommendations to prometheus_recommendations
  // as one file per application; an application that has some already is
  // skipped, or, with `replace`, replaced (remove + add), never duplicated.
  Result<IngestStats> IngestRecommendations(const std::vector<AppRecommendations>& batch,
                                            bool replace, int64_t now_ms) const;

 private:
  std::filesystem::path root_;
  ParquetWriteOptions options_;
  int max_commit_attempts_;
};

}  // namespace prometheus::store

// The lakehouse: a folder of Delta tables that `observe` appends to,
// one Parquet file per application attempt per table, so that an in-progress
// application can later be replaced without rewriting anything else.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "prometheus/base/file_system.h"
#include "prometheus/base/result.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"
#include "prometheus/delta/delta_table.h"
#include "prometheus/parquet/parquet.h"
#include "prometheus/lake/stored_records.h"

namespace prometheus::lake {

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

// An analysis to store, with the fingerprint of its log (FingerprintLog).
struct AnalysisToStore {
  const kpi::Analysis* analysis;
  std::string fingerprint;
  // The Databricks task run it was observed in, if any: its rows carry the
  // run's ids, and it is stored once per run (AppKey).
  const RunTag* run = nullptr;
  const kpi::CostEstimate* cost = nullptr;  // stored in prometheus_applications
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
  // Files no commit names, left by earlier runs that failed or were killed,
  // removed before this one wrote (RemoveOrphans).
  int64_t orphans_removed = 0;
  uint64_t orphan_bytes_removed = 0;
};

// The tags of an add action that say which application attempt its file
// holds: one file per attempt as `observe` writes them.
inline constexpr const char* kTagApp = "prometheus.app";
inline constexpr const char* kTagFingerprint = "prometheus.fingerprint";
inline constexpr const char* kTagStatus = "prometheus.status";
inline constexpr const char* kTagSource = "prometheus.source";
inline constexpr const char* kTagSourceBytes = "prometheus.source_bytes";
// A file `optimize` compacted holds several complete attempts: this tag
// lists them (a JSON array of {key, fingerprint, status, source,
// source_bytes}) in place of the five above.
inline constexpr const char* kTagApps = "prometheus.apps";

// Application attempts of a table's snapshot, by key.
std::map<std::string, IngestedApp> IngestedApps(const delta::Snapshot& snapshot);
// The attempts one file holds, from its tags (`files` left empty); none for
// a file without our tags.
std::vector<IngestedApp> AppsOfFile(const delta::AddFile& add);
// A new data file's name, as Spark names them: part-00000-<uuid>-c000.snappy.parquet.
std::string NewDataFileName(const parquet::ParquetWriteOptions& options);
// The kTagApps value for a file holding `apps`.
std::string CompactedAppsTag(const std::vector<IngestedApp>& apps);

class Lake {
 public:
  // A commit that keeps losing races to other writers is retried this many
  // times; past it, an ingest fails and appends nothing.
  static constexpr int kMaxCommitAttempts = 50;

  // The lake in folder `root` of `file_system`, which must outlive it.
  explicit Lake(std::filesystem::path root, parquet::ParquetWriteOptions options = {},
                FileSystem& file_system = LocalFileSystem())
      : root_(std::move(root)), options_(options), file_system_(&file_system) {}

  const std::filesystem::path& root() const { return root_; }
  const parquet::ParquetWriteOptions& options() const { return options_; }
  FileSystem& file_system() const { return *file_system_; }
  delta::DeltaTable Table(std::string_view name) const {
    return delta::DeltaTable(root_ / std::string(name), *file_system_);
  }

  // Application attempts in `table`, by key.
  Result<std::map<std::string, IngestedApp>> Ingested(std::string_view table) const;

  // Appends the analyses to prometheus_metrics and prometheus_applications,
  // one commit per table: an attempt already there complete is skipped, one
  // there in progress is replaced (remove + add in the same commit) when its
  // fingerprint changed. Lost commit races are retried on the new state, and
  // a txn action makes a retried batch land once. The counts are those of
  // prometheus_applications (a batch that landed already counts as stored).
  // An empty batch returns at once, touching nothing.
  Result<IngestStats> Ingest(const std::vector<AnalysisToStore>& batch, int64_t now_ms) const;

  // Appends each application's recommendations to prometheus_recommendations
  // as one file per application; an application that has some already is
  // skipped, or, with `replace`, replaced (remove + add), never duplicated.
  Result<IngestStats> IngestRecommendations(const std::vector<AppRecommendations>& batch,
                                            bool replace, int64_t now_ms) const;

 private:
  std::filesystem::path root_;
  parquet::ParquetWriteOptions options_;
  FileSystem* file_system_;
};

}  // namespace prometheus::lake

// Prometheus' tables in Unity Catalog: each batch's rows written as one
// Parquet file per table to a staging volume (Files API, put once under a
// name made from its content, deleted once loaded), then loaded with a keyed MERGE through the
// SQL Statement Execution API, so that a retried or repeated batch adds
// nothing twice; read back with SELECTs.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/databricks/statements.h"
#include "prometheus/databricks/workspace.h"
#include "prometheus/kpi/cost_estimate.h"
#include "prometheus/lake/lake.h"
#include "prometheus/parquet/table.h"
#include "prometheus/unity/uc_sql.h"

namespace prometheus::unity {

class UcStore {
 public:
  // `workspace` must outlive the store.
  UcStore(const databricks::Workspace& workspace, databricks::StatementOptions options,
          UcLocation location)
      : workspace_(&workspace), options_(std::move(options)), location_(std::move(location)) {}

  const UcLocation& location() const { return location_; }

  // Creates the three tables where they are missing (and the default
  // staging volume).
  Status EnsureTables() const;

  // The application attempts prometheus_applications holds, by AppKey
  // (fingerprint and status; no source, so nothing is skipped unparsed).
  Result<std::map<std::string, lake::IngestedApp>> Ingested() const;

  // Stores the analyses (the tables exist: EnsureTables) as Lake::Ingest does: an attempt there complete, or
  // there with the same fingerprint, is left alone (unchanged); one there in
  // progress with another fingerprint is replaced (its rows updated in
  // place by the MERGE); others are appended. prometheus_metrics is loaded
  // before prometheus_applications, whose row marks an attempt stored.
  Result<lake::IngestStats> Ingest(const std::vector<lake::AnalysisToStore>& batch,
                                   int64_t now_ms) const;

  // The AppKeys (without task runs) of the applications that have
  // recommendations.
  Result<std::set<std::string>> RecommendedApps() const;

  // Stores each application's recommendations as Lake::IngestRecommendations
  // does: an application with some already is left alone (unchanged), or,
  // with `replace`, has its rows deleted first (replaced); rows are merged
  // by recommendation_id, so a repeated batch adds nothing twice.
  Result<lake::IngestStats> IngestRecommendations(const std::vector<lake::AppRecommendations>& batch,
                                                  bool replace, int64_t now_ms) const;

  // What each job run cost as billed: system.billing.usage joined to
  // system.billing.list_prices (by SKU, cloud and the price valid at the
  // usage's end), summed over all record types; runs without usage are
  // absent. Only usage from `from_ms`'s day on is read.
  Result<std::map<int64_t, kpi::CostEstimate>> BilledCosts(const std::set<int64_t>& run_ids,
                                                           int64_t from_ms) const;

  // Every row of one of the three tables.
  Result<parquet::Table> ReadTable(std::string_view table) const;

  // Statements run and files put over the store's life.
  int64_t statements() const { return statements_; }
  int64_t files_put() const { return files_put_; }

 private:
  Result<databricks::StatementResult> Run(const std::string& statement,
                                          const std::vector<databricks::StatementParameter>& parameters) const;
  // Writes `rows` as Parquet to the staging volume and merges it into `table`.
  Status Load(std::string_view table, const parquet::Table& rows) const;

  const databricks::Workspace* workspace_;
  databricks::StatementOptions options_;
  UcLocation location_;
  mutable std::atomic<int64_t> statements_{0};
  mutable std::atomic<int64_t> files_put_{0};
};

}  // namespace prometheus::unity

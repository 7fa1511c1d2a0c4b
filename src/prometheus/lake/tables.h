// Prometheus' own tables (docs/TABLES.md): their schemas and their rows.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"
#include "prometheus/lake/stored_records.h"
#include "prometheus/parquet/table.h"

namespace prometheus::lake {

inline constexpr std::string_view kMetricsTable = "prometheus_metrics";
inline constexpr std::string_view kApplicationsTable = "prometheus_applications";
inline constexpr std::string_view kRecommendationsTable =
    "prometheus_recommendations";

// The schema of each table; an unknown name gives nullptr.
const parquet::Schema* TableSchema(std::string_view table);

// The key of an application attempt in tags and for de-duplication:
// "app id#attempt id"; "app id#attempt id@task run id" for an application
// observed in a Databricks task run (stored once per run that saw it).
std::string AppKey(std::string_view app_id, std::string_view attempt_id);
std::string AppKey(const kpi::Analysis& analysis, const RunTag* run);

// A log's path as the lake stores it: absolute and normalised, so that a
// later command finds the log from any folder; a URI is kept as it is.
std::string StoredSourcePath(const std::filesystem::path& path);

// "complete", or "in_progress" for an application without an end or a log
// still being written.
std::string ApplicationStatus(const kpi::Analysis& analysis);

// The row of prometheus_applications and of prometheus_recommendations as
// structs, as written (readers.h reads them back).
// With `run`, the row is tagged with the Databricks run; with `cost`, its
// estimated DBUs and list cost.
StoredApplication ApplicationRecord(const kpi::Analysis& analysis, const std::string& fingerprint,
                                    int64_t ingested_at_ms, const RunTag* run = nullptr,
                                    const kpi::CostEstimate* cost = nullptr);
StoredRecommendation RecommendationRecord(const rules::Recommendation& recommendation,
                                          int64_t created_at_ms);

// One row per stage attempt: the KPI columns, in contract order.
const parquet::Schema& MetricsSchema();
// With `run`, run_id and job_id are the run's, and when the log names the
// run on some stages' Spark jobs, only those stages are kept (the run's own
// part of an application shared by several runs).
parquet::Table MetricsRows(const kpi::Analysis& analysis, const RunTag* run = nullptr);

// One row per analysed application attempt.
const parquet::Schema& ApplicationsSchema();
parquet::Table ApplicationRow(const kpi::Analysis& analysis,
                     const std::string& fingerprint, int64_t ingested_at_ms,
                     const RunTag* run = nullptr,
                     const kpi::CostEstimate* cost = nullptr);

// One row per recommendation (docs/TABLES.md).
const parquet::Schema& RecommendationsSchema();
parquet::Table RecommendationRows(const std::vector<rules::Recommendation>& recommendations,
                         int64_t created_at_ms);

// A content fingerprint of a log: a hash of its parts' sizes and of the
// first and last 64 KiB of each, cheap to compute before parsing.
Result<std::string> FingerprintLog(const io::EventLogInput& input);

}  // namespace prometheus::lake

// Prometheus' own tables (docs/TABLES.md): their schemas and their rows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"
#include "prometheus/store/table.h"

namespace prometheus::store {

inline constexpr std::string_view kMetricsTable = "prometheus_metrics";
inline constexpr std::string_view kApplicationsTable = "prometheus_applications";
inline constexpr std::string_view kRecommendationsTable =
    "prometheus_recommendations";

// The schema of each table; an unknown name gives nullptr.
const Schema* TableSchema(std::string_view table);

// One row per stage attempt: the KPI columns, in contract order.
const Schema& MetricsSchema();
Table MetricsRows(const kpi::Analysis& analysis);

// One row per analysed application attempt.
const Schema& ApplicationsSchema();
Table ApplicationRow(const kpi::Analysis& analysis,
                     const std::string& fingerprint, int64_t ingested_at_ms);

// One row per recommendation (docs/TABLES.md).
const Schema& RecommendationsSchema();
Table RecommendationRows(const std::vector<rules::Recommendation>& recommendations,
                         int64_t created_at_ms);

// A content fingerprint of a log: a hash of its parts' sizes and of the
// first and last 64 KiB of each, cheap to compute before parsing.
Result<std::string> FingerprintLog(const io::EventLogInput& input);

}  // namespace prometheus::store

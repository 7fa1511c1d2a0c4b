// Reading the lake's tables back: generically as a parquet::Table (for
// `show`), or typed, one struct per row, so that no caller reads columns by
// name.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/lake/lake.h"
#include "prometheus/lake/stored_records.h"
#include "prometheus/parquet/table.h"

namespace prometheus::lake {

// A table's rows at its latest version.
template <typename Rows>
struct TableRead {
  int64_t version = -1;  // -1: the table does not exist yet (no rows)
  Rows rows;
};

// Every row of `table` (any Delta table of the lake), with its schema.
Result<TableRead<parquet::Table>> ReadTable(const Lake& lake, std::string_view table);

// The first `limit` rows of `table` as ReadTable orders them, and how many it
// holds (counted from the log's statistics): only the files holding those
// rows are read.
struct TableHead {
  int64_t version = -1;
  parquet::Table rows;
  int64_t total_rows = 0;
};
Result<TableHead> ReadTableHead(const Lake& lake, std::string_view table, size_t limit);

// prometheus_applications, one struct per application attempt.
Result<TableRead<std::vector<StoredApplication>>> ReadApplications(const Lake& lake);

// prometheus_metrics, one row per stage attempt.
Result<TableRead<std::vector<kpi::StageKpis>>> ReadStageRows(const Lake& lake);

// prometheus_recommendations, one struct per stored recommendation.
Result<TableRead<std::vector<StoredRecommendation>>> ReadRecommendations(const Lake& lake);

// prometheus_applications' rows read elsewhere (a Unity Catalog store).
std::vector<StoredApplication> ApplicationRecords(const parquet::Table& table);

// prometheus_recommendations' rows read elsewhere (a Unity Catalog store),
// one struct per row.
std::vector<StoredRecommendation> RecommendationRecords(const parquet::Table& table);

}  // namespace prometheus::lake

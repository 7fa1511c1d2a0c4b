#include "prometheus/pipeline/lake_table.h"

#include <string>
#include <utility>

#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/pipeline/recode.h"

namespace prometheus::pipeline {

Result<LakeTable> ReadLakeTable(const std::filesystem::path& store, std::string_view name,
                                size_t limit) {
  if (!lake::TableSchema(name)) {
    return Fail(ErrorCode::kInvalidArgument,
                "unknown table {}: expected prometheus_metrics, "
                "prometheus_applications or prometheus_recommendations",
                name);
  }
  lake::Lake lake(store);
  Result<lake::TableHead> read = lake::TableHead{};
  if (limit > 0) {
    read = lake::ReadTableHead(lake, name, limit);
  } else if (auto whole = lake::ReadTable(lake, name); whole) {
    const auto rows = static_cast<int64_t>(whole->rows.num_rows());
    read = lake::TableHead{whole->version, std::move(whole->rows), rows};
  } else {
    read = std::unexpected(std::move(whole).error());
  }
  if (!read) return LakeFailure(std::move(read).error());
  if (read->version < 0) {
    return Fail(ErrorCode::kNotFound, "{} holds no table yet: run `prometheus {} --store {}` first",
                lake.Table(name).root().string(),
                name == lake::kRecommendationsTable ? "recommend" : "observe --source LOGS",
                store.string());
  }
  return LakeTable{std::move(read->rows), read->version, read->total_rows};
}

}  // namespace prometheus::pipeline

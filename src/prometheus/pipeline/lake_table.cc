#include "prometheus/pipeline/lake_table.h"

#include <string>
#include <utility>

#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/pipeline/recode.h"

namespace prometheus::pipeline {

Result<LakeTable> ReadLakeTable(const std::filesystem::path& store, std::string_view name) {
  if (!lake::TableSchema(name)) {
    return Fail(ErrorCode::kInvalidArgument,
                "unknown table {}: expected prometheus_metrics, "
                "prometheus_applications or prometheus_recommendations",
                name);
  }
  lake::Lake lake(store);
  auto read = lake::ReadTable(lake, name);
  if (!read) return LakeFailure(std::move(read).error());
  if (read->version < 0) {
    return Fail(ErrorCode::kNotFound, "{} holds no table yet: run `prometheus {} --store {}` first",
                lake.Table(name).root().string(),
                name == lake::kRecommendationsTable ? "recommend" : "observe --source LOGS",
                store.string());
  }
  return LakeTable{std::move(read->rows), read->version};
}

}  // namespace prometheus::pipeline

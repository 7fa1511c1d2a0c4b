#include "prometheus/pipeline/lake_table.h"

#include <string>
#include <utility>

#include "prometheus/pipeline/recode.h"
#include "prometheus/store/delta_table.h"
#include "prometheus/store/tables.h"

namespace prometheus::pipeline {

Result<LakeTable> ReadLakeTable(const std::filesystem::path& store, std::string_view name) {
  if (!store::TableSchema(name)) {
    return Fail(ErrorCode::kInvalidArgument,
                "unknown table {}: expected prometheus_metrics, "
                "prometheus_applications or prometheus_recommendations",
                name);
  }
  store::DeltaTable delta(store / std::string(name));
  auto snapshot = delta.Load();
  if (!snapshot) return LakeFailure(std::move(snapshot).error());
  if (snapshot->version < 0) {
    return Fail(ErrorCode::kNotFound, "{} holds no table yet: run `prometheus observe` first",
                delta.root().string());
  }
  auto table = delta.ReadAll(*snapshot);
  if (!table) return LakeFailure(std::move(table).error());
  return LakeTable{std::move(*table), snapshot->version};
}

}  // namespace prometheus::pipeline

#include "prometheus/delta/delta_stats.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "prometheus/base/time_format.h"

namespace prometheus::delta {

using parquet::ColumnStats;
using parquet::ColumnType;
using parquet::ParquetFileInfo;
using parquet::Schema;
using parquet::Value;
namespace {

using Json = nlohmann::ordered_json;

// Spark truncates timestamp bounds down to milliseconds.
std::string IsoMillis(int64_t micros) {
  int64_t ms = micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
  return IsoUtcMillis(ms);
}

// The stats form of a bound, or null when Spark would not record it.
Json Bound(ColumnType type, const Value& value) {
  if (std::holds_alternative<std::monostate>(value)) return nullptr;
  switch (type) {
    case ColumnType::kInt32:
    case ColumnType::kInt64:
      if (const auto* i = std::get_if<int64_t>(&value)) return *i;
      return nullptr;
    case ColumnType::kDouble:
      if (const auto* d = std::get_if<double>(&value); d && !std::isnan(*d) && std::isfinite(*d)) {
        return *d;
      }
      return nullptr;
    case ColumnType::kTimestamp:
      if (const auto* i = std::get_if<int64_t>(&value)) return IsoMillis(*i);
      return nullptr;
    case ColumnType::kString:
      if (const auto* s = std::get_if<std::string>(&value); s && s->size() <= 32) return *s;
      return nullptr;
    case ColumnType::kBoolean:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

std::string StatsJson(const Schema& schema, const ParquetFileInfo& info) {
  Json min_values = Json::object(), max_values = Json::object(), null_count = Json::object();
  for (size_t i = 0; i < schema.size() && i < info.stats.size(); ++i) {
    const ColumnStats& stats = info.stats[i];
    null_count[schema[i].name] = stats.null_count;
    Json low = Bound(schema[i].type, stats.min);
    Json high = Bound(schema[i].type, stats.max);
    if (!low.is_null() && !high.is_null()) {
      min_values[schema[i].name] = low;
      max_values[schema[i].name] = high;
    }
  }
  return Json{{"numRecords", info.num_rows},
              {"minValues", min_values},
              {"maxValues", max_values},
              {"nullCount", null_count}}
      .dump();
}

}  // namespace prometheus::delta

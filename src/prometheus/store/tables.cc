#include "prometheus/store/tables.h"

#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <type_traits>

namespace prometheus::store {
namespace {

// The store type of each KPI value type.
template <typename T>
constexpr ColumnType KpiColumnType() {
  using V = std::decay_t<T>;
  if constexpr (std::is_same_v<V, kpi::EpochMillis>) {
    return ColumnType::kTimestamp;
  } else if constexpr (std::is_same_v<V, bool>) {
    return ColumnType::kBoolean;
  } else if constexpr (std::is_same_v<V, double> ||
                       std::is_same_v<V, std::optional<double>>) {
    return ColumnType::kDouble;
  } else if constexpr (std::is_same_v<V, std::string> ||
                       std::is_same_v<V, std::optional<std::string>>) {
    return ColumnType::kString;
  } else {
    return ColumnType::kInt64;
  }
}

template <typename T>
void Put(Table& table, size_t column, size_t row, const T& value) {
  using V = std::decay_t<T>;
  if constexpr (std::is_same_v<V, kpi::EpochMillis>) {
    if (value.value) table.SetInt(column, row, *value.value * 1000);
  } else if constexpr (std::is_same_v<V, bool>) {
    table.SetBool(column, row, value);
  } else if constexpr (std::is_same_v<V, double>) {
    table.SetDouble(column, row, value);
  } else if constexpr (std::is_same_v<V, std::optional<double>>) {
    if (value) table.SetDouble(column, row, *value);
  } else if constexpr (std::is_same_v<V, std::string>) {
    table.SetString(column, row, value);
  } else if constexpr (std::is_same_v<V, std::optional<std::string>>) {
    if (value) table.SetString(column, row, *value);
  } else if constexpr (std::is_same_v<V, std::optional<int64_t>>) {
    if (value) table.SetInt(column, row, *value);
  } else {
    table.SetInt(column, row, value);
  }
}

Schema BuildMetricsSchema() {
  Schema schema;
  kpi::VisitColumns(kpi::StageKpis{}, [&](std::string_view name, const auto& value) {
    schema.push_back({std::string(name), KpiColumnType<decltype(value)>(), true});
  });
  return schema;
}

uint64_t Fnv1a(uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

std::optional<int64_t> MillisToMicros(const std::optional<int64_t>& ms) {
  if (!ms) return std::nullopt;
  return *ms * 1000;
}

}  // namespace

const Schema& MetricsSchema() {
  static const auto* schema = new Schema(BuildMetricsSchema());
  return *schema;
}

Table MetricsRows(const kpi::Analysis& analysis) {
  Table table = MakeTable(MetricsSchema(), analysis.stages.size());
  for (const auto& stage : analysis.stages) {
    size_t row = table.AddRow();
    size_t column = 0;
    kpi::VisitColumns(stage, [&](std::string_view, const auto& value) {
      Put(table, column++, row, value);
    });
  }
  return table;
}

const Schema& ApplicationsSchema() {
  static const auto* schema = new Schema{
      {"app_id", ColumnType::kString, true},
      {"app_attempt_id", ColumnType::kString, true},
      {"app_name", ColumnType::kString, true},
      {"user", ColumnType::kString, true},
      {"spark_version", ColumnType::kString, true},
      {"run_id", ColumnType::kInt64, true},
      {"job_id", ColumnType::kInt64, true},
      {"cluster_id", ColumnType::kString, true},
      {"start_time", ColumnType::kTimestamp, true},
      {"end_time", ColumnType::kTimestamp, true},
      {"duration_ms", ColumnType::kInt64, true},
      {"num_jobs", ColumnType::kInt64, true},
      {"num_failed_jobs", ColumnType::kInt64, true},
      {"num_stages", ColumnType::kInt64, true},
      {"num_tasks", ColumnType::kInt64, true},
      {"num_failed_tasks", ColumnType::kInt64, true},
      {"num_executors", ColumnType::kInt64, true},
      {"task_time_ms", ColumnType::kInt64, true},
      {"gc_time_ms", ColumnType::kInt64, true},
      {"input_bytes", ColumnType::kInt64, true},
      {"shuffle_read_bytes", ColumnType::kInt64, true},
      {"shuffle_write_bytes", ColumnType::kInt64, true},
      {"disk_bytes_spilled", ColumnType::kInt64, true},
      {"core_seconds_available", ColumnType::kDouble, true},
      {"core_seconds_used", ColumnType::kDouble, true},
      {"source_paths", ColumnType::kString, true},
      {"source_layout", ColumnType::kString, true},
      {"source_bytes", ColumnType::kInt64, true},
      {"fingerprint", ColumnType::kString, true},
      {"status", ColumnType::kString, true},
      {"corrupt_lines", ColumnType::kInt64, true},
      {"ingested_at", ColumnType::kTimestamp, true},
  };
  return *schema;
}

Table ApplicationRow(const kpi::Analysis& a, const std::string& fingerprint,
                     int64_t ingested_at_ms) {
  const model::Application& app = a.log.application;
  const kpi::ApplicationKpis& k = a.application;
  Table table = MakeTable(ApplicationsSchema(), 1);
  size_t row = table.AddRow();
  size_t c = 0;
  table.SetString(c++, row, app.app_id);
  if (!app.attempt_id.empty()) table.SetString(c, row, app.attempt_id);
  ++c;
  table.SetString(c++, row, app.name);
  table.SetString(c++, row, app.user);
  table.SetString(c++, row, app.spark_version);
  std::optional<int64_t> run_id, job_id;
  if (!a.stages.empty()) {
    run_id = a.stages.front().run_id;
    job_id = a.stages.front().job_id;
  }
  Put(table, c++, row, run_id);
  Put(table, c++, row, job_id);
  const std::string* cluster = app.Property("spark.databricks.clusterUsageTags.clusterId");
  Put(table, c++, row, cluster ? std::optional(*cluster) : std::nullopt);
  Put(table, c++, row, MillisToMicros(app.start_time));
  Put(table, c++, row, MillisToMicros(app.end_time));
  Put(table, c++, row, k.duration_ms);
  table.SetInt(c++, row, k.num_jobs);
  table.SetInt(c++, row, k.num_failed_jobs);
  table.SetInt(c++, row, k.totals.num_stages);
  table.SetInt(c++, row, k.totals.num_tasks);
  table.SetInt(c++, row, k.totals.num_failed_tasks);
  table.SetInt(c++, row, k.num_executors);
  table.SetInt(c++, row, k.totals.task_time_ms);
  table.SetInt(c++, row, k.totals.gc_time_ms);
  table.SetInt(c++, row, k.totals.input_bytes);
  table.SetInt(c++, row, k.totals.shuffle_read_bytes);
  table.SetInt(c++, row, k.totals.shuffle_write_bytes);
  table.SetInt(c++, row, k.totals.disk_bytes_spilled);
  Put(table, c++, row, k.core_seconds_available);
  table.SetDouble(c++, row, k.core_seconds_used);
  std::string paths;
  for (const auto& part : a.log.input.parts) {
    if (!paths.empty()) paths += '\n';
    paths += part.path.string();
  }
  table.SetString(c++, row, paths);
  table.SetString(c++, row, std::string(io::LayoutName(a.log.input.layout)));
  table.SetInt(c++, row, static_cast<int64_t>(a.log.input.total_bytes()));
  table.SetString(c++, row, fingerprint);
  bool complete = app.end_time.has_value() && !a.log.input.in_progress;
  table.SetString(c++, row, complete ? "complete" : "in_progress");
  table.SetInt(c++, row, a.log.corrupt_line_count);
  table.SetInt(c++, row, ingested_at_ms * 1000);
  return table;
}

const Schema& RecommendationsSchema() {
  static const auto* schema = new Schema{
      {"recommendation_id", ColumnType::kString, true},
      {"run_id", ColumnType::kInt64, true},
      {"job_id", ColumnType::kInt64, true},
      {"app_id", ColumnType::kString, true},
      {"app_attempt_id", ColumnType::kString, true},
      {"spark_job_id", ColumnType::kInt64, true},
      {"stage_ids", ColumnType::kString, true},
      {"sql_execution_id", ColumnType::kInt64, true},
      {"plan_node", ColumnType::kString, true},
      {"rule", ColumnType::kString, true},
      {"severity", ColumnType::kString, true},
      {"message", ColumnType::kString, true},
      {"evidence", ColumnType::kString, true},
      {"fix", ColumnType::kString, true},
      {"impact_task_seconds", ColumnType::kDouble, true},
      {"impact_wall_seconds", ColumnType::kDouble, true},
      {"impact_basis", ColumnType::kString, true},
      {"created_at", ColumnType::kTimestamp, true},
  };
  return *schema;
}

Table RecommendationRows(const std::vector<rules::Recommendation>& recommendations,
                         int64_t created_at_ms) {
  Table table = MakeTable(RecommendationsSchema(), recommendations.size());
  for (const auto& r : recommendations) {
    size_t row = table.AddRow();
    size_t c = 0;
    table.SetString(c++, row, r.id);
    Put(table, c++, row, r.scope.run_id);
    Put(table, c++, row, r.scope.job_id);
    table.SetString(c++, row, r.scope.app_id);
    if (!r.scope.app_attempt_id.empty()) table.SetString(c, row, r.scope.app_attempt_id);
    ++c;
    if (!r.scope.spark_job_ids.empty()) table.SetInt(c, row, r.scope.spark_job_ids.front());
    ++c;
    table.SetString(c++, row, nlohmann::json(r.scope.stage_ids).dump());
    Put(table, c++, row, r.scope.sql_execution_id);
    if (!r.scope.plan_node.empty()) table.SetString(c, row, r.scope.plan_node);
    ++c;
    table.SetString(c++, row, r.rule);
    table.SetString(c++, row, std::string(rules::SeverityName(r.severity)));
    table.SetString(c++, row, r.message);
    table.SetString(c++, row, r.evidence.dump());
    table.SetString(c++, row, rules::FixJson(r).dump());
    table.SetDouble(c++, row, r.impact_task_seconds);
    table.SetDouble(c++, row, r.impact_wall_seconds);
    table.SetString(c++, row, r.impact_basis);
    table.SetInt(c++, row, created_at_ms * 1000);
  }
  return table;
}

const Schema* TableSchema(std::string_view table) {
  if (table == kMetricsTable) return &MetricsSchema();
  if (table == kApplicationsTable) return &ApplicationsSchema();
  if (table == kRecommendationsTable) return &RecommendationsSchema();
  return nullptr;
}

Result<std::string> FingerprintLog(const io::EventLogInput& input) {
  constexpr size_t kEdge = 64 * 1024;
  uint64_t hash = 1469598103934665603ull;
  std::string buffer(kEdge, '\0');
  for (const auto& part : input.parts) {
    hash = Fnv1a(hash, part.path.filename().string());
    hash = Fnv1a(hash, std::to_string(part.size_bytes));
    std::ifstream in(part.path, std::ios::binary);
    if (!in) return Fail("{}: cannot open", part.path.string());
    in.read(buffer.data(), kEdge);
    hash = Fnv1a(hash, std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
    if (part.size_bytes > kEdge) {
      in.clear();
      in.seekg(static_cast<std::streamoff>(part.size_bytes - kEdge));
      in.read(buffer.data(), kEdge);
      hash = Fnv1a(hash, std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
    }
  }
  return fmt::format("{:016x}", hash);
}

}  // namespace prometheus::store

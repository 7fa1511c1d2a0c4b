#include "prometheus/rules/scopes.h"

#include "prometheus/plan/plan_analysis.h"
#include "prometheus/rules/internal/failure_text.h"

#include <charconv>
#include <type_traits>

namespace prometheus::rules {
namespace {

template <typename T>
ExprValue ToExpr(const T& value) {
  using V = std::decay_t<T>;
  if constexpr (std::is_same_v<V, kpi::EpochMillis>) {
    return value.value ? ExprValue(static_cast<double>(*value.value)) : ExprValue();
  } else if constexpr (std::is_same_v<V, bool>) {
    return value;
  } else if constexpr (std::is_same_v<V, std::string>) {
    return value;
  } else if constexpr (std::is_same_v<V, std::optional<std::string>>) {
    return value ? ExprValue(*value) : ExprValue();
  } else if constexpr (requires { value.has_value(); }) {
    return value ? ExprValue(static_cast<double>(*value)) : ExprValue();
  } else {
    return static_cast<double>(value);
  }
}

std::optional<double> PropertyNumber(const model::Application& app, std::string_view key) {
  const std::string* text = app.Property(key);
  if (text == nullptr) return std::nullopt;
  double value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc()) return std::nullopt;
  return value;
}

// Whether AQE ran: set explicitly, else Spark's default (on from 3.2).
bool AqeEnabled(const model::Application& app) {
  if (const std::string* value = app.Property("spark.sql.adaptive.enabled")) {
    return *value == "true";
  }
  const std::string& version = app.spark_version;
  int major = 0, minor = 0;
  std::from_chars(version.data(), version.data() + version.size(), major);
  size_t dot = version.find('.');
  if (dot != std::string::npos) {
    std::from_chars(version.data() + dot + 1, version.data() + version.size(), minor);
  }
  return major > 3 || (major == 3 && minor >= 2);
}

}  // namespace

MapScope ApplicationScope(const kpi::Analysis& a) {
  const model::Application& app = a.log.application;
  const kpi::ApplicationKpis& k = a.application;
  MapScope scope;
  scope.Set("app_id", app.app_id);
  scope.Set("app_spark_version", app.spark_version);
  scope.Set("app_max_cores", static_cast<double>(k.max_cores));
  scope.Set("app_num_executors", static_cast<double>(k.num_executors));
  scope.Set("app_duration_ms", ToExpr(k.duration_ms));
  scope.Set("app_task_time_ms", static_cast<double>(k.totals.task_time_ms));
  scope.Set("app_gc_time_ms", static_cast<double>(k.totals.gc_time_ms));
  scope.Set("app_num_jobs", static_cast<double>(k.num_jobs));
  scope.Set("app_num_failed_jobs", static_cast<double>(k.num_failed_jobs));
  scope.Set("app_num_tasks", static_cast<double>(k.totals.num_tasks));
  scope.Set("app_num_failed_tasks", static_cast<double>(k.totals.num_failed_tasks));
  // " By cause: ..." for messages to append; "" when no task failed.
  scope.Set("app_failure_causes", k.totals.num_failed_tasks > 0
                                      ? " By cause: " + ApplicationCausesText(app) + "."
                                      : std::string());
  scope.Set("app_core_seconds_available", ToExpr(k.core_seconds_available));
  scope.Set("app_core_seconds_used", k.core_seconds_used);
  scope.Set("app_core_utilization", ToExpr(k.core_utilization));
  scope.Set("shuffle_partitions",
            PropertyNumber(app, "spark.sql.shuffle.partitions").value_or(200));
  scope.Set("aqe_enabled", AqeEnabled(app));
  // Under AQE, shuffle partitions are coalesced up to the advisory size
  // (64 MiB by default): that size, not spark.sql.shuffle.partitions, sets
  // how much a reducer reads.
  const std::string* coalesce = app.Property("spark.sql.adaptive.coalescePartitions.enabled");
  scope.Set("aqe_coalesces", AqeEnabled(app) && (coalesce == nullptr || *coalesce == "true"));
  const std::string* advisory = app.Property("spark.sql.adaptive.advisoryPartitionSizeInBytes");
  if (advisory == nullptr) advisory = app.Property("spark.sql.adaptive.shuffle.targetPostShuffleInputSize");
  std::optional<int64_t> advisory_bytes;
  if (advisory != nullptr) advisory_bytes = plan::ParseByteSize(*advisory);
  scope.Set("advisory_partition_bytes", static_cast<double>(advisory_bytes.value_or(64ll << 20)));
  return scope;
}

MapScope StageScope(const kpi::Analysis& analysis, const kpi::StageKpis& stage) {
  return StageScope(ApplicationScope(analysis), stage);
}

MapScope StageScope(const MapScope& application, const kpi::StageKpis& stage) {
  MapScope scope = application;
  kpi::VisitColumns(stage, [&](std::string_view name, const auto& value) {
    scope.Set(std::string(name), ToExpr(value));
  });
  scope.Set("task_read_bytes_max", ToExpr(stage.task_read_bytes_max));
  scope.Set("task_read_bytes_p50", ToExpr(stage.task_read_bytes_p50));
  return scope;
}

}  // namespace prometheus::rules

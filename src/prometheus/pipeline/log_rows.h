// The rows logs add to Prometheus' three tables when they are observed and
// recommended in one step, with no lake to read or write: what the
// distributed observe (python/prometheus/spark.py) runs on a Spark
// executor, one log per task, before Spark merges the rows into the tables.
// They equal what `observe` then `recommend` store for the same logs, row
// for row, but for the times the rows were written.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/kpi/cost_estimate.h"
#include "prometheus/pipeline/rule_options.h"

namespace prometheus::pipeline {

struct LogRowsRequest {
  std::vector<std::filesystem::path> sources;  // event-log files or folders
  RuleOptions rules;
  // Only applications that started at most this long before now.
  std::optional<int64_t> since_ms;
  std::optional<int64_t> now_ms;  // absent: the clock
  int threads = 1;  // logs loaded at once: one, for a task has one core
  // Prices for each application's cost estimate; null: the built-in table.
  const kpi::PriceTable* prices = nullptr;
};

struct LogRows {
  // The rows of prometheus_metrics, prometheus_applications and
  // prometheus_recommendations (lake/tables.h), as JSON lines
  // (parquet/json_rows.h): what travels back from an executor.
  std::vector<std::string> metrics;
  std::vector<std::string> applications;
  std::vector<std::string> recommendations;
  int64_t applications_read = 0;
  int64_t applications_before_since = 0;
  // As `observe` and `recommend` give them: unreadable logs, corrupt lines,
  // rule files and rules that failed.
  std::vector<std::string> warnings;
};

// Fails as CollectNewLogs does when a source holds no log, and with
// kInvalidArgument for a bad threshold.
Result<LogRows> RowsOfLogs(const LogRowsRequest& request);

}  // namespace prometheus::pipeline

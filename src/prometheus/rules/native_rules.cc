#include "prometheus/rules/native_rules.h"

#include <fmt/format.h>

#include <algorithm>

#include "prometheus/rules/internal/native_rules.h"

namespace prometheus::rules {

std::string EntryPointOf(const model::Application& app) {
  if (!app.notebook_path.empty()) return app.notebook_path;
  // `...SparkSubmit [options] job.py [args]`: the first Python file.
  std::string_view command = app.java_command;
  while (!command.empty()) {
    size_t end = command.find(' ');
    std::string_view word = command.substr(0, end);
    if (word.ends_with(".py")) return std::string(word);
    if (end == std::string_view::npos) break;
    command.remove_prefix(end + 1);
  }
  return "";
}

RecommendationScope ApplicationScopeOf(const kpi::Analysis& analysis) {
  RecommendationScope scope;
  const model::Application& app = analysis.log.application;
  scope.app_id = app.app_id;
  scope.app_attempt_id = app.attempt_id;
  scope.entry_point = EntryPointOf(app);
  if (!analysis.stages.empty()) {
    scope.run_id = analysis.stages.front().run_id;
    scope.job_id = analysis.stages.front().job_id;
  }
  return scope;
}

const std::vector<NativeRule>& NativeRules() {
  static const auto* rules = new std::vector<NativeRule>{
      {"idle_cores",
       "Executor cores paid for but idle",
       &IdleCores,
       {{"idle_ratio", 0.5},
        {"min_core_seconds", 3600},
        {"high_idle_ratio", 0.8},
        {"high_core_seconds", 36000}}},
      {"driver_gaps",
       "Time with no Spark job running (driver-bound)",
       &DriverGaps,
       {{"gap_ratio", 0.25},
        {"min_gap_seconds", 300},
        {"high_gap_ratio", 0.5},
        {"high_gap_seconds", 1800}}},
      {"log_data_quality",
       "Missing or corrupt events make results partial",
       &LogDataQuality,
       {{"missing_ratio", 0.01}, {"high_missing_ratio", 0.1}}},
      {"out_of_memory",
       "Tasks or executors died for lack of memory",
       &OutOfMemory,
       {}},
      {"failures",
       "Tasks failed and were retried",
       &Failures,
       {{"failures_low", 0.05},
        {"failures_medium", 0.1},
        {"failures_high", 0.15},
        {"failures_critical", 0.2},
        {"failures_min_run", 300000},
        {"task_max_failures", 4}}},
      {"aqe_disabled",
       "Adaptive query execution is off",
       &AqeDisabled,
       {{"min_shuffle_bytes", 64.0 * (1 << 20)}, {"medium_task_seconds", 600}}},
      {"executor_memory",
       "Executor memory over- or under-provisioned",
       &ExecutorMemory,
       {{"high_heap_ratio", 0.95},
        {"headroom", 1.5},
        {"min_memory_bytes", 2.0 * (1 << 30)},
        {"pressure_gc_ratio", 0.1}}},
      {"missed_broadcast",
       "A shuffled join whose small side could be broadcast",
       &MissedBroadcast,
       {{"medium_large_side_bytes", 1.0 * (1 << 30)},
        {"high_large_side_bytes", 10.0 * (1 << 30)}}},
      {"oversized_broadcast",
       "A broadcast over 1 GiB",
       &OversizedBroadcast,
       {{"broadcast_bytes", 1.0 * (1 << 30)},
        {"critical_broadcast_bytes", 4.0 * (1 << 30)}}},
      {"small_files_read",
       "Many small files read",
       &SmallFilesRead,
       {{"min_files", 100},
        {"average_file_bytes", 3.0 * (1 << 20)},
        {"high_files", 10000}}},
      {"small_files_written",
       "Many small files written",
       &SmallFilesWritten,
       {{"min_files", 100},
        {"average_file_bytes", 3.0 * (1 << 20)},
        {"high_files", 10000}}},
      {"python_udf",
       "Python UDFs on the critical path",
       &PythonUdfs,
       {{"medium_share", 0.1},
        {"medium_seconds", 60},
        {"high_share", 0.5},
        {"high_seconds", 600}}},
      {"cartesian_join",
       "Cross joins over many rows",
       &CartesianJoin,
       {{"min_rows", 1e8}, {"high_rows", 1e10}}},
      {"repeated_scan",
       "The same data read by several queries",
       &RepeatedScan,
       {{"min_queries", 2},
        {"min_reread_bytes", 1.0 * (1 << 30)},
        {"medium_reread_bytes", 10.0 * (1 << 30)}}},
  };
  return *rules;
}

}  // namespace prometheus::rules

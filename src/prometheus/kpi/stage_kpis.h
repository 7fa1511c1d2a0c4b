// One row of KPIs per stage attempt: the columns of `prometheus_metrics`
// (docs/KPIS.md is the contract).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/model/application.h"

namespace prometheus::kpi {

struct StageKpis {
  std::optional<int64_t> run_id;  // Databricks job run id
  std::optional<int64_t> job_id;  // Databricks job id
  std::string app_id;
  std::optional<std::string> app_attempt_id;
  int64_t stage_id = 0;
  int64_t stage_attempt_id = 0;
  std::string stage_name;
  std::string status;
  int64_t num_tasks = 0;
  int64_t num_completed_tasks = 0;
  int64_t num_failed_tasks = 0;
  int64_t num_killed_tasks = 0;
  int64_t num_speculative_tasks = 0;
  std::optional<int64_t> submission_time;  // epoch milliseconds, UTC
  std::optional<int64_t> completion_time;  // epoch milliseconds, UTC
  std::optional<int64_t> duration_ms;
  std::optional<int64_t> task_duration_ms_min;
  std::optional<int64_t> task_duration_ms_p25;
  std::optional<int64_t> task_duration_ms_p50;
  std::optional<int64_t> task_duration_ms_p75;
  std::optional<int64_t> task_duration_ms_p95;
  std::optional<int64_t> task_duration_ms_max;
  std::optional<double> max_task_skew_ratio;
  int64_t executor_run_time_ms = 0;
  double executor_cpu_time_ms = 0;
  int64_t executor_deserialize_time_ms = 0;
  int64_t jvm_gc_time_ms = 0;
  int64_t result_size_bytes = 0;
  int64_t input_bytes = 0;
  int64_t input_records = 0;
  int64_t output_bytes = 0;
  int64_t output_records = 0;
  int64_t shuffle_read_bytes = 0;
  int64_t shuffle_remote_bytes_read = 0;
  int64_t shuffle_read_records = 0;
  int64_t shuffle_fetch_wait_ms = 0;
  int64_t shuffle_write_bytes = 0;
  int64_t shuffle_write_records = 0;
  double shuffle_write_time_ms = 0;
  int64_t memory_bytes_spilled = 0;
  int64_t disk_bytes_spilled = 0;
  double total_shuffle_spill_mb = 0;
  int64_t peak_execution_memory_max_bytes = 0;
  bool broadcast_miss_flag = false;
  int64_t collected_at = 0;  // epoch milliseconds, UTC

  // Not contract columns (rules read them): bytes read (input + shuffle) by
  // successful tasks, largest and median (History Server rank).
  std::optional<int64_t> task_read_bytes_max;
  std::optional<int64_t> task_read_bytes_p50;
};

// Marks a column whose value is a point in time (epoch milliseconds, UTC),
// so writers can give it a timestamp type.
struct EpochMillis {
  std::optional<int64_t> value;
};

// Calls `visit(name, value)` for every column, in contract order. Values are
// std::optional<int64_t>, int64_t, double, std::optional<double>,
// std::string, std::optional<std::string>, bool or EpochMillis: the one
// definition of the columns that JSON, CSV and the store all follow.
template <typename Visitor>
void VisitColumns(const StageKpis& r, Visitor&& visit) {
  visit("run_id", r.run_id);
  visit("job_id", r.job_id);
  visit("app_id", r.app_id);
  visit("app_attempt_id", r.app_attempt_id);
  visit("stage_id", r.stage_id);
  visit("stage_attempt_id", r.stage_attempt_id);
  visit("stage_name", r.stage_name);
  visit("status", r.status);
  visit("num_tasks", r.num_tasks);
  visit("num_completed_tasks", r.num_completed_tasks);
  visit("num_failed_tasks", r.num_failed_tasks);
  visit("num_killed_tasks", r.num_killed_tasks);
  visit("num_speculative_tasks", r.num_speculative_tasks);
  visit("submission_time", EpochMillis{r.submission_time});
  visit("completion_time", EpochMillis{r.completion_time});
  visit("duration_ms", r.duration_ms);
  visit("task_duration_ms_min", r.task_duration_ms_min);
  visit("task_duration_ms_p25", r.task_duration_ms_p25);
  visit("task_duration_ms_p50", r.task_duration_ms_p50);
  visit("task_duration_ms_p75", r.task_duration_ms_p75);
  visit("task_duration_ms_p95", r.task_duration_ms_p95);
  visit("task_duration_ms_max", r.task_duration_ms_max);
  visit("max_task_skew_ratio", r.max_task_skew_ratio);
  visit("executor_run_time_ms", r.executor_run_time_ms);
  visit("executor_cpu_time_ms", r.executor_cpu_time_ms);
  visit("executor_deserialize_time_ms", r.executor_deserialize_time_ms);
  visit("jvm_gc_time_ms", r.jvm_gc_time_ms);
  visit("result_size_bytes", r.result_size_bytes);
  visit("input_bytes", r.input_bytes);
  visit("input_records", r.input_records);
  visit("output_bytes", r.output_bytes);
  visit("output_records", r.output_records);
  visit("shuffle_read_bytes", r.shuffle_read_bytes);
  visit("shuffle_remote_bytes_read", r.shuffle_remote_bytes_read);
  visit("shuffle_read_records", r.shuffle_read_records);
  visit("shuffle_fetch_wait_ms", r.shuffle_fetch_wait_ms);
  visit("shuffle_write_bytes", r.shuffle_write_bytes);
  visit("shuffle_write_records", r.shuffle_write_records);
  visit("shuffle_write_time_ms", r.shuffle_write_time_ms);
  visit("memory_bytes_spilled", r.memory_bytes_spilled);
  visit("disk_bytes_spilled", r.disk_bytes_spilled);
  visit("total_shuffle_spill_mb", r.total_shuffle_spill_mb);
  visit("peak_execution_memory_max_bytes", r.peak_execution_memory_max_bytes);
  visit("broadcast_miss_flag", r.broadcast_miss_flag);
  visit("collected_at", EpochMillis{r.collected_at});
}

// Rows for every stage attempt that was submitted or ran tasks (stages a job
// listed but skipped have none), in (stage id, attempt) order.
std::vector<StageKpis> ComputeStageKpis(const model::Application& app,
                                        int64_t collected_at_ms);

// The KPI column names, in contract order.
const std::vector<std::string>& StageKpiColumns();

}  // namespace prometheus::kpi

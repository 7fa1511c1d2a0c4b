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
  std::optional<int64_t> completion_time;
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
};

// Rows for every stage attempt that was submitted or ran tasks (stages a job
// listed but skipped have none), in (stage id, attempt) order.
std::vector<StageKpis> ComputeStageKpis(const model::Application& app,
                                        int64_t collected_at_ms);

// The KPI column names, in contract order.
const std::vector<std::string>& StageKpiColumns();

}  // namespace prometheus::kpi

// Per-job and per-application roll-ups of the stage KPIs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/kpi/stage_kpis.h"
#include "prometheus/model/application.h"

namespace prometheus::kpi {

// Sums shared by jobs and applications.
struct WorkTotals {
  int64_t num_stages = 0;
  int64_t num_tasks = 0;         // finished task attempts
  int64_t num_failed_tasks = 0;
  int64_t task_time_ms = 0;      // executor run time
  double cpu_time_ms = 0;
  int64_t gc_time_ms = 0;
  int64_t input_bytes = 0;
  int64_t output_bytes = 0;
  int64_t shuffle_read_bytes = 0;
  int64_t shuffle_write_bytes = 0;
  int64_t memory_bytes_spilled = 0;
  int64_t disk_bytes_spilled = 0;
};

struct JobKpis {
  int64_t job_id = 0;
  std::optional<int64_t> sql_execution_id;
  std::string status;  // SUCCEEDED, FAILED or RUNNING
  std::optional<int64_t> duration_ms;
  std::string description;
  WorkTotals totals;
};

struct ApplicationKpis {
  std::optional<int64_t> duration_ms;
  int64_t num_jobs = 0;
  int64_t num_failed_jobs = 0;
  int64_t num_executors = 0;
  int64_t max_cores = 0;  // cores of the executors alive at once, at most
  WorkTotals totals;
  // Cores times executor lifetime; nullopt when the log names no executors.
  std::optional<double> core_seconds_available;
  double core_seconds_used = 0;  // executor run time of all tasks
  // used / available, when available is known and positive.
  std::optional<double> core_utilization;
};

std::vector<JobKpis> ComputeJobKpis(const model::Application& app,
                                    const std::vector<StageKpis>& stages);

ApplicationKpis ComputeApplicationKpis(const model::Application& app,
                                       const std::vector<StageKpis>& stages);

}  // namespace prometheus::kpi

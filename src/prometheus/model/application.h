// The model of one application attempt, folded from its events: plain data,
// no behaviour beyond small lookups.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "prometheus/events/events.h"
#include "prometheus/model/task_failure.h"

namespace prometheus::model {

enum class StageStatus { kActive, kComplete, kFailed, kSkipped };

std::string_view StageStatusName(StageStatus status);

// One attempt of a stage: what Spark's StageInfo said of it (name, tasks,
// times, failure; `accumulables` are the values the stage reported at
// completion, which tie plan nodes to stages) and what its tasks told.
struct StageAttempt : events::StageInfo {
  StageStatus status = StageStatus::kActive;
  bool seen_completed = false;

  int64_t num_completed_tasks = 0;
  int64_t num_failed_tasks = 0;
  int64_t num_killed_tasks = 0;
  int64_t num_speculative_tasks = 0;
  int64_t num_resubmitted_tasks = 0;  // also counted in num_failed_tasks
  StageFailures failures;  // the failed attempts by cause
  // Sum of "Task Metrics" over every finished task, as the History Server
  // sums them (failed and killed tasks included).
  events::TaskMetrics totals;
  int64_t peak_execution_memory_max_bytes = 0;
  // Databricks Photon operators keep these in SQL metrics, not in task
  // metrics (docs/KPIS.md): the largest task update of any `peak memory
  // usage` metric, and the sum of the task updates of the `(part of shuffle
  // file write)` timings, in nanoseconds. Unset when no task reported one.
  std::optional<int64_t> photon_peak_memory_max_bytes;
  std::optional<int64_t> photon_shuffle_write_time_ns;
  int64_t peak_jvm_heap_bytes = 0;  // largest executor heap seen at a task end
  std::optional<int64_t> first_launch_time;
  std::optional<int64_t> last_finish_time;
  // Launch-to-finish milliseconds of each successful task, in arrival order.
  std::vector<uint32_t> successful_task_durations_ms;
  // Bytes each successful task read (input plus shuffle), same order: the
  // distribution that tells data skew from a slow host.
  std::vector<uint64_t> successful_task_read_bytes;
  // Launch-to-finish milliseconds of each failed or killed task, in arrival
  // order: the core time they held (what-if sizing schedules them too).
  std::vector<uint32_t> unsuccessful_task_durations_ms;
  // Jobs that list this stage, in job order.
  std::vector<int64_t> job_ids;
};

struct Job {
  int64_t job_id = -1;
  std::optional<int64_t> submission_time;
  std::optional<int64_t> completion_time;
  std::vector<int64_t> stage_ids;
  std::optional<int64_t> sql_execution_id;
  std::string job_group;
  std::string description;
  std::string call_site;
  std::string result;  // JobSucceeded, JobFailed, or "" while running
  std::string failure;
  // Databricks job-run ids from the job's properties, when present.
  std::optional<int64_t> databricks_job_id;
  std::optional<int64_t> databricks_run_id;
};

struct Executor {
  std::string executor_id;
  std::string host;
  int64_t cores = 0;
  int64_t added_time = 0;
  std::optional<int64_t> removed_time;
  std::string removed_reason;
};

struct SqlMetric {
  std::string name;
  int64_t accumulator_id = 0;
  std::string metric_type;
  // Sum of task updates and driver updates; nullopt when none arrived.
  std::optional<int64_t> value;
};

struct PlanNode {
  std::string node_name;
  std::string simple_string;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<SqlMetric> metrics;
  std::vector<PlanNode> children;
};

struct SqlExecution {
  int64_t execution_id = -1;
  std::optional<int64_t> root_execution_id;
  std::string description;
  std::string details;
  std::string physical_plan;
  PlanNode plan;  // the final plan, after AQE updates
  int adaptive_updates = 0;
  int64_t start_time = 0;
  std::optional<int64_t> end_time;
  std::string error_message;
  events::Properties modified_configs;
  std::vector<int64_t> job_ids;
};

struct Application {
  std::string app_id;
  std::string attempt_id;  // "" for client-mode apps without attempts
  std::string name;
  std::string user;
  std::string spark_version;
  std::optional<int64_t> start_time;
  std::optional<int64_t> end_time;  // absent: the log is in progress
  events::Properties spark_properties;
  std::string java_command;   // sun.java.command, "" when the log has none
  std::string notebook_path;  // the first job's spark.databricks.notebook.path
  std::map<std::string, Executor> executors;
  std::map<int64_t, Job> jobs;
  std::map<std::pair<int64_t, int64_t>, StageAttempt> stages;
  std::map<int64_t, SqlExecution> sql_executions;
  // Values of SQL metric accumulators, by accumulator id.
  std::unordered_map<int64_t, int64_t> accumulator_values;

  int64_t task_end_events = 0;

  // The Spark property `key`, or nullptr.
  const std::string* Property(std::string_view key) const;
};

}  // namespace prometheus::model

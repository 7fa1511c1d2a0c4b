// What a row of prometheus_applications and of prometheus_recommendations
// holds (docs/TABLES.md), as structs: the tables are written from them and
// read back into them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>

#include "prometheus/kpi/cost_estimate.h"
#include "prometheus/kpi/stage_kpis.h"

namespace prometheus::lake {

// The Databricks job run an application was observed in (from the Jobs
// API, not from the log): it overrides the ids the log's properties give.
struct RunTag {
  int64_t job_id = 0;
  int64_t run_id = 0;
  std::string task_key;
  int64_t task_run_id = 0;
  std::string cluster_id;
  std::string task_path;  // the task's notebook or python file
  std::string git_url;
  std::string git_provider;
  std::string git_commit;  // git_source.git_snapshot.used_commit
};

// One row of prometheus_metrics: a stage attempt's KPIs (the contract of
// docs/KPIS.md) and, when observed in a Databricks task run, that run's task.
struct StoredStage {
  kpi::StageKpis kpis;
  std::optional<std::string> task_key;
  std::optional<int64_t> task_run_id;
  std::optional<std::string> cluster_id;
  std::optional<std::string> task_path;
  std::optional<std::string> git_url;
  std::optional<std::string> git_provider;
  std::optional<std::string> git_commit;
};

// One analysed application attempt.
struct StoredApplication {
  std::string app_id;
  std::optional<std::string> app_attempt_id;  // null when Spark gave none
  std::string app_name;
  std::string user;
  std::string spark_version;
  std::optional<int64_t> run_id;  // Databricks job run
  std::optional<int64_t> job_id;  // Databricks job
  std::optional<std::string> cluster_id;
  kpi::EpochMillis start_time;
  kpi::EpochMillis end_time;
  std::optional<int64_t> duration_ms;
  int64_t num_jobs = 0;
  int64_t num_failed_jobs = 0;
  int64_t num_stages = 0;
  int64_t num_tasks = 0;
  int64_t num_failed_tasks = 0;
  int64_t num_executors = 0;
  int64_t task_time_ms = 0;
  int64_t gc_time_ms = 0;
  int64_t input_bytes = 0;
  int64_t shuffle_read_bytes = 0;
  int64_t shuffle_write_bytes = 0;
  int64_t disk_bytes_spilled = 0;
  std::optional<double> core_seconds_available;
  double core_seconds_used = 0;
  std::string source_paths;   // the log's parts, one per line
  std::string source_layout;  // io::LayoutName: "file", "rolling"...
  int64_t source_bytes = 0;
  std::string fingerprint;
  std::string status;  // complete or in_progress
  int64_t corrupt_lines = 0;
  kpi::EpochMillis ingested_at;
  // Of the Databricks task run it was observed in (null for local logs).
  std::optional<std::string> task_key;
  std::optional<int64_t> task_run_id;
  std::optional<std::string> task_path;
  std::optional<std::string> git_url;
  std::optional<std::string> git_provider;
  std::optional<std::string> git_commit;
  // Which of the application's Spark jobs the run's rows hold: its own (the
  // log names the run on them), or the whole application, said in words.
  std::optional<std::string> run_scope;
  // What the run cost: an estimate from the cluster in the log's properties
  // and a price table (kpi::EstimateCost), its basis in words.
  std::optional<double> estimated_dbus;
  std::optional<double> estimated_list_cost;
  std::optional<std::string> cost_currency;
  std::optional<std::string> cost_basis;
  // Where the job's code starts (rules::EntryPointOf: the notebook path or
  // the submitted Python file), so that the loop tells the runs of one
  // script from another's of the same application name.
  std::optional<std::string> entry_point;
};

// One recommendation of the Oracle (docs/RECOMMENDATIONS.md).
struct StoredRecommendation {
  std::string recommendation_id;
  std::optional<int64_t> run_id;
  std::optional<int64_t> job_id;
  std::string app_id;
  std::optional<std::string> app_attempt_id;
  std::optional<int64_t> spark_job_id;  // the first of the scope's jobs
  std::string stage_ids;                // a JSON array
  std::optional<int64_t> sql_execution_id;
  std::optional<std::string> plan_node;
  std::string rule;
  std::string severity;
  std::string message;
  std::string evidence;  // a JSON object
  std::string fix;       // the fix as JSON, as the contract defines it
  double impact_task_seconds = 0;
  double impact_wall_seconds = 0;
  std::string impact_basis;
  kpi::EpochMillis created_at;
  // Where the job lives in the code (the scope's entry_point and, for
  // settings, call_sites as a JSON array): `fix --store` reads them back.
  std::optional<std::string> entry_point;
  std::optional<std::string> call_sites;
};

// Calls visit(name, field) for every column, in table order.
template <typename Self, typename Visit>
  requires std::is_same_v<std::remove_cvref_t<Self>, StoredApplication>
void VisitColumns(Self&& a, Visit&& visit) {
  visit("app_id", a.app_id);
  visit("app_attempt_id", a.app_attempt_id);
  visit("app_name", a.app_name);
  visit("user", a.user);
  visit("spark_version", a.spark_version);
  visit("run_id", a.run_id);
  visit("job_id", a.job_id);
  visit("cluster_id", a.cluster_id);
  visit("start_time", a.start_time);
  visit("end_time", a.end_time);
  visit("duration_ms", a.duration_ms);
  visit("num_jobs", a.num_jobs);
  visit("num_failed_jobs", a.num_failed_jobs);
  visit("num_stages", a.num_stages);
  visit("num_tasks", a.num_tasks);
  visit("num_failed_tasks", a.num_failed_tasks);
  visit("num_executors", a.num_executors);
  visit("task_time_ms", a.task_time_ms);
  visit("gc_time_ms", a.gc_time_ms);
  visit("input_bytes", a.input_bytes);
  visit("shuffle_read_bytes", a.shuffle_read_bytes);
  visit("shuffle_write_bytes", a.shuffle_write_bytes);
  visit("disk_bytes_spilled", a.disk_bytes_spilled);
  visit("core_seconds_available", a.core_seconds_available);
  visit("core_seconds_used", a.core_seconds_used);
  visit("source_paths", a.source_paths);
  visit("source_layout", a.source_layout);
  visit("source_bytes", a.source_bytes);
  visit("fingerprint", a.fingerprint);
  visit("status", a.status);
  visit("corrupt_lines", a.corrupt_lines);
  visit("ingested_at", a.ingested_at);
  visit("task_key", a.task_key);
  visit("task_run_id", a.task_run_id);
  visit("task_path", a.task_path);
  visit("git_url", a.git_url);
  visit("git_provider", a.git_provider);
  visit("git_commit", a.git_commit);
  visit("run_scope", a.run_scope);
  visit("estimated_dbus", a.estimated_dbus);
  visit("estimated_list_cost", a.estimated_list_cost);
  visit("cost_currency", a.cost_currency);
  visit("cost_basis", a.cost_basis);
  visit("entry_point", a.entry_point);
}

template <typename Self, typename Visit>
  requires std::is_same_v<std::remove_cvref_t<Self>, StoredStage>
void VisitColumns(Self&& s, Visit&& visit) {
  kpi::VisitColumns(s.kpis, visit);
  visit("task_key", s.task_key);
  visit("task_run_id", s.task_run_id);
  visit("cluster_id", s.cluster_id);
  visit("task_path", s.task_path);
  visit("git_url", s.git_url);
  visit("git_provider", s.git_provider);
  visit("git_commit", s.git_commit);
}

template <typename Self, typename Visit>
  requires std::is_same_v<std::remove_cvref_t<Self>, StoredRecommendation>
void VisitColumns(Self&& r, Visit&& visit) {
  visit("recommendation_id", r.recommendation_id);
  visit("run_id", r.run_id);
  visit("job_id", r.job_id);
  visit("app_id", r.app_id);
  visit("app_attempt_id", r.app_attempt_id);
  visit("spark_job_id", r.spark_job_id);
  visit("stage_ids", r.stage_ids);
  visit("sql_execution_id", r.sql_execution_id);
  visit("plan_node", r.plan_node);
  visit("rule", r.rule);
  visit("severity", r.severity);
  visit("message", r.message);
  visit("evidence", r.evidence);
  visit("fix", r.fix);
  visit("impact_task_seconds", r.impact_task_seconds);
  visit("impact_wall_seconds", r.impact_wall_seconds);
  visit("impact_basis", r.impact_basis);
  visit("created_at", r.created_at);
  visit("entry_point", r.entry_point);
  visit("call_sites", r.call_sites);
}

}  // namespace prometheus::lake

// The Jobs API 2.2 (runs/list, runs/get) and clusters/get, as the typed
// values observe needs. Ids are int64 end to end, never through a double.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/databricks/workspace.h"

namespace prometheus::databricks {

struct GitSource {
  std::string url;
  std::string provider;
  std::string used_commit;  // git_snapshot.used_commit: the commit that ran
};

struct RunTask {
  std::string task_key;
  int64_t run_id = 0;  // the task run id
  std::string cluster_id;        // cluster_instance.cluster_id; "" until created
  std::string spark_context_id;  // cluster_instance.spark_context_id (a string)
  std::string existing_cluster_id;
  std::string job_cluster_key;
  std::string log_destination;   // from the task's new_cluster, if any
  std::string path;              // notebook or python file of the task
  std::string life_cycle_state;
  // A condition or run-job task runs no Spark of its own: no log to look for.
  bool runs_spark = true;
};

struct Run {
  int64_t job_id = 0;
  int64_t run_id = 0;
  std::string run_name;
  std::string life_cycle_state;  // RUNNING, TERMINATED...
  std::string result_state;      // SUCCESS, FAILED... ("" while running)
  int64_t start_time = 0;
  int64_t end_time = 0;  // 0 while running
  std::optional<GitSource> git;
  std::vector<RunTask> tasks;
  // job_cluster_key -> cluster_log_conf destination
  std::vector<std::pair<std::string, std::string>> job_cluster_logs;

  // The run has ended (TERMINATED, SKIPPED, INTERNAL_ERROR).
  bool Ended() const;
};

struct RunsFilter {
  std::optional<int64_t> start_time_from;  // ms, inclusive
  std::vector<int64_t> job_ids;            // none: every job
};

// Every run that started in the window, newest first, following
// next_page_token (pages of 25). A page that is not the documented shape is
// kCorrupt naming the endpoint and the field.
Result<std::vector<Run>> ListRuns(const Workspace& workspace, const RunsFilter& filter);

// One run with every task, following the 2.2 task pages.
Result<Run> GetRun(const Workspace& workspace, int64_t run_id);

struct Cluster {
  std::string cluster_id;
  std::string log_destination;  // cluster_log_conf's dbfs, volumes or s3 destination
  std::string spark_version;
  std::string node_type_id;
  std::string driver_node_type_id;
  int64_t num_workers = 0;
  std::string runtime_engine;
};

Result<Cluster> GetCluster(const Workspace& workspace, const std::string& cluster_id);

// Parses one run object (of runs/list or runs/get); `where` names it in errors.
Result<Run> ParseRun(const nlohmann::json& object, const std::string& where);

}  // namespace prometheus::databricks

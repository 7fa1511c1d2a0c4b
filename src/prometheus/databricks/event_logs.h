// From job runs to Spark event logs on local disk: each task's cluster and
// Spark context, where its cluster delivers logs (the task's or job
// cluster's cluster_log_conf, else clusters/get), and the delivery folder
// <destination>/<cluster_id>/eventlog/<cluster_id>_<ip>/<spark_context_id>/
// with its `eventlog-YYYY-MM-DD--HH-MM.gz` parts and `eventlog`, copied into
// a local folder of the same layout (io::FindEventLogs reads it as a
// Databricks delivery folder).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/databricks/jobs.h"
#include "prometheus/databricks/workspace.h"

namespace prometheus::databricks {

// One Spark application's log of one task run, on local disk.
struct TaskLog {
  int64_t job_id = 0;
  int64_t run_id = 0;
  std::string task_key;
  int64_t task_run_id = 0;
  std::string cluster_id;
  std::string task_path;  // notebook or python file
  std::optional<GitSource> git;
  std::string remote_folder;            // where the workspace keeps it
  std::filesystem::path local_folder;   // the copy
  bool run_ended = false;
};

// A task whose log is not read, and why (not an error).
struct SkippedTask {
  int64_t run_id = 0;
  std::string task_key;
  std::string reason;
};

struct CollectRequest {
  RunsFilter filter;
  std::filesystem::path spool;  // local copies go below it
  int concurrency = 8;          // runs worked on at once
  // Whether a task run's log is already stored complete: not fetched again.
  std::function<bool(int64_t task_run_id)> stored_complete;
  // Hears of each downloaded chunk's bytes (from several threads).
  std::function<void(int64_t runs_done, int64_t runs_total, int64_t bytes)> progress;
};

struct Collected {
  int64_t runs_listed = 0;
  int64_t tasks_already_stored = 0;
  int64_t files_downloaded = 0;
  int64_t files_unchanged = 0;  // the local copy already had the listed size
  int64_t bytes_downloaded = 0;
  std::vector<TaskLog> logs;         // in run order, then task order
  std::vector<SkippedTask> skipped;  // no log yet, serverless, s3...
  std::vector<std::string> failures; // a run that failed, naming endpoint and run
};

// Lists the runs of the window and brings each task's log to `spool`,
// `concurrency` runs at once. Fails only when the runs cannot be listed;
// a run that fails is in `failures` and the others go on.
Result<Collected> CollectEventLogs(const Workspace& workspace, const CollectRequest& request);

// Orders the files of a delivery folder as they must be read: rolled
// `eventlog-YYYY-MM-DD--HH-MM[.gz]` parts by date, `eventlog` last; other
// names are left out.
std::vector<std::string> EventLogReadOrder(std::vector<std::string> names);

}  // namespace prometheus::databricks

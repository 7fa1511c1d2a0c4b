// The workspace half of `observe --databricks`: resolve the credentials,
// list the window's job runs and bring each task's event log to a local
// folder below the store, as run sources for the pipeline.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/databricks/event_logs.h"
#include "prometheus/pipeline/observe.h"

namespace prometheus::cli {

struct WorkspaceRequest {
  std::optional<std::string> profile;
  std::optional<int64_t> since_ms;  // runs that started at most this long ago
  std::vector<int64_t> job_ids;
  int concurrency = 8;
  std::filesystem::path store;
  // What prometheus_applications holds when the store is not a lake folder
  // (then `store` is not read), and where the logs are copied then.
  std::optional<std::map<std::string, lake::IngestedApp>> stored_apps;
  std::filesystem::path spool;  // empty: <store>/_databricks/<host>
  int64_t now_ms = 0;
  bool progress = false;  // draw runs and bytes on stderr
};

struct WorkspaceLogs {
  std::string host;
  databricks::Collected collected;
  std::vector<pipeline::RunSource> sources;
  int64_t requests = 0;
  int64_t retries = 0;
};

// Fails when the configuration cannot be resolved or the runs cannot be
// listed; a run that fails is in `collected.failures`.
Result<WorkspaceLogs> CollectWorkspaceLogs(const WorkspaceRequest& request);

// Removes the local copies of the runs' logs once they are stored, keeping
// those of runs with an application still in progress (the next observe
// reads only what their logs grew by). Returns how many folders went.
int64_t RemoveStoredCopies(const WorkspaceLogs& logs, const pipeline::ObserveBatch& batch);

// The workspace's part of observe's summary, as text lines or a JSON object.
std::string RenderWorkspaceText(const WorkspaceLogs& logs);
std::string RenderWorkspaceJson(const WorkspaceLogs& logs);

}  // namespace prometheus::cli

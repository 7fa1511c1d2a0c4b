#include "prometheus/cli/databricks_observe.h"

#include <fmt/format.h>

#include <atomic>
#include <charconv>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>

#include "prometheus/cli/terminal.h"
#include "prometheus/databricks/config.h"
#include "prometheus/databricks/workspace.h"
#include "prometheus/http/curl_transport.h"
#include "prometheus/lake/lake.h"
#include "prometheus/lake/tables.h"

namespace prometheus::cli {
namespace {

// Task runs held complete ("app#attempt@<task run id>" keys).
std::set<int64_t> CompleteTaskRuns(const std::map<std::string, lake::IngestedApp>& apps) {
  std::set<int64_t> complete, partial;
  for (const auto& [key, app] : apps) {
    auto at = key.rfind('@');
    if (at == std::string::npos) continue;
    int64_t id = 0;
    const char* end = key.data() + key.size();
    auto [ptr, ec] = std::from_chars(key.data() + at + 1, end, id);
    if (ec != std::errc() || ptr != end) continue;  // an '@' of an application id
    (app.status == "complete" ? complete : partial).insert(id);
  }
  for (int64_t id : partial) complete.erase(id);
  return complete;
}

// A folder name for the host: letters, digits, '-' and '.' kept.
std::string HostFolder(std::string_view host) {
  auto scheme = host.find("://");
  if (scheme != std::string_view::npos) host.remove_prefix(scheme + 3);
  std::string out;
  for (char c : host) out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  return out;
}

}  // namespace

Result<WorkspaceLogs> CollectWorkspaceLogs(const WorkspaceRequest& request) {
  PROM_ASSIGN_OR_RETURN(databricks::Config config,
                        databricks::ResolveConfig(databricks::ProcessEnvironment(), request.profile));
  auto transport = http::CurlTransport();
  databricks::Workspace workspace(config, *transport);
  std::set<int64_t> stored;
  if (request.stored_apps) {
    stored = CompleteTaskRuns(*request.stored_apps);
  } else {
    auto apps = lake::Lake(request.store).Ingested(lake::kApplicationsTable);
    if (!apps) return Fail(ErrorCode::kIo, "{}", apps.error().message);
    stored = CompleteTaskRuns(*apps);
  }
  databricks::CollectRequest collect;
  if (request.since_ms) collect.filter.start_time_from = request.now_ms - *request.since_ms;
  collect.filter.job_ids = request.job_ids;
  collect.spool = request.spool.empty() ? request.store / "_databricks" / HostFolder(config.host)
                                        : request.spool;
  collect.concurrency = request.concurrency;
  collect.stored_complete = [&](int64_t id) { return stored.contains(id); };
  std::atomic<int64_t> bytes{0};
  std::mutex draw;
  if (request.progress) {
    collect.progress = [&](int64_t done, int64_t total, int64_t more) {
      int64_t sum = bytes += more;
      std::lock_guard lock(draw);
      std::fprintf(Err(), "\r%s: %lld/%lld runs, %.1f MiB", config.host.c_str(),
                   static_cast<long long>(done), static_cast<long long>(total), sum / 1048576.0);
    };
  }
  auto collected = databricks::CollectEventLogs(workspace, collect);
  if (request.progress) std::fprintf(Err(), "\r\033[K");
  if (!collected) return std::unexpected(collected.error());
  WorkspaceLogs logs;
  logs.host = config.host;
  logs.collected = std::move(*collected);
  for (const auto& log : logs.collected.logs) {
    lake::RunTag tag;
    tag.job_id = log.job_id;
    tag.run_id = log.run_id;
    tag.task_key = log.task_key;
    tag.task_run_id = log.task_run_id;
    tag.cluster_id = log.cluster_id;
    tag.task_path = log.task_path;
    if (log.git) {
      tag.git_url = log.git->url;
      tag.git_provider = log.git->provider;
      tag.git_commit = log.git->used_commit;
    }
    logs.sources.push_back({log.local_folder, std::move(tag)});
  }
  logs.requests = workspace.requests();
  logs.retries = workspace.retries();
  return logs;
}

int64_t RemoveStoredCopies(const WorkspaceLogs& logs, const pipeline::ObserveBatch& batch) {
  std::set<int64_t> live;
  for (size_t i = 0; i < batch.analyses.size(); ++i) {
    if (i < batch.runs.size() && batch.runs[i] &&
        lake::ApplicationStatus(batch.analyses[i]) != "complete") {
      live.insert(batch.runs[i]->task_run_id);
    }
  }
  // Runs on one cluster share its copy: kept while any of them is live.
  std::set<std::filesystem::path> keep, done;
  for (const auto& log : logs.collected.logs) {
    (live.contains(log.task_run_id) ? keep : done).insert(log.local_folder);
  }
  int64_t removed = 0;
  for (const auto& folder : done) {
    std::error_code ec;
    if (!keep.contains(folder) && std::filesystem::remove_all(folder, ec) > 0 && !ec) ++removed;
  }
  return removed;
}

std::string RenderWorkspaceText(const WorkspaceLogs& logs) {
  const auto& c = logs.collected;
  std::string text = fmt::format(
      "{}: {} run(s) in the window, {} task log(s) fetched ({} file(s), {} bytes downloaded, "
      "{} unchanged), {} task(s) already stored, {} skipped, {} failed; {} request(s), {} "
      "retried\n",
      logs.host, c.runs_listed, c.logs.size(), c.files_downloaded, c.bytes_downloaded,
      c.files_unchanged, c.tasks_already_stored, c.skipped.size(), c.failures.size(),
      logs.requests, logs.retries);
  for (const auto& skip : c.skipped) {
    text += fmt::format("  skipped run {} task {}: {}\n", skip.run_id, skip.task_key, skip.reason);
  }
  for (const auto& failure : c.failures) text += fmt::format("  failed {}\n", failure);
  return text;
}

std::string RenderWorkspaceJson(const WorkspaceLogs& logs) {
  const auto& c = logs.collected;
  nlohmann::ordered_json skipped = nlohmann::ordered_json::array();
  for (const auto& skip : c.skipped) {
    skipped.push_back({{"run_id", skip.run_id}, {"task_key", skip.task_key}, {"reason", skip.reason}});
  }
  nlohmann::ordered_json doc{{"host", logs.host},
                             {"runs_listed", c.runs_listed},
                             {"task_logs_fetched", c.logs.size()},
                             {"files_downloaded", c.files_downloaded},
                             {"bytes_downloaded", c.bytes_downloaded},
                             {"files_unchanged", c.files_unchanged},
                             {"tasks_already_stored", c.tasks_already_stored},
                             {"requests", logs.requests},
                             {"retries", logs.retries},
                             {"skipped", skipped},
                             {"failures", c.failures}};
  return doc.dump(2);
}

}  // namespace prometheus::cli

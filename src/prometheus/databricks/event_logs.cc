#include "prometheus/databricks/event_logs.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <thread>

#include "prometheus/databricks/files.h"

namespace prometheus::databricks {
namespace {

namespace fs = std::filesystem;

struct Shared {
  Shared(const Workspace& w, const CollectRequest& r) : workspace(w), request(r) {}
  const Workspace& workspace;
  const CollectRequest& request;
  std::mutex mutex;
  std::map<std::string, Result<Cluster>> clusters;  // by id, fetched once
  std::atomic<int64_t> runs_done{0};
  int64_t runs_total = 0;
};

Result<std::string> Destination(Shared& shared, const Run& run, const RunTask& task) {
  if (!task.log_destination.empty()) return task.log_destination;
  for (const auto& [key, destination] : run.job_cluster_logs) {
    if (key == task.job_cluster_key && !task.job_cluster_key.empty() && !destination.empty()) {
      return destination;
    }
  }
  {
    std::lock_guard lock(shared.mutex);
    auto it = shared.clusters.find(task.cluster_id);
    if (it != shared.clusters.end()) {
      if (!it->second) return std::unexpected(it->second.error());
      return it->second->log_destination;
    }
  }
  auto cluster = GetCluster(shared.workspace, task.cluster_id);
  std::lock_guard lock(shared.mutex);
  auto [it, added] = shared.clusters.emplace(task.cluster_id, cluster);
  if (!it->second) return std::unexpected(it->second.error());
  return it->second->log_destination;
}

// Collects one run's tasks into `out` (the run's own part of the result).
void CollectRun(Shared& shared, const Run& listed, Collected& out) {
  auto fetched = GetRun(shared.workspace, listed.run_id);
  if (!fetched) {
    out.failures.push_back(fmt::format("run {}: {}", listed.run_id, fetched.error().message));
    return;
  }
  const Run& run = *fetched;
  for (const RunTask& task : run.tasks) {
    if (!task.runs_spark) continue;
    auto skip = [&](std::string reason) {
      out.skipped.push_back({run.run_id, task.task_key, std::move(reason)});
    };
    if (run.Ended() && shared.request.stored_complete && shared.request.stored_complete(task.run_id)) {
      ++out.tasks_already_stored;
      continue;
    }
    if (task.cluster_id.empty() || task.spark_context_id.empty()) {
      skip("no cluster (a serverless task, or one that never started): no event log");
      continue;
    }
    auto destination = Destination(shared, run, task);
    if (!destination) {
      out.failures.push_back(fmt::format("run {} task {}: {}", run.run_id, task.task_key,
                                         destination.error().message));
      continue;
    }
    if (destination->empty()) {
      skip(fmt::format("cluster {} delivers no logs (no cluster_log_conf)", task.cluster_id));
      continue;
    }
    Storage storage = StorageOf(*destination);
    if (storage == Storage::kS3 || storage == Storage::kUnknown) {
      skip(fmt::format("logs go to {}, which the workspace APIs cannot read", *destination));
      continue;
    }
    std::string base = *destination;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    std::string root = fmt::format("{}/{}/eventlog", base, task.cluster_id);
    auto hosts = ListFolder(shared.workspace, root);
    if (!hosts && hosts.error().code == ErrorCode::kNotFound) {
      skip(fmt::format("no event log delivered yet under {}", root));
      continue;
    }
    if (!hosts) {
      out.failures.push_back(fmt::format("run {} task {}: {}", run.run_id, task.task_key,
                                         hosts.error().message));
      continue;
    }
    bool found = false;
    bool failed = false;
    for (const FileEntry& host : *hosts) {
      if (!host.is_dir || !host.name.starts_with(task.cluster_id + "_")) continue;
      std::string folder = fmt::format("{}/{}/{}", root, host.name, task.spark_context_id);
      auto files = ListFolder(shared.workspace, folder);
      if (!files && files.error().code == ErrorCode::kNotFound) continue;
      if (!files) {
        out.failures.push_back(fmt::format("run {} task {}: {}", run.run_id, task.task_key,
                                           files.error().message));
        failed = true;
        break;
      }
      std::map<std::string, const FileEntry*> by_name;
      std::vector<std::string> names;
      for (const FileEntry& file : *files) {
        if (file.is_dir) continue;
        by_name[file.name] = &file;
        names.push_back(file.name);
      }
      names = EventLogReadOrder(std::move(names));
      if (names.empty()) continue;
      fs::path local = shared.request.spool / task.cluster_id / "eventlog" / host.name /
                       task.spark_context_id;
      for (const std::string& name : names) {
        const FileEntry& file = *by_name[name];
        std::error_code ec;
        auto have = fs::file_size(local / name, ec);
        if (!ec && static_cast<int64_t>(have) == file.size) {
          ++out.files_unchanged;
          continue;
        }
        auto copied = Download(shared.workspace, file.path, file.size, local / name,
                               shared.request.spool / ".partial");
        if (!copied) {
          out.failures.push_back(fmt::format("run {} task {}: {}", run.run_id, task.task_key,
                                             copied.error().message));
          failed = true;
          break;
        }
        ++out.files_downloaded;
        out.bytes_downloaded += file.size;
        if (shared.request.progress) {
          shared.request.progress(shared.runs_done.load(), shared.runs_total, file.size);
        }
      }
      if (failed) break;
      found = true;
      out.logs.push_back(TaskLog{run.job_id, run.run_id, task.task_key, task.run_id,
                                 task.cluster_id, task.path, run.git, folder, local, run.Ended()});
    }
    if (!found && !failed) {
      skip(fmt::format("no event log of Spark context {} delivered yet under {}",
                       task.spark_context_id, root));
    }
  }
}

}  // namespace


std::vector<std::string> EventLogReadOrder(std::vector<std::string> names) {
  std::vector<std::string> rolled;
  bool live = false;
  for (auto& name : names) {
    if (name == "eventlog") {
      live = true;
    } else if (name.starts_with("eventlog-")) {
      rolled.push_back(std::move(name));
    }
  }
  // The names differ only in the date, written most significant first.
  std::sort(rolled.begin(), rolled.end());
  if (live) rolled.push_back("eventlog");
  return rolled;
}

// Removes partial downloads over an hour old: left by a killed observe (a
// younger one may be another observe's, still writing).
static void RemoveStalePartials(const fs::path& folder) {
  std::error_code ec;
  auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    std::error_code time_ec;
    auto written = entry.last_write_time(time_ec);
    if (!time_ec && now - written > std::chrono::hours(1)) fs::remove(entry.path(), time_ec);
  }
}

Result<Collected> CollectEventLogs(const Workspace& workspace, const CollectRequest& request) {
  RemoveStalePartials(request.spool / ".partial");
  PROM_ASSIGN_OR_RETURN(std::vector<Run> runs, ListRuns(workspace, request.filter));
  Shared shared(workspace, request);
  shared.runs_total = static_cast<int64_t>(runs.size());
  std::vector<Collected> parts(runs.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < runs.size();) {
      CollectRun(shared, runs[i], parts[i]);
      int64_t done = ++shared.runs_done;
      if (request.progress) request.progress(done, shared.runs_total, 0);
    }
  };
  std::vector<std::thread> threads;
  int count = std::clamp<int>(request.concurrency, 1, std::max<int>(1, static_cast<int>(runs.size())));
  for (int t = 1; t < count; ++t) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
  Collected all;
  all.runs_listed = static_cast<int64_t>(runs.size());
  for (auto& part : parts) {
    all.tasks_already_stored += part.tasks_already_stored;
    all.files_downloaded += part.files_downloaded;
    all.files_unchanged += part.files_unchanged;
    all.bytes_downloaded += part.bytes_downloaded;
    for (auto& log : part.logs) all.logs.push_back(std::move(log));
    for (auto& skip : part.skipped) all.skipped.push_back(std::move(skip));
    for (auto& failure : part.failures) all.failures.push_back(std::move(failure));
  }
  return all;
}

}  // namespace prometheus::databricks

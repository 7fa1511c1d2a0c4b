#include "prometheus/kpi/rollups.h"

#include <algorithm>
#include <map>
#include <utility>

namespace prometheus::kpi {
namespace {

void AddStage(WorkTotals& totals, const StageKpis& stage) {
  ++totals.num_stages;
  totals.num_tasks += stage.num_completed_tasks + stage.num_failed_tasks +
                      stage.num_killed_tasks;
  totals.num_failed_tasks += stage.num_failed_tasks;
  totals.task_time_ms += stage.executor_run_time_ms;
  totals.cpu_time_ms += stage.executor_cpu_time_ms;
  totals.gc_time_ms += stage.jvm_gc_time_ms;
  totals.input_bytes += stage.input_bytes;
  totals.output_bytes += stage.output_bytes;
  totals.shuffle_read_bytes += stage.shuffle_read_bytes;
  totals.shuffle_write_bytes += stage.shuffle_write_bytes;
  totals.memory_bytes_spilled += stage.memory_bytes_spilled;
  totals.disk_bytes_spilled += stage.disk_bytes_spilled;
}

std::string JobStatus(const model::Job& job) {
  if (job.result == "JobSucceeded") return "SUCCEEDED";
  if (job.result.empty()) return "RUNNING";
  return "FAILED";
}

}  // namespace

std::vector<JobKpis> ComputeJobKpis(const model::Application& app,
                                    const std::vector<StageKpis>& stages) {
  std::map<std::pair<int64_t, int64_t>, const StageKpis*> by_key;
  for (const auto& stage : stages) {
    by_key[{stage.stage_id, stage.stage_attempt_id}] = &stage;
  }
  std::vector<JobKpis> jobs;
  for (const auto& [id, job] : app.jobs) {
    JobKpis row;
    row.job_id = id;
    row.sql_execution_id = job.sql_execution_id;
    row.status = JobStatus(job);
    row.description = !job.description.empty() ? job.description : job.call_site;
    if (job.submission_time && job.completion_time) {
      row.duration_ms = *job.completion_time - *job.submission_time;
    }
    // As the History Server counts a job's stages: each stage that
    // completed once, however many attempts it took, plus every failed
    // attempt (a stage resubmitted after a fetch failure is one completed
    // stage and one failed).
    int64_t completed_again = 0;
    for (int64_t stage_id : job.stage_ids) {
      bool completed = false;
      for (auto it = by_key.lower_bound({stage_id, 0});
           it != by_key.end() && it->first.first == stage_id; ++it) {
        // A stage shared by several jobs counts in the first that ran it.
        const auto& owners = app.stages.at(it->first).job_ids;
        if (!owners.empty() && owners.front() != id) continue;
        AddStage(row.totals, *it->second);
        if (it->second->status == "COMPLETE") {
          if (completed) ++completed_again;
          completed = true;
        }
      }
    }
    row.totals.num_stages -= completed_again;
    jobs.push_back(std::move(row));
  }
  return jobs;
}

ApplicationKpis ComputeApplicationKpis(const model::Application& app,
                                       const std::vector<StageKpis>& stages) {
  ApplicationKpis kpis;
  if (app.start_time && app.end_time) {
    kpis.duration_ms = *app.end_time - *app.start_time;
  }
  kpis.num_jobs = static_cast<int64_t>(app.jobs.size());
  for (const auto& [id, job] : app.jobs) {
    if (JobStatus(job) == "FAILED") ++kpis.num_failed_jobs;
  }
  for (const auto& stage : stages) AddStage(kpis.totals, stage);
  kpis.core_seconds_used = kpis.totals.task_time_ms / 1000.0;

  // Executors' lifetimes, ending at removal, else at the application's end or
  // the last task seen.
  int64_t last_seen = app.end_time.value_or(0);
  for (const auto& [key, stage] : app.stages) {
    last_seen = std::max(last_seen, stage.last_finish_time.value_or(0));
  }
  std::vector<std::pair<int64_t, int64_t>> core_changes;
  double core_ms = 0;
  for (const auto& [id, executor] : app.executors) {
    if (id == "driver" || executor.cores <= 0) continue;
    ++kpis.num_executors;
    int64_t end = executor.removed_time.value_or(last_seen);
    if (end > executor.added_time) {
      core_ms += static_cast<double>(executor.cores) * (end - executor.added_time);
    }
    core_changes.emplace_back(executor.added_time, executor.cores);
    core_changes.emplace_back(end, -executor.cores);
  }
  std::sort(core_changes.begin(), core_changes.end());
  int64_t alive = 0;
  for (const auto& [time, delta] : core_changes) {
    alive += delta;
    kpis.max_cores = std::max(kpis.max_cores, alive);
  }
  if (kpis.num_executors > 0) {
    kpis.core_seconds_available = core_ms / 1000.0;
    if (core_ms > 0) {
      kpis.core_utilization = kpis.core_seconds_used / *kpis.core_seconds_available;
    }
  }
  return kpis;
}

}  // namespace prometheus::kpi

#include "prometheus/kpi/stage_kpis.h"

#include <algorithm>
#include <charconv>

#include "prometheus/kpi/quantiles.h"

namespace prometheus::kpi {
namespace {

std::optional<int64_t> PropertyInt(const model::Application& app,
                                   std::string_view key) {
  const std::string* text = app.Property(key);
  if (text == nullptr) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size()) return std::nullopt;
  return value;
}

constexpr double kNanosPerMilli = 1e6;

}  // namespace

std::vector<StageKpis> ComputeStageKpis(const model::Application& app,
                                        int64_t collected_at_ms) {
  std::optional<int64_t> app_run_id =
      PropertyInt(app, "spark.databricks.job.runId");
  std::optional<int64_t> app_job_id = PropertyInt(app, "spark.databricks.job.id");
  std::vector<StageKpis> rows;
  for (const auto& [key, stage] : app.stages) {
    if (stage.status == model::StageStatus::kSkipped) continue;
    StageKpis row;
    row.run_id = app_run_id;
    row.job_id = app_job_id;
    for (int64_t job_id : stage.job_ids) {
      auto job = app.jobs.find(job_id);
      if (job == app.jobs.end()) continue;
      if (job->second.databricks_run_id) row.run_id = job->second.databricks_run_id;
      if (job->second.databricks_job_id) row.job_id = job->second.databricks_job_id;
      break;
    }
    row.app_id = app.app_id;
    if (!app.attempt_id.empty()) row.app_attempt_id = app.attempt_id;
    row.stage_id = stage.stage_id;
    row.stage_attempt_id = stage.attempt_id;
    row.stage_name = stage.name;
    row.status = std::string(model::StageStatusName(stage.status));
    row.num_tasks = stage.num_tasks;
    row.num_completed_tasks = stage.num_completed_tasks;
    row.num_failed_tasks = stage.num_failed_tasks;
    row.num_killed_tasks = stage.num_killed_tasks;
    row.num_speculative_tasks = stage.num_speculative_tasks;
    row.submission_time = stage.submission_time;
    row.completion_time = stage.completion_time;
    if (stage.submission_time && stage.completion_time) {
      row.duration_ms = *stage.completion_time - *stage.submission_time;
    }
    if (auto summary = SummarizeDurations(stage.successful_task_durations_ms)) {
      row.task_duration_ms_min = summary->min;
      row.task_duration_ms_p25 = summary->p25;
      row.task_duration_ms_p50 = summary->p50;
      row.task_duration_ms_p75 = summary->p75;
      row.task_duration_ms_p95 = summary->p95;
      row.task_duration_ms_max = summary->max;
      if (summary->p50 > 0) {
        row.max_task_skew_ratio =
            static_cast<double>(summary->max) / static_cast<double>(summary->p50);
      }
    }
    if (!stage.successful_task_read_bytes.empty()) {
      std::vector<uint64_t> bytes = stage.successful_task_read_bytes;
      std::sort(bytes.begin(), bytes.end());
      row.task_read_bytes_max = static_cast<int64_t>(bytes.back());
      row.task_read_bytes_p50 = static_cast<int64_t>(
          bytes[std::min(bytes.size() - 1, bytes.size() / 2)]);
    }
    const events::TaskMetrics& m = stage.totals;
    row.executor_run_time_ms = m.executor_run_time_ms;
    row.executor_cpu_time_ms = m.executor_cpu_time_ns / kNanosPerMilli;
    row.executor_deserialize_time_ms = m.executor_deserialize_time_ms;
    row.jvm_gc_time_ms = m.jvm_gc_time_ms;
    row.result_size_bytes = m.result_size_bytes;
    row.input_bytes = m.input_bytes;
    row.input_records = m.input_records;
    row.output_bytes = m.output_bytes;
    row.output_records = m.output_records;
    // Remote-to-disk bytes are part of the remote bytes, not extra.
    row.shuffle_read_bytes = m.shuffle_local_bytes_read + m.shuffle_remote_bytes_read;
    row.shuffle_remote_bytes_read = m.shuffle_remote_bytes_read;
    row.shuffle_read_records = m.shuffle_records_read;
    row.shuffle_fetch_wait_ms = m.shuffle_fetch_wait_ms;
    row.shuffle_write_bytes = m.shuffle_write_bytes;
    row.shuffle_write_records = m.shuffle_write_records;
    // Photon's shuffle sinks time their writes in SQL metrics, and leave the
    // task metric at 0.
    row.shuffle_write_time_ms =
        stage.photon_shuffle_write_time_ns.value_or(m.shuffle_write_time_ns) /
        kNanosPerMilli;
    row.memory_bytes_spilled = m.memory_bytes_spilled;
    row.disk_bytes_spilled = m.disk_bytes_spilled;
    row.total_shuffle_spill_mb = m.disk_bytes_spilled / (1024.0 * 1024.0);
    row.peak_execution_memory_max_bytes =
        std::max(stage.peak_execution_memory_max_bytes,
                 stage.photon_peak_memory_max_bytes.value_or(0));
    row.broadcast_miss_flag = false;
    row.collected_at = collected_at_ms;
    rows.push_back(std::move(row));
  }
  return rows;
}

const std::vector<std::string>& StageKpiColumns() {
  static const auto* columns = [] {
    auto* names = new std::vector<std::string>;
    VisitColumns(StageKpis{}, [&](std::string_view name, const auto&) {
      names->emplace_back(name);
    });
    return names;
  }();
  return *columns;
}

}  // namespace prometheus::kpi

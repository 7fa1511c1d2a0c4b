#include "prometheus/model/model_builder.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <string_view>

namespace prometheus::model {
namespace {

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

// Databricks job group ids look like `..._job-<jobId>-run-<runId>-action-...`.
std::optional<int64_t> NumberAfter(std::string_view text, std::string_view tag) {
  size_t at = text.find(tag);
  if (at == std::string_view::npos) return std::nullopt;
  text.remove_prefix(at + tag.size());
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  return ParseInt(text.substr(0, digits));
}

// Launch to finish, clamped to what a uint32 holds (49 days).
uint32_t TaskMilliseconds(const events::TaskEnd& event) {
  // Times from a corrupt log can be anything: their difference must not overflow.
  int64_t duration = 0;
  if (__builtin_sub_overflow(event.finish_time, event.launch_time, &duration)) {
    duration = event.finish_time > event.launch_time ? std::numeric_limits<int64_t>::max() : 0;
  }
  duration = std::max<int64_t>(0, duration);
  return static_cast<uint32_t>(
      std::min<int64_t>(duration, std::numeric_limits<uint32_t>::max()));
}

PlanNode ToPlanNode(const events::SparkPlanInfo& info) {
  PlanNode node;
  node.node_name = info.node_name;
  node.simple_string = info.simple_string;
  node.metadata = info.metadata;
  for (const auto& metric : info.metrics) {
    node.metrics.push_back(
        {metric.name, metric.accumulator_id, metric.metric_type, {}});
  }
  for (const auto& child : info.children) {
    node.children.push_back(ToPlanNode(child));
  }
  return node;
}

void ResolveMetrics(PlanNode& node,
                    const std::unordered_map<int64_t, int64_t>& values) {
  for (auto& metric : node.metrics) {
    if (auto it = values.find(metric.accumulator_id); it != values.end()) {
      metric.value = it->second;
    }
  }
  for (auto& child : node.children) ResolveMetrics(child, values);
}

// Photon's names for what Spark reports as the task metrics `Peak Execution
// Memory` and `Shuffle Write Time`, as spark-rapids-tools reads them: a
// metric whose name contains one of them (several operators have each).
constexpr std::string_view kPhotonPeakMemory = "peak memory usage";
constexpr std::string_view kPhotonShuffleWritePart = "part of shuffle file write";

void Add(events::TaskMetrics& total, const events::TaskMetrics& m) {
  total.executor_deserialize_time_ms += m.executor_deserialize_time_ms;
  total.executor_deserialize_cpu_time_ns += m.executor_deserialize_cpu_time_ns;
  total.executor_run_time_ms += m.executor_run_time_ms;
  total.executor_cpu_time_ns += m.executor_cpu_time_ns;
  total.result_size_bytes += m.result_size_bytes;
  total.jvm_gc_time_ms += m.jvm_gc_time_ms;
  total.result_serialization_time_ms += m.result_serialization_time_ms;
  total.memory_bytes_spilled += m.memory_bytes_spilled;
  total.disk_bytes_spilled += m.disk_bytes_spilled;
  total.peak_execution_memory_bytes += m.peak_execution_memory_bytes;
  total.input_bytes += m.input_bytes;
  total.input_records += m.input_records;
  total.output_bytes += m.output_bytes;
  total.output_records += m.output_records;
  total.shuffle_remote_blocks_fetched += m.shuffle_remote_blocks_fetched;
  total.shuffle_local_blocks_fetched += m.shuffle_local_blocks_fetched;
  total.shuffle_fetch_wait_ms += m.shuffle_fetch_wait_ms;
  total.shuffle_remote_bytes_read += m.shuffle_remote_bytes_read;
  total.shuffle_remote_bytes_read_to_disk +=
      m.shuffle_remote_bytes_read_to_disk;
  total.shuffle_local_bytes_read += m.shuffle_local_bytes_read;
  total.shuffle_records_read += m.shuffle_records_read;
  total.shuffle_write_bytes += m.shuffle_write_bytes;
  total.shuffle_write_time_ns += m.shuffle_write_time_ns;
  total.shuffle_write_records += m.shuffle_write_records;
}

}  // namespace

StageAttempt& ModelBuilder::Stage(int64_t stage_id, int64_t attempt_id) {
  if (last_stage_ != nullptr && last_stage_->stage_id == stage_id &&
      last_stage_->attempt_id == attempt_id) {
    return *last_stage_;
  }
  auto [it, inserted] = app_.stages.try_emplace({stage_id, attempt_id});
  if (inserted) {
    it->second.stage_id = stage_id;
    it->second.attempt_id = attempt_id;
    if (auto jobs = stage_jobs_.find(stage_id); jobs != stage_jobs_.end()) {
      it->second.job_ids = jobs->second;
    }
  }
  last_stage_ = &it->second;
  return it->second;
}

void ModelBuilder::UpdateStageInfo(const events::StageInfo& info,
                                   StageAttempt& stage) {
  if (!info.name.empty()) stage.name = info.name;
  if (!info.details.empty()) stage.details = info.details;
  stage.num_tasks = info.num_tasks;
  if (!info.parent_ids.empty()) stage.parent_ids = info.parent_ids;
  if (info.submission_time) stage.submission_time = info.submission_time;
  if (info.completion_time) stage.completion_time = info.completion_time;
  if (info.failure_reason) stage.failure_reason = info.failure_reason;
}

void ModelBuilder::OnLogStart(std::string_view spark_version) {
  if (app_.spark_version.empty()) app_.spark_version = spark_version;
}

void ModelBuilder::OnApplicationStart(const events::ApplicationStart& event) {
  app_.app_id = event.app_id;
  app_.attempt_id = event.attempt_id;
  app_.name = event.app_name;
  app_.user = event.user;
  app_.start_time = event.timestamp;
}

void ModelBuilder::OnApplicationEnd(int64_t timestamp) {
  app_.end_time = timestamp;
}

void ModelBuilder::OnEnvironmentUpdate(
    const events::EnvironmentUpdate& event) {
  app_.spark_properties = event.spark_properties;
  app_.java_command = event.java_command;
}

void ModelBuilder::OnExecutorAdded(const events::ExecutorAdded& event) {
  Executor& executor = app_.executors[event.executor_id];
  executor.executor_id = event.executor_id;
  executor.host = event.host;
  executor.cores = event.total_cores;
  executor.added_time = event.timestamp;
}

void ModelBuilder::OnExecutorRemoved(const events::ExecutorRemoved& event) {
  Executor& executor = app_.executors[event.executor_id];
  executor.executor_id = event.executor_id;
  executor.removed_time = event.timestamp;
  executor.removed_reason = event.reason;
}

void ModelBuilder::OnJobStart(const events::JobStart& event) {
  Job& job = app_.jobs[event.job_id];
  job.job_id = event.job_id;
  job.submission_time = event.submission_time;
  job.stage_ids = event.stage_ids;
  for (const auto& [key, value] : event.properties) {
    if (key == "spark.sql.execution.id") {
      job.sql_execution_id = ParseInt(value);
    } else if (key == "spark.jobGroup.id") {
      job.job_group = value;
    } else if (key == "spark.job.description") {
      job.description = value;
    } else if (key == "callSite.short") {
      job.call_site = value;
    } else if (key == "spark.databricks.job.id") {
      job.databricks_job_id = ParseInt(value);
    } else if (key == "spark.databricks.job.runId") {
      job.databricks_run_id = ParseInt(value);
    } else if (key == "spark.databricks.notebook.path" &&
               app_.notebook_path.empty()) {
      app_.notebook_path = value;
    }
  }
  if (!job.databricks_job_id) job.databricks_job_id = NumberAfter(job.job_group, "job-");
  if (!job.databricks_run_id) job.databricks_run_id = NumberAfter(job.job_group, "-run-");
  for (const auto& info : event.stage_infos) {
    StageAttempt& stage = Stage(info.stage_id, info.attempt_id);
    bool known = stage.submission_time.has_value() || stage.seen_completed;
    UpdateStageInfo(info, stage);
    if (!known && stage.successful_task_durations_ms.empty() &&
        stage.num_failed_tasks == 0) {
      stage.status = StageStatus::kSkipped;
    }
  }
  for (int64_t stage_id : event.stage_ids) {
    stage_jobs_[stage_id].push_back(event.job_id);
    for (auto it = app_.stages.lower_bound({stage_id, 0});
         it != app_.stages.end() && it->first.first == stage_id; ++it) {
      it->second.job_ids.push_back(event.job_id);
    }
  }
  if (job.sql_execution_id) {
    app_.sql_executions[*job.sql_execution_id].job_ids.push_back(event.job_id);
  }
}

void ModelBuilder::OnJobEnd(const events::JobEnd& event) {
  Job& job = app_.jobs[event.job_id];
  job.job_id = event.job_id;
  job.completion_time = event.completion_time;
  job.result = event.result;
  job.failure = event.failure;
}

void ModelBuilder::OnStageSubmitted(const events::StageInfo& info) {
  StageAttempt& stage = Stage(info.stage_id, info.attempt_id);
  UpdateStageInfo(info, stage);
  if (!stage.seen_completed) stage.status = StageStatus::kActive;
}

void ModelBuilder::OnStageCompleted(const events::StageInfo& info) {
  StageAttempt& stage = Stage(info.stage_id, info.attempt_id);
  UpdateStageInfo(info, stage);
  stage.seen_completed = true;
  stage.accumulables = info.accumulables;
  for (const auto& accumulable : info.accumulables) {
    // A SQL metric that no task or driver update carried (a log whose task
    // events were dropped or compacted) takes the stage's final value.
    if (sql_accumulators_.contains(accumulable.id) &&
        !app_.accumulator_values.contains(accumulable.id)) {
      stage_values_[accumulable.id] += accumulable.update;
    }
  }
  stage.status = info.failure_reason ? StageStatus::kFailed
                                     : StageStatus::kComplete;
}

void ModelBuilder::OnTaskEnd(const events::TaskEnd& event) {
  ++app_.task_end_events;
  StageAttempt& stage = Stage(event.stage_id, event.stage_attempt_id);
  if (stage.status == StageStatus::kSkipped) stage.status = StageStatus::kActive;
  switch (event.outcome) {
    case events::TaskOutcome::kSuccess: {
      ++stage.num_completed_tasks;
      stage.successful_task_durations_ms.push_back(TaskMilliseconds(event));
      const events::TaskMetrics& m = event.metrics;
      stage.successful_task_read_bytes.push_back(static_cast<uint64_t>(
          std::max<int64_t>(0, m.input_bytes + m.shuffle_local_bytes_read +
                                   m.shuffle_remote_bytes_read)));
      break;
    }
    case events::TaskOutcome::kFailed:
      ++stage.num_failed_tasks;
      stage.failures.Add(event.failure, event.executor_id);
      // A resubmitted task repeats the info of a success already counted.
      if (!event.resubmitted && event.launch_time > 0) {
        stage.unsuccessful_task_durations_ms.push_back(TaskMilliseconds(event));
      }
      break;
    case events::TaskOutcome::kKilled:
      ++stage.num_killed_tasks;
      stage.unsuccessful_task_durations_ms.push_back(TaskMilliseconds(event));
      break;
  }
  if (event.speculative) ++stage.num_speculative_tasks;
  if (event.resubmitted) ++stage.num_resubmitted_tasks;
  if (event.has_metrics) {
    Add(stage.totals, event.metrics);
    stage.peak_execution_memory_max_bytes =
        std::max(stage.peak_execution_memory_max_bytes,
                 event.metrics.peak_execution_memory_bytes);
  }
  stage.peak_jvm_heap_bytes = std::max(stage.peak_jvm_heap_bytes, event.jvm_heap_bytes);
  if (event.launch_time > 0 &&
      (!stage.first_launch_time || event.launch_time < *stage.first_launch_time)) {
    stage.first_launch_time = event.launch_time;
  }
  if (!stage.last_finish_time || event.finish_time > *stage.last_finish_time) {
    stage.last_finish_time = event.finish_time;
  }
  if (!sql_accumulators_.empty()) {
    for (const auto& update : event.accumulables) {
      if (sql_accumulators_.contains(update.id)) {
        app_.accumulator_values[update.id] += update.update;
        if (!photon_metrics_.empty()) FoldPhotonMetric(update, stage);
      }
    }
  }
}

void ModelBuilder::FoldPhotonMetric(const events::AccumulatorUpdate& update,
                                    StageAttempt& stage) const {
  auto it = photon_metrics_.find(update.id);
  if (it == photon_metrics_.end()) return;
  switch (it->second) {
    case PhotonMetric::kPeakMemory:
      stage.photon_peak_memory_max_bytes =
          std::max(stage.photon_peak_memory_max_bytes.value_or(update.update),
                   update.update);
      break;
    case PhotonMetric::kShuffleWriteTime:
      stage.photon_shuffle_write_time_ns =
          stage.photon_shuffle_write_time_ns.value_or(0) + update.update;
      break;
  }
}

void ModelBuilder::RegisterMetric(int64_t accumulator_id, std::string_view name) {
  sql_accumulators_.insert(accumulator_id);
  if (name.find(kPhotonPeakMemory) != std::string_view::npos) {
    photon_metrics_[accumulator_id] = PhotonMetric::kPeakMemory;
  } else if (name.find(kPhotonShuffleWritePart) != std::string_view::npos) {
    photon_metrics_[accumulator_id] = PhotonMetric::kShuffleWriteTime;
  }
}

void ModelBuilder::RegisterMetrics(const PlanNode& node) {
  for (const auto& metric : node.metrics) {
    RegisterMetric(metric.accumulator_id, metric.name);
  }
  for (const auto& child : node.children) RegisterMetrics(child);
}

void ModelBuilder::OnSqlExecutionStart(const events::SqlExecutionStart& event) {
  SqlExecution& execution = app_.sql_executions[event.execution_id];
  execution.execution_id = event.execution_id;
  execution.root_execution_id = event.root_execution_id;
  execution.description = event.description;
  execution.details = event.details;
  execution.physical_plan = event.physical_plan;
  execution.plan = ToPlanNode(event.plan);
  execution.start_time = event.time;
  execution.modified_configs = event.modified_configs;
  RegisterMetrics(execution.plan);
}

void ModelBuilder::OnSqlExecutionEnd(const events::SqlExecutionEnd& event) {
  SqlExecution& execution = app_.sql_executions[event.execution_id];
  execution.execution_id = event.execution_id;
  execution.end_time = event.time;
  execution.error_message = event.error_message;
}

void ModelBuilder::OnSqlAdaptiveUpdate(const events::SqlAdaptiveUpdate& event) {
  SqlExecution& execution = app_.sql_executions[event.execution_id];
  execution.execution_id = event.execution_id;
  execution.physical_plan = event.physical_plan;
  execution.plan = ToPlanNode(event.plan);
  ++execution.adaptive_updates;
  RegisterMetrics(execution.plan);
}

void ModelBuilder::OnSqlAdaptiveMetricUpdates(
    const events::SqlAdaptiveMetricUpdates& event) {
  for (const auto& metric : event.metrics) {
    RegisterMetric(metric.accumulator_id, metric.name);
  }
}

void ModelBuilder::OnDriverAccumUpdates(
    const events::DriverAccumUpdates& event) {
  // Like SQLAppStatusListener, every driver update is one more value of the
  // metric, summed: AQEShuffleRead sends one per partition.
  for (const auto& update : event.updates) {
    app_.accumulator_values[update.id] += update.update;
  }
}

Application ModelBuilder::Finish() && {
  for (const auto& [id, value] : stage_values_) {
    app_.accumulator_values.try_emplace(id, value);
  }
  for (auto& [id, execution] : app_.sql_executions) {
    ResolveMetrics(execution.plan, app_.accumulator_values);
  }
  for (auto& [key, stage] : app_.stages) stage.failures.Finish();
  return std::move(app_);
}

}  // namespace prometheus::model

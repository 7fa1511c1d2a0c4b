#include "prometheus/lake/tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "prometheus/base/fnv1a.h"
#include "prometheus/lake/internal/record_columns.h"
#include "prometheus/rules/native_rules.h"

namespace prometheus::lake {
namespace {

using internal::AppendRecord;
using internal::SchemaOf;
using parquet::MakeTable;
using parquet::Schema;
using parquet::Table;

// Whether the log says of the stage's Spark job that it ran for `run`
// (spark.databricks.job.runId or the job group name the run or task run).
bool RunOwnsStage(const kpi::StageKpis& stage, const RunTag& run) {
  return stage.run_id == run.run_id || stage.run_id == run.task_run_id;
}

bool RunOwnsSomeStage(const kpi::Analysis& a, const RunTag& run) {
  return std::any_of(a.stages.begin(), a.stages.end(),
                     [&](const kpi::StageKpis& stage) { return RunOwnsStage(stage, run); });
}

std::optional<std::string> NonEmpty(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

// The task columns prometheus_applications and prometheus_metrics share.
template <typename Row>
void SetTaskColumns(const RunTag& run, Row& row) {
  row.task_key = run.task_key;
  row.task_run_id = run.task_run_id;
  row.cluster_id = NonEmpty(run.cluster_id);
  row.task_path = NonEmpty(run.task_path);
  row.git_url = NonEmpty(run.git_url);
  row.git_provider = NonEmpty(run.git_provider);
  row.git_commit = NonEmpty(run.git_commit);
}

}  // namespace

StoredApplication ApplicationRecord(const kpi::Analysis& a, const std::string& fingerprint,
                                    int64_t ingested_at_ms, const RunTag* run,
                                    const kpi::CostEstimate* cost) {
  const model::Application& app = a.log.application;
  const kpi::ApplicationKpis& k = a.application;
  StoredApplication row;
  row.app_id = app.app_id;
  if (!app.attempt_id.empty()) row.app_attempt_id = app.attempt_id;
  row.app_name = app.name;
  row.user = app.user;
  row.spark_version = app.spark_version;
  if (!a.stages.empty()) {
    row.run_id = a.stages.front().run_id;
    row.job_id = a.stages.front().job_id;
  }
  if (const std::string* cluster = app.Property("spark.databricks.clusterUsageTags.clusterId")) {
    row.cluster_id = *cluster;
  }
  row.start_time.value = app.start_time;
  row.end_time.value = app.end_time;
  row.duration_ms = k.duration_ms;
  row.num_jobs = k.num_jobs;
  row.num_failed_jobs = k.num_failed_jobs;
  row.num_stages = k.totals.num_stages;
  row.num_tasks = k.totals.num_tasks;
  row.num_failed_tasks = k.totals.num_failed_tasks;
  row.num_executors = k.num_executors;
  row.task_time_ms = k.totals.task_time_ms;
  row.gc_time_ms = k.totals.gc_time_ms;
  row.input_bytes = k.totals.input_bytes;
  row.shuffle_read_bytes = k.totals.shuffle_read_bytes;
  row.shuffle_write_bytes = k.totals.shuffle_write_bytes;
  row.disk_bytes_spilled = k.totals.disk_bytes_spilled;
  row.core_seconds_available = k.core_seconds_available;
  row.core_seconds_used = k.core_seconds_used;
  for (const auto& part : a.log.input.parts) {
    if (!row.source_paths.empty()) row.source_paths += '\n';
    row.source_paths += StoredSourcePath(part.path);
  }
  row.source_layout = std::string(io::LayoutName(a.log.input.layout));
  row.source_bytes = static_cast<int64_t>(a.log.input.total_bytes());
  row.fingerprint = fingerprint;
  row.status = ApplicationStatus(a);
  row.corrupt_lines = a.log.corrupt_line_count;
  row.ingested_at.value = ingested_at_ms;
  if (run != nullptr) {
    row.run_id = run->run_id;
    row.job_id = run->job_id;
    // The log's cluster tag, set above, unless the run names its cluster.
    std::optional<std::string> log_cluster = row.cluster_id;
    SetTaskColumns(*run, row);
    if (!row.cluster_id) row.cluster_id = log_cluster;
    row.run_scope = RunOwnsSomeStage(a, *run)
                        ? "the run's own Spark jobs (by spark.databricks.job.runId or job group) "
                          "in prometheus_metrics; these totals are the whole application's"
                        : "the whole application: the log does not tell which Spark jobs were "
                          "this run's";
  }
  if (cost != nullptr) {
    row.estimated_dbus = cost->dbus;
    row.estimated_list_cost = cost->list_cost;
    row.cost_currency = cost->currency;
    row.cost_basis = cost->basis;
  }
  row.entry_point = NonEmpty(rules::EntryPointOf(app));
  return row;
}

StoredRecommendation RecommendationRecord(const rules::Recommendation& r,
                                          int64_t created_at_ms) {
  StoredRecommendation row;
  row.recommendation_id = r.id;
  row.run_id = r.scope.run_id;
  row.job_id = r.scope.job_id;
  row.app_id = r.scope.app_id;
  if (!r.scope.app_attempt_id.empty()) row.app_attempt_id = r.scope.app_attempt_id;
  if (!r.scope.spark_job_ids.empty()) row.spark_job_id = r.scope.spark_job_ids.front();
  row.stage_ids = nlohmann::json(r.scope.stage_ids).dump();
  row.sql_execution_id = r.scope.sql_execution_id;
  if (!r.scope.plan_node.empty()) row.plan_node = r.scope.plan_node;
  row.rule = r.rule;
  row.severity = std::string(rules::SeverityName(r.severity));
  row.message = r.message;
  row.evidence = r.evidence.dump();
  row.fix = rules::FixJson(r).dump();
  row.impact_task_seconds = r.impact_task_seconds;
  row.impact_wall_seconds = r.impact_wall_seconds;
  row.impact_basis = r.impact_basis;
  row.created_at.value = created_at_ms;
  if (!r.scope.entry_point.empty()) row.entry_point = r.scope.entry_point;
  if (!r.scope.call_sites.empty())
    row.call_sites = rules::ToJson(r)["scope"]["call_sites"].dump();
  return row;
}

std::string ApplicationStatus(const kpi::Analysis& analysis) {
  bool complete = analysis.log.application.end_time.has_value() && !analysis.log.input.in_progress;
  return complete ? "complete" : "in_progress";
}

std::string AppKey(std::string_view app_id, std::string_view attempt_id) {
  return fmt::format("{}#{}", app_id, attempt_id);
}

std::string AppKey(const kpi::Analysis& analysis, const RunTag* run) {
  const model::Application& app = analysis.log.application;
  std::string key = AppKey(app.app_id, app.attempt_id);
  if (run != nullptr) key += fmt::format("@{}", run->task_run_id);
  return key;
}

std::string StoredSourcePath(const std::filesystem::path& path) {
  const std::string text = path.string();
  if (text.find("://") != std::string::npos) return text;
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal().string();
}

const Schema& MetricsSchema() {
  static const auto* schema = new Schema(SchemaOf<StoredStage>());
  return *schema;
}

Table MetricsRows(const kpi::Analysis& analysis, const RunTag* run) {
  Table table = MakeTable(MetricsSchema(), analysis.stages.size());
  const bool own_only = run != nullptr && RunOwnsSomeStage(analysis, *run);
  for (const auto& stage : analysis.stages) {
    StoredStage row;
    row.kpis = stage;
    if (run != nullptr) {
      if (own_only && !RunOwnsStage(stage, *run)) continue;
      row.kpis.run_id = run->run_id;
      row.kpis.job_id = run->job_id;
      SetTaskColumns(*run, row);
    }
    AppendRecord(table, row);
  }
  return table;
}

const Schema& ApplicationsSchema() {
  static const auto* schema = new Schema(SchemaOf<StoredApplication>());
  return *schema;
}

Table ApplicationRow(const kpi::Analysis& analysis, const std::string& fingerprint,
                     int64_t ingested_at_ms, const RunTag* run, const kpi::CostEstimate* cost) {
  Table table = MakeTable(ApplicationsSchema(), 1);
  AppendRecord(table, ApplicationRecord(analysis, fingerprint, ingested_at_ms, run, cost));
  return table;
}

const Schema& RecommendationsSchema() {
  static const auto* schema = new Schema(SchemaOf<StoredRecommendation>());
  return *schema;
}

Table RecommendationRows(const std::vector<rules::Recommendation>& recommendations,
                         int64_t created_at_ms) {
  Table table = MakeTable(RecommendationsSchema(), recommendations.size());
  for (const auto& r : recommendations) AppendRecord(table, RecommendationRecord(r, created_at_ms));
  return table;
}

const Schema* TableSchema(std::string_view table) {
  if (table == kMetricsTable) return &MetricsSchema();
  if (table == kApplicationsTable) return &ApplicationsSchema();
  if (table == kRecommendationsTable) return &RecommendationsSchema();
  return nullptr;
}

Result<std::string> FingerprintLog(const io::EventLogInput& input) {
  constexpr size_t kEdge = 64 * 1024;
  uint64_t hash = kStableHashSeed;
  std::string buffer(kEdge, '\0');
  for (const auto& part : input.parts) {
    hash = Fnv1a(hash, part.path.filename().string());
    hash = Fnv1a(hash, std::to_string(part.size_bytes));
    std::ifstream in(part.path, std::ios::binary);
    if (!in) return Fail(ErrorCode::kIo, "{}: cannot open", part.path.string());
    in.read(buffer.data(), kEdge);
    hash = Fnv1a(hash, std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
    if (part.size_bytes > kEdge) {
      in.clear();
      in.seekg(static_cast<std::streamoff>(part.size_bytes - kEdge));
      in.read(buffer.data(), kEdge);
      hash = Fnv1a(hash, std::string_view(buffer.data(), static_cast<size_t>(in.gcount())));
    }
  }
  return fmt::format("{:016x}", hash);
}

}  // namespace prometheus::lake

// Native rules that read query plans: missed and oversized broadcasts, small
// files, Python UDFs, cross joins (HEURISTICS #8-11, 18, 19) and data read
// again and again.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "prometheus/base/units.h"
#include "prometheus/rules/native_rules.h"
#include "prometheus/rules/internal/native_rules.h"

namespace prometheus::rules {
namespace {

// The text, or nullopt when it is empty (the plan names no table or path).
std::optional<std::string> NonEmpty(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional(text);
}

using plan::StageKey;

std::string Bytes(int64_t bytes) {
  return FormatBytes(static_cast<double>(bytes));
}

// Scope of a finding about plan operator `node` of SQL execution `id`.
Recommendation PlanFinding(const kpi::Analysis& a, std::string rule,
                           int64_t execution_id, const std::string& node,
                           const std::vector<StageKey>& stages) {
  Recommendation r;
  r.rule = std::move(rule);
  r.scope = ApplicationScopeOf(a);
  r.scope.sql_execution_id = execution_id;
  r.scope.plan_node = node;
  const model::Application& app = a.log.application;
  for (const auto& key : stages) {
    r.scope.stage_ids.push_back(key.first);
    auto stage = app.stages.find(key);
    if (stage == app.stages.end()) continue;
    for (int64_t job : stage->second.job_ids) {
      if (std::find(r.scope.spark_job_ids.begin(), r.scope.spark_job_ids.end(),
                    job) == r.scope.spark_job_ids.end()) {
        r.scope.spark_job_ids.push_back(job);
      }
    }
  }
  std::sort(r.scope.stage_ids.begin(), r.scope.stage_ids.end());
  r.scope.stage_ids.erase(
      std::unique(r.scope.stage_ids.begin(), r.scope.stage_ids.end()),
      r.scope.stage_ids.end());
  return r;
}

// The user code behind the stages: the job's call site, else a stage name.
std::optional<CallSite> CallSiteOf(const kpi::Analysis& a,
                                   const std::vector<StageKey>& stages) {
  const model::Application& app = a.log.application;
  for (const auto& key : stages) {
    auto stage = app.stages.find(key);
    if (stage == app.stages.end()) continue;
    for (int64_t job_id : stage->second.job_ids) {
      auto job = app.jobs.find(job_id);
      if (job == app.jobs.end()) continue;
      if (auto site = ParseCallSite(job->second.call_site)) return site;
    }
    if (auto site = ParseCallSite(stage->second.name)) return site;
  }
  return std::nullopt;
}

void AddCallSite(Recommendation& r, const std::optional<CallSite>& site) {
  if (site) r.fix->call_site = site;
}

// Sums over the stage attempts of `stages` that have KPI rows.
struct StageSums {
  double run_seconds = 0;
  double shuffle_seconds = 0;  // fetch wait plus shuffle write time
  double longest_ms = 0;
};

StageSums SumStages(const kpi::Analysis& a,
                    const std::vector<StageKey>& stages) {
  StageSums sums;
  for (const auto& row : a.stages) {
    if (std::find(stages.begin(), stages.end(),
                  StageKey{row.stage_id, row.stage_attempt_id}) ==
        stages.end()) {
      continue;
    }
    sums.run_seconds += static_cast<double>(row.executor_run_time_ms) / 1000;
    sums.shuffle_seconds += (static_cast<double>(row.shuffle_fetch_wait_ms) +
                             row.shuffle_write_time_ms) /
                            1000;
    sums.longest_ms = std::max(
        sums.longest_ms, static_cast<double>(row.duration_ms.value_or(0)));
  }
  return sums;
}

int64_t ThresholdOf(const kpi::Analysis& a, int64_t execution_id) {
  for (const auto& e : a.plans.executions) {
    if (e.execution_id == execution_id) return e.broadcast_threshold;
  }
  return a.plans.broadcast_threshold;
}

}  // namespace

std::vector<Recommendation> MissedBroadcast(const kpi::Analysis& a,
                                            const Thresholds& t) {
  std::vector<Recommendation> out;
  for (const auto& join : a.plans.joins) {
    if (join.strategy != plan::JoinStrategy::kSortMerge &&
        join.strategy != plan::JoinStrategy::kShuffledHash) {
      continue;
    }
    int64_t threshold = ThresholdOf(a, join.execution_id);
    if (!plan::IsBroadcastMiss(join, threshold)) continue;
    const plan::JoinSide* small = join.Smaller();
    const plan::JoinSide* large = join.Larger();
    bool small_is_left = small == &join.left;
    Recommendation r = PlanFinding(a, "missed_broadcast", join.execution_id,
                                   join.node_name, join.stages);
    int64_t large_bytes = *large->bytes;
    const double high =
        t.Get("missed_broadcast", "high_large_side_bytes", 10.0 * plan::kGiB);
    const double medium =
        t.Get("missed_broadcast", "medium_large_side_bytes", 1.0 * plan::kGiB);
    r.severity = large_bytes >= high     ? Severity::kHigh
                 : large_bytes >= medium ? Severity::kMedium
                                         : Severity::kLow;
    std::string what = small->scan
                           ? (!small->scan->table.empty() ? small->scan->table
                                                          : small->scan->path)
                           : "";
    r.message = fmt::format(
        "{} in query {} shuffles {} to join a {} side{}. Broadcasting the "
        "small side "
        "would avoid shuffling the large one (broadcast threshold {}).",
        join.node_name, join.execution_id, Bytes(large_bytes),
        Bytes(*small->bytes), what.empty() ? "" : " (" + what + ")",
        threshold < 0 ? std::string("disabled") : Bytes(threshold));
    r.evidence = {{"small_side_bytes", *small->bytes},
                  {"large_side_bytes", large_bytes},
                  {"threshold_bytes", threshold},
                  {"join_type", join.join_type},
                  {"size_metric", small->size_metric}};
    StageSums sums = SumStages(a, join.stages);
    r.impact_task_seconds = sums.shuffle_seconds;
    r.impact_wall_seconds = sums.longest_ms / 1000 * 0.5;
    r.impact_basis =
        "shuffle fetch-wait and write time of the join's stages; half the "
        "longest join stage's wall time";
    r.fix = fix::Fix{
        fix::BroadcastHint{
            NonEmpty(small->scan ? small->scan->table : std::string()),
            NonEmpty(small->scan ? small->scan->path : std::string()),
            small_is_left ? join.left_keys : join.right_keys,
            small_is_left ? fix::JoinSide::kLeft : fix::JoinSide::kRight,
            NonEmpty(join.join_type)}};
    AddCallSite(r, CallSiteOf(a, join.stages));
    out.push_back(std::move(r));
  }
  return out;
}

// Dataflint flags broadcasts over 1 GiB; Spark fails above 8 GiB.
std::vector<Recommendation> OversizedBroadcast(const kpi::Analysis& a,
                                               const Thresholds& t) {
  std::vector<Recommendation> out;
  for (const auto& b : a.plans.broadcasts) {
    const double limit =
        t.Get("oversized_broadcast", "broadcast_bytes", 1.0 * plan::kGiB);
    if (!b.data_size || *b.data_size <= limit) continue;
    Recommendation r = PlanFinding(a, "oversized_broadcast", b.execution_id,
                                   b.node_name, b.stages);
    r.severity =
        *b.data_size > t.Get("oversized_broadcast", "critical_broadcast_bytes",
                             4.0 * plan::kGiB)
            ? Severity::kCritical
            : Severity::kHigh;
    double seconds =
        static_cast<double>(b.collect_ms.value_or(0) + b.build_ms.value_or(0) +
                            b.broadcast_ms.value_or(0)) /
        1000;
    r.message = fmt::format(
        "Query {} broadcasts {} ({:.1f} s to collect, build and send): it "
        "loads the "
        "driver and every executor. Let this side be shuffled instead, or "
        "filter it first.",
        b.execution_id, Bytes(*b.data_size), seconds);
    r.evidence = {{"broadcast_bytes", *b.data_size},
                  {"threshold_bytes", limit},
                  {"collect_ms", b.collect_ms.value_or(0)},
                  {"build_ms", b.build_ms.value_or(0)},
                  {"broadcast_ms", b.broadcast_ms.value_or(0)}};
    r.impact_wall_seconds = seconds;
    r.impact_basis = "time to collect, build and send the broadcast";
    r.fix = fix::Fix{fix::Conf{"spark.sql.autoBroadcastJoinThreshold",
                               std::to_string(100 * plan::kMiB)}};
    out.push_back(std::move(r));
  }
  return out;
}

// Dataflint: more than 100 files averaging under 3 MiB.
std::vector<Recommendation> SmallFilesRead(const kpi::Analysis& a,
                                           const Thresholds& t) {
  std::vector<Recommendation> out;
  for (const auto& scan : a.plans.scans) {
    const double min_files = t.Get("small_files_read", "min_files", 100);
    const double small_average =
        t.Get("small_files_read", "average_file_bytes", 3.0 * plan::kMiB);
    if (!scan.files_read || !scan.bytes_read || *scan.files_read <= min_files)
      continue;
    double average = static_cast<double>(*scan.bytes_read) /
                     static_cast<double>(*scan.files_read);
    if (average >= small_average) continue;
    std::string what =
        !scan.table.table.empty() ? scan.table.table : scan.table.path;
    Recommendation r = PlanFinding(a, "small_files_read", scan.execution_id,
                                   scan.node_name, scan.stages);
    r.severity =
        *scan.files_read > t.Get("small_files_read", "high_files", 10000)
            ? Severity::kHigh
            : Severity::kMedium;
    r.message = fmt::format(
        "Query {} read {} files averaging {}{}: opening files, not reading "
        "data, "
        "dominates. Compact them into files of about 128 MiB (Delta OPTIMIZE).",
        scan.execution_id, *scan.files_read,
        Bytes(static_cast<int64_t>(average)),
        what.empty() ? "" : " from " + what);
    r.evidence = {{"files_read", *scan.files_read},
                  {"bytes_read", *scan.bytes_read},
                  {"average_file_bytes", average},
                  {"threshold_files", min_files},
                  {"threshold_average_bytes", small_average}};
    StageSums sums = SumStages(a, scan.stages);
    r.impact_task_seconds = sums.run_seconds * 0.3;
    r.impact_basis =
        "30% of the scan stages' task time, the share file-open overhead "
        "usually takes";
    r.fix = fix::Fix{fix::CompactFiles{NonEmpty(scan.table.table),
                                       NonEmpty(scan.table.path),
                                       128 * plan::kMiB}};
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<Recommendation> SmallFilesWritten(const kpi::Analysis& a,
                                              const Thresholds& t) {
  std::vector<Recommendation> out;
  for (const auto& write : a.plans.writes) {
    const double min_files = t.Get("small_files_written", "min_files", 100);
    const double small_average =
        t.Get("small_files_written", "average_file_bytes", 3.0 * plan::kMiB);
    if (!write.files_written || !write.bytes_written ||
        *write.files_written <= min_files)
      continue;
    double average = static_cast<double>(*write.bytes_written) /
                     static_cast<double>(*write.files_written);
    if (average >= small_average) continue;
    Recommendation r = PlanFinding(a, "small_files_written", write.execution_id,
                                   write.node_name, write.stages);
    r.severity =
        *write.files_written > t.Get("small_files_written", "high_files", 10000)
            ? Severity::kHigh
            : Severity::kMedium;
    int64_t partitions = std::max<int64_t>(
        1,
        static_cast<int64_t>(std::ceil(
            static_cast<double>(*write.bytes_written) / (128.0 * plan::kMiB))));
    std::string where = !write.table.empty() ? write.table : write.path;
    r.message = fmt::format(
        "The write in query {}{} produced {} files averaging {}. Repartition "
        "to {} "
        "partition(s) before writing (about 128 MiB each).",
        write.execution_id, where.empty() ? "" : " to " + where,
        *write.files_written, Bytes(static_cast<int64_t>(average)), partitions);
    r.evidence = {{"files_written", *write.files_written},
                  {"bytes_written", *write.bytes_written},
                  {"average_file_bytes", average},
                  {"threshold_files", min_files},
                  {"threshold_average_bytes", small_average}};
    r.impact_basis =
        "none estimated: the cost falls on the readers of these files";
    r.fix = fix::Fix{fix::Repartition{
        partitions, write.partition_columns.empty()
                        ? std::nullopt
                        : std::optional(write.partition_columns.front())}};
    AddCallSite(r, CallSiteOf(a, write.stages));
    out.push_back(std::move(r));
  }
  return out;
}

// No anchor alerts on Python UDFs; weighted by the share of run time.
std::vector<Recommendation> PythonUdfs(const kpi::Analysis& a,
                                       const Thresholds& t) {
  std::vector<Recommendation> out;
  double total = static_cast<double>(a.application.totals.task_time_ms) / 1000;
  for (const auto& udf : a.plans.python_udfs) {
    StageSums sums = SumStages(a, udf.stages);
    double share = total > 0 ? sums.run_seconds / total : 0;
    Recommendation r = PlanFinding(a, "python_udf", udf.execution_id,
                                   udf.node_name, udf.stages);
    const double medium_share = t.Get("python_udf", "medium_share", 0.1);
    bool high = sums.run_seconds >= t.Get("python_udf", "high_seconds", 600) &&
                share >= t.Get("python_udf", "high_share", 0.5);
    bool medium =
        sums.run_seconds >= t.Get("python_udf", "medium_seconds", 60) &&
        share >= medium_share;
    r.severity = high     ? Severity::kHigh
                 : medium ? Severity::kMedium
                          : Severity::kLow;
    std::string names = udf.udf_names.empty()
                            ? std::string("a Python UDF")
                            : fmt::format("{}", fmt::join(udf.udf_names, ", "));
    r.message = fmt::format(
        "Query {} runs {} through {} in stages taking {:.0f}% of the task "
        "time: rows go "
        "to Python workers and back. Built-in functions "
        "(pyspark.sql.functions) run in "
        "the JVM, and on Photon.",
        udf.execution_id, names, udf.node_name, share * 100);
    r.evidence = {{"udf_stage_task_seconds", sums.run_seconds},
                  {"application_task_seconds", total},
                  {"share_of_task_time", share},
                  {"threshold_share", medium_share}};
    r.impact_task_seconds = sums.run_seconds * 0.5;
    r.impact_basis =
        "half the UDF stages' task time, a conservative gain from built-ins";
    r.fix = fix::Fix{fix::UdfToBuiltin{udf.udf_names}};
    AddCallSite(r, CallSiteOf(a, udf.stages));
    out.push_back(std::move(r));
  }
  return out;
}

// Dataflint flags cross joins that scan more than 1e10 rows.
std::vector<Recommendation> CartesianJoin(const kpi::Analysis& a,
                                          const Thresholds& t) {
  std::vector<Recommendation> out;
  for (const auto& join : a.plans.joins) {
    bool nested = join.strategy == plan::JoinStrategy::kCartesian ||
                  join.strategy == plan::JoinStrategy::kBroadcastNestedLoop;
    if (!nested) continue;
    int64_t scanned = join.cross_join_scanned_rows.value_or(0);
    if (scanned < t.Get("cartesian_join", "min_rows", 1e8)) continue;
    Recommendation r = PlanFinding(a, "cartesian_join", join.execution_id,
                                   join.node_name, join.stages);
    const double high_rows = t.Get("cartesian_join", "high_rows", 1e10);
    r.severity = static_cast<double>(scanned) > high_rows ? Severity::kHigh
                                                          : Severity::kMedium;
    r.message = fmt::format(
        "{} in query {} compared {} row pairs: a join without an equality "
        "condition "
        "grows with the product of its sides. Add an equi-join key, or "
        "broadcast the "
        "small side.",
        join.node_name, join.execution_id, scanned);
    r.evidence = {{"cross_join_scanned_rows", scanned},
                  {"threshold_rows", high_rows}};
    StageSums sums = SumStages(a, join.stages);
    r.impact_task_seconds = sums.run_seconds * 0.5;
    r.impact_basis = "half the join stages' task time";
    r.fix = fix::Fix{fix::JoinCondition{join.condition}};
    AddCallSite(r, CallSiteOf(a, join.stages));
    out.push_back(std::move(r));
  }
  return out;
}

// The same table or path scanned by several queries of one application,
// which the application never writes: cache() reads it once.
std::vector<Recommendation> RepeatedScan(const kpi::Analysis& a,
                                         const Thresholds& t) {
  const double min_queries = t.Get("repeated_scan", "min_queries", 2);
  const double min_bytes =
      t.Get("repeated_scan", "min_reread_bytes", 1.0 * plan::kGiB);
  const double medium_bytes =
      t.Get("repeated_scan", "medium_reread_bytes", 10.0 * plan::kGiB);
  std::set<std::string> written;
  for (const auto& write : a.plans.writes) {
    written.insert(!write.table.empty() ? write.table : write.path);
  }
  std::map<std::string, std::vector<const plan::Scan*>> by_source;
  for (const auto& scan : a.plans.scans) {
    std::string source =
        !scan.table.table.empty() ? scan.table.table : scan.table.path;
    if (!source.empty() && !written.contains(source))
      by_source[source].push_back(&scan);
  }
  std::vector<Recommendation> out;
  for (const auto& [source, scans] : by_source) {
    std::set<int64_t> queries;
    int64_t total_bytes = 0, first_bytes = -1;
    std::vector<StageKey> stages, reread_stages;
    for (const plan::Scan* scan : scans) {
      bool first_read = queries.empty();
      queries.insert(scan->execution_id);
      int64_t bytes = scan->bytes_read.value_or(0);
      total_bytes += bytes;
      if (first_read) first_bytes = bytes;
      stages.insert(stages.end(), scan->stages.begin(), scan->stages.end());
      if (!first_read)
        reread_stages.insert(reread_stages.end(), scan->stages.begin(),
                             scan->stages.end());
    }
    double reread =
        static_cast<double>(total_bytes - std::max<int64_t>(first_bytes, 0));
    if (static_cast<double>(queries.size()) < min_queries || reread < min_bytes)
      continue;
    const plan::Scan& first = *scans.front();
    Recommendation r = PlanFinding(a, "repeated_scan", first.execution_id,
                                   first.node_name, stages);
    r.severity = reread >= medium_bytes ? Severity::kMedium : Severity::kLow;
    r.message = fmt::format(
        "{} queries read {} ({} in all, {} of it again after the first read). "
        "If they use the "
        "same data, cache() the DataFrame once and unpersist() it after the "
        "last query.",
        queries.size(), source, Bytes(total_bytes),
        Bytes(static_cast<int64_t>(reread)));
    r.evidence = {{"queries", queries.size()},
                  {"bytes_read", total_bytes},
                  {"reread_bytes", reread},
                  {"threshold_queries", min_queries},
                  {"threshold_reread_bytes", min_bytes}};
    StageSums sums = SumStages(a, reread_stages);
    r.impact_task_seconds = sums.run_seconds * 0.5;
    r.impact_basis =
        "half the task time of the stages that read it again: at most the read "
        "share, when the cache fits in memory";
    bool table = !first.table.table.empty();
    r.fix = fix::Fix{table ? fix::Cache{source, std::nullopt}
                           : fix::Cache{std::nullopt, source}};
    AddCallSite(r, CallSiteOf(a, first.stages));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace prometheus::rules

// Application-level native rules: idle cores, driver gaps, log quality,
// AQE settings and executor memory.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "prometheus/plan/plan_analysis.h"

#include "prometheus/base/units.h"
#include "prometheus/rules/native_rules.h"
#include "prometheus/rules/internal/failure_text.h"
#include "prometheus/rules/internal/native_rules.h"
#include "prometheus/rules/scopes.h"
#include "prometheus/rules/whatif_evidence.h"

namespace prometheus::rules {
namespace {

constexpr double kMinute = 60.0;

}  // namespace

std::string Percent(double ratio) { return fmt::format("{:.0f}%", ratio * 100); }

// HEURISTICS #13: Dataflint flags idle > 50%; gated so small apps stay quiet.
std::vector<Recommendation> IdleCores(const kpi::Analysis& a, const Thresholds& t) {
  const kpi::ApplicationKpis& k = a.application;
  const double idle_ratio = t.Get("idle_cores", "idle_ratio", 0.5);
  if (!k.core_seconds_available ||
      *k.core_seconds_available < t.Get("idle_cores", "min_core_seconds", 3600)) {
    return {};
  }
  double idle = 1.0 - k.core_seconds_used / *k.core_seconds_available;
  if (idle <= idle_ratio) return {};
  Recommendation r;
  r.rule = "idle_cores";
  r.severity = idle > t.Get("idle_cores", "high_idle_ratio", 0.8) &&
                       *k.core_seconds_available >= t.Get("idle_cores", "high_core_seconds", 36000)
                   ? Severity::kHigh
                   : Severity::kMedium;
  r.scope = ApplicationScopeOf(a);
  double idle_seconds = *k.core_seconds_available - k.core_seconds_used;
  r.message = fmt::format(
      "{} of the executor core-time was idle: tasks used {:.0f} of {:.0f} "
      "core-seconds across {} executors (up to {} cores). Fewer or smaller "
      "executors, or dynamic allocation, would do the same work for less.",
      Percent(idle), k.core_seconds_used, *k.core_seconds_available, k.num_executors,
      k.max_cores);
  r.evidence = {{"idle_ratio", idle},
                {"core_seconds_used", k.core_seconds_used},
                {"core_seconds_available", *k.core_seconds_available},
                {"threshold_idle_ratio", idle_ratio}};
  r.impact_task_seconds = idle_seconds;
  r.impact_wall_seconds = 0;
  r.impact_basis = "idle executor core-seconds (paid, not wall time)";
  r.fix = fix::Fix{fix::Conf{"spark.dynamicAllocation.enabled", "true"}};
  CiteWhatIf(a, r);
  return {r};
}

// HEURISTICS #17: Databricks' guide looks at gaps of a minute or more.
std::vector<Recommendation> DriverGaps(const kpi::Analysis& a, const Thresholds& t) {
  const model::Application& app = a.log.application;
  if (!app.start_time || !app.end_time) return {};
  std::vector<std::pair<int64_t, int64_t>> spans;
  for (const auto& [id, job] : app.jobs) {
    if (job.submission_time && job.completion_time) {
      spans.emplace_back(*job.submission_time, *job.completion_time);
    }
  }
  std::sort(spans.begin(), spans.end());
  int64_t busy = 0, cursor = *app.start_time;
  for (auto [start, end] : spans) {
    start = std::max(start, cursor);
    if (end > start) {
      busy += end - start;
      cursor = end;
    }
  }
  double duration_ms = static_cast<double>(*app.end_time - *app.start_time);
  double gap_ms = duration_ms - static_cast<double>(busy);
  const double gap_ratio = t.Get("driver_gaps", "gap_ratio", 0.25);
  const double min_gap_seconds = t.Get("driver_gaps", "min_gap_seconds", 5 * kMinute);
  if (duration_ms <= 0 || gap_ms / 1000 < min_gap_seconds || gap_ms / duration_ms < gap_ratio) {
    return {};
  }
  Recommendation r;
  r.rule = "driver_gaps";
  double share = gap_ms / duration_ms;
  r.severity = share >= t.Get("driver_gaps", "high_gap_ratio", 0.5) &&
                       gap_ms / 1000 >= t.Get("driver_gaps", "high_gap_seconds", 30 * kMinute)
                   ? Severity::kHigh
                   : Severity::kMedium;
  r.scope = ApplicationScopeOf(a);
  r.message = fmt::format(
      "No Spark job ran for {:.1f} of the application's {:.1f} minutes ({}): the "
      "driver was busy on its own (collect/toPandas loops, Python code, "
      "listing files) or idle while executors waited.",
      gap_ms / 60000, duration_ms / 60000, Percent(share));
  r.evidence = {{"gap_ms", gap_ms}, {"application_duration_ms", duration_ms},
                {"gap_ratio", share}, {"threshold_gap_ratio", gap_ratio},
                {"threshold_gap_ms", min_gap_seconds * 1000}};
  r.impact_wall_seconds = gap_ms / 1000 * 0.5;
  r.impact_task_seconds = 0;
  r.impact_basis = "half of the time with no job running, a conservative share of driver work that can move to executors or run concurrently";
  r.fix = fix::Fix{fix::DriverCode{
      "avoid collect()/toPandas() loops and withColumn chains; run independent actions concurrently"}};
  return {r};
}

// HEURISTICS #26: dropped events (listener bus overflow) and compaction
// make every other figure partial.
std::vector<Recommendation> LogDataQuality(const kpi::Analysis& a, const Thresholds& t) {
  int64_t expected = 0, seen = 0;
  for (const auto& stage : a.stages) {
    if (stage.status != "COMPLETE") continue;
    expected += stage.num_tasks;
    seen += std::min(stage.num_tasks, stage.num_completed_tasks);
  }
  double missing = expected > 0 ? 1.0 - static_cast<double>(seen) / expected : 0;
  bool compacted = a.log.input.compacted;
  int64_t corrupt = a.log.corrupt_line_count;
  const double missing_ratio = t.Get("log_data_quality", "missing_ratio", 0.01);
  const double high_missing = t.Get("log_data_quality", "high_missing_ratio", 0.1);
  if (missing < missing_ratio && !compacted && corrupt == 0) return {};
  Recommendation r;
  r.rule = "log_data_quality";
  r.severity = missing >= high_missing || compacted ? Severity::kHigh
               : missing >= missing_ratio             ? Severity::kMedium
                                                      : Severity::kLow;
  r.scope = ApplicationScopeOf(a);
  std::vector<std::string> parts;
  if (missing >= missing_ratio) {
    parts.push_back(fmt::format("{} of the completed stages' tasks have no task-end event "
                                "(the listener bus dropped them)", Percent(missing)));
  }
  if (compacted) parts.push_back("the History Server compacted the log, dropping finished jobs' task events");
  if (corrupt > 0) parts.push_back(fmt::format("{} line(s) were corrupt", corrupt));
  r.message = fmt::format("This log is incomplete: {}. Figures and other findings are partial.",
                          fmt::join(parts, "; "));
  r.evidence = {{"missing_task_ratio", missing}, {"expected_tasks", expected},
                {"task_end_events", seen}, {"compacted", compacted},
                {"corrupt_lines", corrupt}, {"threshold_missing_ratio", missing_ratio}};
  r.impact_basis = "none: a data-quality warning";
  r.fix = fix::Fix{fix::Conf{"spark.scheduler.listenerbus.eventqueue.capacity", "30000"}};
  return {r};
}

// HEURISTICS #22: AQE is on by default from Spark 3.2; off, every shuffle
// uses spark.sql.shuffle.partitions partitions whatever its size.
std::vector<Recommendation> AqeDisabled(const kpi::Analysis& a, const Thresholds& t) {
  MapScope scope = ApplicationScope(a);
  if (std::get<bool>(*scope.Lookup("aqe_enabled"))) return {};
  const model::Application& app = a.log.application;
  int major = 0;
  std::from_chars(app.spark_version.data(), app.spark_version.data() + app.spark_version.size(), major);
  if (major < 3) return {};  // AQE arrived in Spark 3.0
  int64_t shuffle_bytes = a.application.totals.shuffle_write_bytes;
  int64_t shuffle_stages = 0;
  double shuffle_task_seconds = 0;
  for (const auto& stage : a.stages) {
    if (stage.shuffle_write_bytes > 0 || stage.shuffle_read_bytes > 0) {
      ++shuffle_stages;
      shuffle_task_seconds += static_cast<double>(stage.executor_run_time_ms) / 1000;
    }
  }
  // Small shuffles gain nothing worth a change.
  if (shuffle_stages == 0 ||
      shuffle_bytes < t.Get("aqe_disabled", "min_shuffle_bytes", 64.0 * (1 << 20))) {
    return {};
  }
  Recommendation r;
  r.rule = "aqe_disabled";
  r.severity = shuffle_task_seconds >= t.Get("aqe_disabled", "medium_task_seconds", 600)
                   ? Severity::kMedium
                   : Severity::kLow;
  r.scope = ApplicationScopeOf(a);
  double partitions = std::get<double>(*scope.Lookup("shuffle_partitions"));
  r.message = fmt::format(
      "Adaptive query execution is off (Spark {}), so all {} shuffle stages use "
      "{:.0f} partitions whatever their size ({} shuffled), with no skew-join "
      "splitting and no runtime broadcast. Turn AQE on.",
      app.spark_version, shuffle_stages, partitions,
      FormatBytes(static_cast<double>(shuffle_bytes)));
  r.evidence = {{"aqe_enabled", false}, {"spark_version", app.spark_version},
                {"shuffle_partitions", partitions}, {"shuffle_stages", shuffle_stages},
                {"shuffle_write_bytes", shuffle_bytes}};
  r.impact_task_seconds = shuffle_task_seconds * 0.1;
  r.impact_wall_seconds = 0;
  r.impact_basis = "10% of shuffle stages' task time, a conservative share of what coalescing and skew handling save";
  r.fix = fix::Fix{fix::Conf{"spark.sql.adaptive.enabled", "true"}};
  return {r};
}

}  // namespace prometheus::rules

namespace prometheus::rules {

namespace {

// What corroborates a full heap: a JVM fills its heap before it collects,
// so the peak alone says nothing (Dr. Elephant gates its memory heuristics
// the same way). Each present sign is one phrase of the message.
std::vector<std::string> MemoryPressure(const kpi::Analysis& a, const Thresholds& t,
                                        nlohmann::ordered_json& evidence) {
  std::vector<std::string> signs;
  const kpi::WorkTotals& totals = a.application.totals;
  const double gc_ratio = totals.task_time_ms > 0 ? static_cast<double>(totals.gc_time_ms) /
                                                        static_cast<double>(totals.task_time_ms)
                                                  : 0;
  evidence["gc_ratio"] = gc_ratio;
  evidence["disk_bytes_spilled"] = totals.disk_bytes_spilled;
  if (gc_ratio >= t.Get("executor_memory", "pressure_gc_ratio", 0.1)) {
    signs.push_back(fmt::format("GC took {} of task time", Percent(gc_ratio)));
  }
  if (totals.disk_bytes_spilled > 0) {
    signs.push_back(fmt::format("{} spilled to disk",
                                FormatBytes(static_cast<double>(totals.disk_bytes_spilled))));
  }
  int64_t died = 0;
  for (const auto& [key, stage] : a.log.application.stages) {
    for (const model::FailureGroup& group : stage.failures.groups) {
      if (model::IsMemoryCause(group.failure.cause)) died += group.count;
    }
  }
  evidence["out_of_memory_tasks"] = died;
  if (died > 0) signs.push_back(fmt::format("{} task attempt(s) died for memory", died));
  int64_t lost = 0;
  for (const auto& [id, executor] : a.log.application.executors) {
    if (!executor.removed_reason.empty() &&
        model::IsMemoryCause(ClassifyRemoval(executor.removed_reason).cause)) {
      ++lost;
    }
  }
  evidence["executors_lost_for_memory"] = lost;
  if (lost > 0) signs.push_back(fmt::format("{} executor(s) were lost for memory", lost));
  return signs;
}

// Where an engine does its work off the JVM heap, the heap's peak is not
// what the executors need: Photon (Databricks) and Spark's own off-heap
// memory. "" when the work is on the heap.
std::string OffHeapEngine(const model::Application& app) {
  auto is = [&](std::string_view key, std::string_view value) {
    const std::string* text = app.Property(key);
    if (text == nullptr) return false;
    std::string lower = *text;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower.find(value) != std::string::npos;
  };
  if (is("spark.databricks.clusterUsageTags.runtimeEngine", "photon") ||
      is("spark.databricks.clusterUsageTags.sparkVersion", "photon") ||
      is("spark.databricks.photon.enabled", "true")) {
    return "Photon";
  }
  for (const auto& [key, stage] : app.stages) {
    if (stage.photon_peak_memory_max_bytes) return "Photon";
  }
  if (is("spark.memory.offHeap.enabled", "true")) return "spark.memory.offHeap.enabled";
  return "";
}

}  // namespace

// HEURISTICS #14: Dataflint flags heap above 95% (raise by 20%) and below
// 70%; Dr. Elephant's tuning branch flags memory over 1.25-3x (peak + 300 MB),
// only above 2 GB. Raising memory needs corroborating pressure
// (MemoryPressure); without it the only advice is the saving, at low
// severity.
std::vector<Recommendation> ExecutorMemory(const kpi::Analysis& a, const Thresholds& t) {
  const model::Application& app = a.log.application;
  const std::string* setting = app.Property("spark.executor.memory");
  if (setting == nullptr) return {};
  std::optional<int64_t> memory = plan::ParseByteSize(*setting);
  int64_t peak = 0;
  for (const auto& [key, stage] : app.stages) peak = std::max(peak, stage.peak_jvm_heap_bytes);
  if (!memory || *memory <= 0 || peak <= 0) return {};
  double used = static_cast<double>(peak) / static_cast<double>(*memory);
  constexpr int64_t kOverhead = 300ll << 20;
  double headroom = static_cast<double>(*memory) / static_cast<double>(peak + kOverhead);
  const double high_ratio = t.Get("executor_memory", "high_heap_ratio", 0.95);
  const double min_headroom = t.Get("executor_memory", "headroom", 1.5);
  Recommendation r;
  r.rule = "executor_memory";
  r.scope = ApplicationScopeOf(a);
  r.evidence = {{"peak_jvm_heap_bytes", peak}, {"executor_memory_bytes", *memory},
                {"heap_used_ratio", used}, {"threshold_high_ratio", high_ratio},
                {"threshold_headroom", min_headroom}};
  std::vector<std::string> pressure = MemoryPressure(a, t, r.evidence);
  r.evidence["memory_pressure"] = !pressure.empty();
  auto gib = [](double bytes) { return std::max(1.0, std::ceil(bytes / (1 << 30))); };
  if (used > high_ratio) {
    if (pressure.empty()) return {};  // a full heap that collects fine
    r.severity = Severity::kHigh;
    double suggested = gib(static_cast<double>(*memory) * 1.2);
    r.message = fmt::format(
        "Executor heap reached {} of spark.executor.memory={} ({}) and the memory is under "
        "pressure: {}. Raise it to {:.0f}g or give each task more memory.",
        Percent(used), *setting, FormatBytes(static_cast<double>(peak)),
        fmt::join(pressure, ", "), suggested);
    r.fix = fix::Fix{fix::Conf{"spark.executor.memory", fmt::format("{:.0f}g", suggested)}};
    r.impact_basis = "none estimated: a risk of failures, not a saving of time";
  } else if (*memory >= t.Get("executor_memory", "min_memory_bytes", 2.0 * (1 << 30)) &&
             headroom >= min_headroom && pressure.empty() && OffHeapEngine(app).empty()) {
    // Off the heap (Photon), the heap's peak says nothing of what the
    // executors use: no saving is advised from it.
    r.severity = Severity::kLow;
    double suggested = gib(static_cast<double>(peak) * 1.2);
    r.message = fmt::format(
        "Executors used at most {} of heap out of spark.executor.memory={} ({}), with no sign "
        "of memory pressure. {:.0f}g would do, and free memory for more executors per node.",
        FormatBytes(static_cast<double>(peak)), *setting, Percent(used), suggested);
    r.fix = fix::Fix{fix::Conf{"spark.executor.memory", fmt::format("{:.0f}g", suggested)}};
    r.impact_task_seconds = 0;
    r.impact_basis = "memory, not time: the executor memory that was never used";
  } else {
    return {};
  }
  CiteWhatIf(a, r);
  return {r};
}

}  // namespace prometheus::rules

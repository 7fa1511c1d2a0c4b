#include "prometheus/report/text_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "prometheus/fix/fix.h"
#include "prometheus/report/format.h"

namespace prometheus::report {
namespace {

struct Style {
  bool color;
  std::string Bold(std::string_view s) const {
    return color ? fmt::format("\033[1m{}\033[0m", s) : std::string(s);
  }
  std::string Dim(std::string_view s) const {
    return color ? fmt::format("\033[2m{}\033[0m", s) : std::string(s);
  }
  std::string Warn(std::string_view s) const {
    return color ? fmt::format("\033[33m{}\033[0m", s) : std::string(s);
  }
};

std::string Shorten(std::string_view text, size_t width) {
  std::string flat(text.substr(0, text.find('\n')));
  if (flat.size() <= width) return flat;
  return flat.substr(0, width - 3) + "...";
}

void AppendStageTable(std::string& out, const Style& style,
                      std::string_view title,
                      std::vector<const kpi::StageKpis*> stages) {
  if (stages.empty()) return;
  out += fmt::format("\n  {}\n", style.Bold(title));
  out += style.Dim(fmt::format("    {:>9} {:>6} {:>10} {:>9} {:>9} {:>7} {:>10} {:>10}  {}\n",
                               "stage", "tasks", "duration", "p50 task",
                               "max task", "skew", "shuffle", "spill", "name"));
  for (const auto* s : stages) {
    out += fmt::format(
        "    {:>9} {:>6} {:>10} {:>9} {:>9} {:>7} {:>10} {:>10}  {}\n",
        fmt::format("{}.{}", s->stage_id, s->stage_attempt_id), s->num_tasks,
        s->duration_ms ? FormatDuration(*s->duration_ms) : "-",
        s->task_duration_ms_p50 ? FormatDuration(*s->task_duration_ms_p50) : "-",
        s->task_duration_ms_max ? FormatDuration(*s->task_duration_ms_max) : "-",
        s->max_task_skew_ratio ? fmt::format("{:.1f}x", *s->max_task_skew_ratio) : "-",
        FormatBytes(s->shuffle_read_bytes + s->shuffle_write_bytes),
        FormatBytes(s->disk_bytes_spilled), Shorten(s->stage_name, 48));
  }
}

std::vector<const kpi::StageKpis*> Top(
    const std::vector<kpi::StageKpis>& stages, size_t n, auto key) {
  std::vector<const kpi::StageKpis*> picked;
  for (const auto& s : stages) {
    if (key(s) > 0) picked.push_back(&s);
  }
  std::stable_sort(picked.begin(), picked.end(),
                   [&](auto* a, auto* b) { return key(*a) > key(*b); });
  if (picked.size() > n) picked.resize(n);
  return picked;
}

void AppendApplication(std::string& out, const Style& style,
                       const kpi::Analysis& a, size_t top) {
  const model::Application& app = a.log.application;
  const kpi::ApplicationKpis& k = a.application;
  out += fmt::format("{} {}{}\n", style.Bold(app.app_id),
                     app.attempt_id.empty() ? "" : "attempt " + app.attempt_id + " ",
                     app.name.empty() ? "" : "(" + app.name + ")");
  bool complete = app.end_time.has_value() && !a.log.input.in_progress;
  out += fmt::format("  Spark {}  {}  {}\n",
                     app.spark_version.empty() ? "?" : app.spark_version,
                     complete ? "complete" : style.Warn("in progress"),
                     style.Dim(a.log.input.name));
  out += fmt::format(
      "  duration {}   jobs {} ({} failed)   stages {}   tasks {} ({} failed)\n",
      k.duration_ms ? FormatDuration(*k.duration_ms) : "-", k.num_jobs,
      k.num_failed_jobs, k.totals.num_stages, k.totals.num_tasks,
      k.totals.num_failed_tasks);
  out += fmt::format(
      "  task time {}   GC {}   input {}   shuffle read {} / write {}   spill "
      "{}\n",
      FormatDuration(k.totals.task_time_ms), FormatDuration(k.totals.gc_time_ms),
      FormatBytes(k.totals.input_bytes), FormatBytes(k.totals.shuffle_read_bytes),
      FormatBytes(k.totals.shuffle_write_bytes),
      FormatBytes(k.totals.disk_bytes_spilled));
  if (k.core_seconds_available) {
    out += fmt::format(
        "  executors {} (up to {} cores)   core-seconds used {:.0f} of {:.0f} "
        "({:.0f}%)\n",
        k.num_executors, k.max_cores, k.core_seconds_used,
        *k.core_seconds_available, k.core_utilization.value_or(0) * 100);
  }
  if (a.log.corrupt_line_count > 0) {
    out += style.Warn(fmt::format("  {} corrupt line(s), first at {}:{}: {}\n",
                                  a.log.corrupt_line_count,
                                  a.log.corrupt_lines.front().file,
                                  a.log.corrupt_lines.front().line,
                                  a.log.corrupt_lines.front().reason));
  }
  if (a.log.input.compacted) {
    out += style.Warn("  compacted log: finished jobs' task events were dropped, "
                      "task-level KPIs are incomplete\n");
  }
  AppendStageTable(out, style, "Longest stages",
                   Top(a.stages, top, [](const kpi::StageKpis& s) {
                     return static_cast<double>(s.duration_ms.value_or(0));
                   }));
  AppendStageTable(out, style, "Most skewed stages (max / median task)",
                   Top(a.stages, top, [](const kpi::StageKpis& s) {
                     return s.num_completed_tasks >= 2 && s.max_task_skew_ratio
                                ? *s.max_task_skew_ratio - 1.0
                                : 0.0;
                   }));
  AppendStageTable(out, style, "Most spill",
                   Top(a.stages, top, [](const kpi::StageKpis& s) {
                     return static_cast<double>(s.disk_bytes_spilled +
                                                s.memory_bytes_spilled);
                   }));
  out += '\n';
}

std::string SeverityLabel(const Style& style, rules::Severity severity) {
  std::string label = fmt::format("{:<8}", rules::SeverityName(severity));
  if (!style.color) return label;
  switch (severity) {
    case rules::Severity::kCritical:
      return "\033[1;31m" + label + "\033[0m";
    case rules::Severity::kHigh:
      return "\033[31m" + label + "\033[0m";
    case rules::Severity::kMedium:
      return "\033[33m" + label + "\033[0m";
    case rules::Severity::kLow:
      return "\033[2m" + label + "\033[0m";
  }
  return label;
}

// "saves ~1h 35m task time, ~3m 00s wall", naming only what is saved (a
// millisecond at least); in words when the rule estimates no time.
std::string ImpactText(const rules::Recommendation& r) {
  constexpr double kMillisecond = 0.001;
  std::vector<std::string> parts;
  if (r.impact_task_seconds >= kMillisecond) {
    parts.push_back(fmt::format("{} task time", FormatDuration(r.impact_task_seconds * 1000)));
  }
  if (r.impact_wall_seconds >= kMillisecond) {
    parts.push_back(fmt::format("{} wall", FormatDuration(r.impact_wall_seconds * 1000)));
  }
  if (!parts.empty()) return fmt::format("saves ~{}", fmt::join(parts, ", ~"));
  return r.impact_basis.starts_with("memory") ? "saves memory, not time"
                                              : "no time saving estimated";
}

// What to do, in words: the setting or edit `prometheus fix` makes, or the
// advice for a person where no code can be written.
std::string FixText(const fix::Fix& f) {
  if (fix::SafetyOf(f) == fix::Safety::kManual) return "advice: " + fix::Advice(f);
  std::string label = fix::Summary(f);
  if (label == fix::KindName(f)) {
    // "broadcast_hint dim_country" reads "broadcast hint dim_country".
    label = fix::Label(f);
    const size_t kind_end = std::min(label.size(), fix::KindName(f).size());
    std::replace(label.begin(), label.begin() + static_cast<ptrdiff_t>(kind_end), '_', ' ');
  }
  return "fix: " + label;
}

// Ranked by impact; at most `limit`, with a count of the rest.
void AppendRecommendations(std::string& out, const Style& style,
                           const std::vector<rules::Recommendation>& recommendations,
                           size_t limit) {
  if (recommendations.empty()) {
    out += "  " + style.Dim("No recommendations: nothing the rules flag.") + "\n\n";
    return;
  }
  out += fmt::format("  {}\n", style.Bold("Recommendations, most impact first"));
  for (size_t i = 0; i < recommendations.size() && i < limit; ++i) {
    const rules::Recommendation& r = recommendations[i];
    out += fmt::format("    {} {}  {}\n", SeverityLabel(style, r.severity), r.rule,
                       style.Dim(ImpactText(r)));
    out += fmt::format("      {}\n", r.message);
    if (r.fix) out += "      " + style.Dim(FixText(*r.fix)) + "\n";
  }
  if (recommendations.size() > limit) {
    out += style.Dim(fmt::format("    ... and {} more (--format json lists all)\n",
                                 recommendations.size() - limit));
  }
  out += "\n";
}

}  // namespace

std::string RenderText(
    const std::vector<kpi::Analysis>& analyses,
    const std::vector<std::string>& warnings, const TextOptions& options,
    const std::vector<std::vector<rules::Recommendation>>* recommendations) {
  Style style{options.color};
  std::string out;
  for (size_t i = 0; i < analyses.size(); ++i) {
    AppendApplication(out, style, analyses[i], options.top_stages);
    if (recommendations != nullptr) {
      AppendRecommendations(out, style, (*recommendations)[i], options.top_stages * 2);
    }
  }
  for (const auto& warning : warnings) {
    out += style.Warn("warning: ") + warning + "\n";
  }
  return out;
}

}  // namespace prometheus::report

#include "prometheus/loop/pr_text.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "prometheus/base/units.h"

namespace prometheus::loop {
namespace {

using nlohmann::json;

std::string Seconds(double seconds) { return FormatDuration(seconds * 1000); }

std::string Cell(const json& value) {
  std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

std::string EvidenceTable(const std::string& evidence) {
  json parsed = json::parse(evidence, nullptr, false);
  if (!parsed.is_object() || parsed.empty()) return "";
  std::string out = "| evidence | value |\n|---|---|\n";
  for (const auto& [key, value] : parsed.items()) out += fmt::format("| {} | {} |\n", key, Cell(value));
  return out;
}

std::string Impact(const lake::StoredRecommendation& r) {
  std::string out = fmt::format("about {} of task time", Seconds(r.impact_task_seconds));
  if (r.impact_wall_seconds > 0) out += fmt::format(" and {} of wall time", Seconds(r.impact_wall_seconds));
  out += " per run";
  if (!r.impact_basis.empty()) out += fmt::format(" ({})", r.impact_basis);
  return out;
}

}  // namespace

std::string CommitMessage(const FixText& fix, const JobKey& job) {
  const lake::StoredRecommendation& r = *fix.recommendation;
  std::string summary = fmt::format("Prometheus: {}", fix.label);
  if (summary.size() > 72) summary = summary.substr(0, 69) + "...";
  return fmt::format(
      "{}\n\n{}\n\nJob: {}\nRecommendation: {}\nRule: {} ({})\nEvidence: {}\n"
      "Expected impact: {}\nSafety: {}\n",
      summary, r.message, job.label, r.recommendation_id, r.rule, r.severity,
      r.evidence.empty() ? "{}" : r.evidence, Impact(r), fix.safety);
}

std::string PullRequestTitle(const JobKey& job, size_t fixes) {
  return fmt::format("Prometheus: {} fix{} for {}", fixes, fixes == 1 ? "" : "es", job.label);
}

std::string FiguresTable(const Figures& f) {
  std::string cost = f.cost ? fmt::format("{:.2f} {}", *f.cost, f.currency) : "unknown";
  return fmt::format(
      "| runs | median duration | task time | spill | shuffle | cost |\n"
      "|---:|---:|---:|---:|---:|---:|\n"
      "| {} | {} | {} | {} | {} | {} |\n",
      f.runs, Seconds(f.duration_s), Seconds(f.task_time_s), FormatBytes(f.spill_bytes),
      FormatBytes(f.shuffle_bytes), cost);
}

std::string PullRequestBody(const JobKey& job, const Figures& before,
                            const std::vector<FixText>& fixes, const Marker& marker) {
  std::string out = fmt::format(
      "Prometheus found {} safe fix{} for **{}** in its runs, and made one commit per fix.\n\n"
      "### Before: the job's recent runs (medians, from the lake)\n\n{}\n"
      "After this is merged, `prometheus verify` compares the next runs with these and "
      "comments the measured change here.\n\n",
      fixes.size(), fixes.size() == 1 ? "" : "es", job.label, FiguresTable(before));
  for (const FixText& fix : fixes) {
    const lake::StoredRecommendation& r = *fix.recommendation;
    out += fmt::format("### {}\n\n", fix.label);
    out += fmt::format("- **Rule:** `{}` ({}), recommendation `{}`\n", r.rule, r.severity,
                       r.recommendation_id);
    out += fmt::format("- **Finding:** {}\n", r.message);
    if (!fix.where.empty()) out += fmt::format("- **Where:** `{}`\n", fix.where);
    std::string impact = Impact(r);
    if (before.cost && before.task_time_s > 0) {
      impact += fmt::format(", worth about {:.2f} {} of the median run's {:.2f}",
                            *before.cost * std::min(1.0, r.impact_task_seconds / before.task_time_s),
                            before.currency, *before.cost);
    }
    out += fmt::format("- **Expected impact:** {}\n", impact);
    out += fmt::format("- **Safety class:** {}\n", fix.safety);
    out += fmt::format(
        "- **To silence it:** run `prometheus recommend --disable {}`, or switch the rule off "
        "in a rule file (`enabled = false`)\n\n",
        r.rule);
    std::string evidence = EvidenceTable(r.evidence);
    if (!evidence.empty()) out += evidence + "\n";
  }
  out += "Closing this pull request without merging tells Prometheus not to propose these "
         "fixes again until their evidence changes.\n\n";
  out += WriteMarker(marker);
  out += "\n";
  return out;
}

std::string DeltaTable(const std::vector<Delta>& deltas, size_t runs_before, size_t runs_after) {
  std::string out = fmt::format(
      "| metric | before ({} runs) | after ({} runs) | change | noise band |\n"
      "|---|---:|---:|---:|---:|\n",
      runs_before, runs_after);
  for (const Delta& d : deltas) {
    auto show = [&](double v) { return d.bytes ? FormatBytes(v) : Seconds(v); };
    out += fmt::format("| {} | {} | {} | {:+.1f}% | ±{:.1f}% |\n", d.name, show(d.before),
                       show(d.after), 100 * d.Change(), 100 * d.band);
  }
  return out;
}

}  // namespace prometheus::loop

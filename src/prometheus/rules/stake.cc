#include "prometheus/rules/stake.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace prometheus::rules {
namespace {

// Their severity says how likely the run is to fail, not how much it costs.
bool IsRisk(std::string_view rule) {
  constexpr std::array<std::string_view, 5> kRisks = {
      "failures", "out_of_memory", "app_task_failures", "oversized_broadcast",
      "log_data_quality"};
  return std::find(kRisks.begin(), kRisks.end(), rule) != kRisks.end();
}

}  // namespace

void CalibrateSeverity(const kpi::Analysis& analysis, Recommendation& r,
                       const StakeTiers& tiers) {
  if (IsRisk(r.rule) || (r.impact_wall_seconds <= 0 && r.impact_task_seconds <= 0)) return;
  const kpi::ApplicationKpis& app = analysis.application;
  const double wall = app.duration_ms.value_or(0) / 1000.0;
  const double task = static_cast<double>(app.totals.task_time_ms) / 1000;
  // Idle core-seconds count against the core time that was paid for.
  const double task_base = std::max(task, app.core_seconds_available.value_or(0));
  const double wall_share = wall > 0 ? std::min(1.0, r.impact_wall_seconds / wall) : 0;
  const double task_share = task_base > 0 ? std::min(1.0, r.impact_task_seconds / task_base) : 0;
  if (wall <= 0 && task_base <= 0) return;
  r.evidence["stake_wall_share"] = wall_share;
  r.evidence["stake_task_share"] = task_share;
  const double stake = std::max(wall_share, task_share);
  Severity floor = Severity::kLow;
  if (stake >= tiers.high) {
    floor = Severity::kHigh;
  } else if (stake >= tiers.medium) {
    floor = Severity::kMedium;
  }
  Severity ceiling = Severity::kCritical;
  if (stake < tiers.at_most_low) {
    ceiling = Severity::kLow;
  } else if (stake < tiers.at_most_medium) {
    ceiling = Severity::kMedium;
  }
  r.severity = std::clamp(r.severity, floor, std::max(floor, ceiling));
}

}  // namespace prometheus::rules

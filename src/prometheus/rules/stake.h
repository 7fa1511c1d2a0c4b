// Severity by what is at stake: a finding's estimated saving as a share of
// its application's wall time and task time (docs/RULES.md, "Severity").
// A rule's own ladder reads its symptom (a skew ratio, a GC share); the
// stake says how much of the run that symptom holds.
#pragma once

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"

namespace prometheus::rules {

// The tiers, as shares of the application's wall time or task time,
// whichever is larger.
struct StakeTiers {
  double high = 0.25;    // at least high from here
  double medium = 0.10;  // at least medium from here
  double at_most_medium = 0.05;  // below this, at most medium
  double at_most_low = 0.01;     // below this, low
};

// Raises or lowers `r.severity` by its stake and records the shares in its
// evidence (`stake_wall_share`, `stake_task_share`). Findings without a
// time estimate, and risks of failure (failures, out_of_memory,
// app_task_failures, oversized_broadcast, log_data_quality), keep the
// severity their rule gave.
void CalibrateSeverity(const kpi::Analysis& analysis, Recommendation& r,
                       const StakeTiers& tiers = StakeTiers());

}  // namespace prometheus::rules

#include "prometheus/rules/whatif_evidence.h"

#include <fmt/format.h>

#include <cmath>

#include "prometheus/base/units.h"
#include "prometheus/whatif/whatif.h"

namespace prometheus::rules {
namespace {

nlohmann::ordered_json Point(const whatif::Estimate& estimate) {
  return {{"executors", estimate.shape.executors},
          {"wall_ms", estimate.wall_ms},
          {"core_hours", estimate.core_hours}};
}

}  // namespace

void CiteWhatIf(const kpi::Analysis& analysis, Recommendation& recommendation) {
  whatif::Workload workload = whatif::WorkloadOf(analysis.log.application);
  if (workload.tasks == 0) return;
  whatif::Sizing sizing = whatif::Size(std::move(workload), {});
  const whatif::ClusterShape& observed = sizing.workload.observed;
  recommendation.evidence["whatif"] = {
      {"observed_executors", observed.executors},
      {"cores_per_executor", observed.cores_per_executor},
      {"observed", Point(sizing.observed)},
      {"max_slowdown", sizing.max_slowdown},
      {"smallest_within", Point(sizing.smallest_within)},
      {"knee", Point(sizing.knee)}};
  const whatif::Estimate& smallest = sizing.smallest_within;
  if (smallest.shape.executors >= observed.executors || sizing.observed.wall_ms <= 0 ||
      sizing.observed.core_hours <= 0) {
    return;
  }
  double slower = static_cast<double>(smallest.wall_ms - sizing.observed.wall_ms) /
                  static_cast<double>(sizing.observed.wall_ms);
  recommendation.message += fmt::format(
      " What-if: {} executor{} of {} core{} instead of {} would take {} ({:+.0f}% time) "
      "for {:.0f}% fewer core-hours (prometheus whatif).",
      smallest.shape.executors, smallest.shape.executors == 1 ? "" : "s",
      observed.cores_per_executor, observed.cores_per_executor == 1 ? "" : "s",
      observed.executors,
      FormatDuration(static_cast<double>(smallest.wall_ms)), slower * 100,
      (1 - smallest.core_hours / sizing.observed.core_hours) * 100);
}

}  // namespace prometheus::rules

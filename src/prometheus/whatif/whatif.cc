#include "prometheus/whatif/whatif.h"

#include <algorithm>
#include <cmath>

namespace prometheus::whatif {

Estimate EstimateOn(const Workload& workload, ClusterShape shape,
                    std::optional<double> core_hour_price) {
  Estimate estimate;
  estimate.shape = shape;
  estimate.wall_ms = workload.driver_ms;
  for (const StageGroup& group : workload.groups) {
    estimate.wall_ms += ScheduleMs(group.stages, shape.cores());
  }
  estimate.core_hours = static_cast<double>(shape.cores()) *
                        static_cast<double>(estimate.wall_ms) / 3.6e6;
  if (core_hour_price) estimate.cost = estimate.core_hours * *core_hour_price;
  return estimate;
}

std::vector<int64_t> ExecutorLadder(int64_t observed, int64_t max_executors) {
  std::vector<int64_t> counts;
  for (int64_t n = 1; n <= max_executors;
       n = n < 8 ? n + 1 : static_cast<int64_t>(std::ceil(n * 1.25))) {
    counts.push_back(n);
  }
  for (int64_t must : {observed, max_executors}) {
    if (must >= 1 && !std::ranges::binary_search(counts, must)) {
      counts.insert(std::ranges::lower_bound(counts, must), must);
    }
  }
  return counts;
}

Sizing Size(Workload workload, const SizingOptions& options) {
  Sizing sizing;
  sizing.max_slowdown = options.max_slowdown;
  ClusterShape observed = workload.observed;
  int64_t max_executors = options.max_executors > 0
                              ? options.max_executors
                              : std::max<int64_t>(16, 4 * observed.executors);
  int64_t cores = options.cores_per_executor > 0 ? options.cores_per_executor
                                                 : observed.cores_per_executor;
  // The observed count, in executors of `cores`, rounded up.
  int64_t observed_count = (observed.cores() + cores - 1) / cores;
  for (int64_t n : ExecutorLadder(observed_count, max_executors)) {
    sizing.curve.push_back(EstimateOn(workload, {n, cores}, options.core_hour_price));
  }
  sizing.observed = EstimateOn(workload, observed, options.core_hour_price);
  if (workload.wall_ms > 0) {
    sizing.model_error = static_cast<double>(sizing.observed.wall_ms - workload.wall_ms) /
                         static_cast<double>(workload.wall_ms);
  }
  int64_t best = sizing.observed.wall_ms;
  for (const Estimate& estimate : sizing.curve) best = std::min(best, estimate.wall_ms);
  double slowest = static_cast<double>(sizing.observed.wall_ms) * (1 + options.max_slowdown);
  double plateau = static_cast<double>(best) * (1 + kKneeTolerance);
  sizing.smallest_within = sizing.observed;
  sizing.knee = sizing.observed;
  bool found_smallest = false;
  bool found_knee = false;
  for (const Estimate& estimate : sizing.curve) {
    double wall = static_cast<double>(estimate.wall_ms);
    if (!found_smallest && wall <= slowest) {
      sizing.smallest_within = estimate;
      found_smallest = true;
    }
    if (!found_knee && wall <= plateau) {
      sizing.knee = estimate;
      found_knee = true;
    }
  }
  workload.groups.clear();
  sizing.workload = std::move(workload);
  return sizing;
}

}  // namespace prometheus::whatif

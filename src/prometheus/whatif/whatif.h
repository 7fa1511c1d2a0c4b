// What-if cluster sizing (Sparklens' model): an application's tasks replayed
// on other executor counts, stage by stage in their DAG order, with the
// driver's time kept, to estimate wall time, core time and cost.
// docs/WHATIF.md describes the model and its measured error.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "prometheus/whatif/workload.h"

namespace prometheus::whatif {

struct Estimate {
  ClusterShape shape;
  int64_t wall_ms = 0;
  double core_hours = 0;  // the executors' cores held for the whole wall time
  std::optional<double> cost;  // core_hours × price, when a price was given
};

// `workload` replayed on `shape`: the driver's time plus each stage group's
// schedule.
Estimate EstimateOn(const Workload& workload, ClusterShape shape,
                    std::optional<double> core_hour_price = std::nullopt);

struct SizingOptions {
  // The slowdown accepted for a smaller cluster, as a fraction (0.1: 10%).
  double max_slowdown = 0.10;
  std::optional<double> core_hour_price;
  // Executor counts tried go up to this; 0: four times the observed count,
  // and at least 16.
  int64_t max_executors = 0;
  // Cores of each executor on the curve; 0: the observed executors' count.
  int64_t cores_per_executor = 0;
};

// Within this fraction of the best time any count reaches, more executors
// "stop helping": the knee.
inline constexpr double kKneeTolerance = 0.05;

struct Sizing {
  Workload workload;  // without its stage groups (they are only input)
  Estimate observed;  // the model at the observed shape
  // Real wall time versus the model at the observed shape, as a fraction of
  // the real wall (positive: the model is slower than reality).
  double model_error = 0;
  std::vector<Estimate> curve;  // by executor count, the observed one among them
  // The fewest executors whose estimate is within max_slowdown of the
  // estimate at the observed shape.
  Estimate smallest_within;
  // The fewest executors whose estimate is within kKneeTolerance of the best.
  Estimate knee;
  double max_slowdown = 0;
};

// Executor counts tried: 1 to 8, then about a quarter more at each step,
// up to `max_executors`, with `observed` and `max_executors` among them.
std::vector<int64_t> ExecutorLadder(int64_t observed, int64_t max_executors);

// The curve of `workload` over executor counts (of the observed core count
// unless options say otherwise).
Sizing Size(Workload workload, const SizingOptions& options);

}  // namespace prometheus::whatif

// Executor use over time: the cores alive and the cores busy running tasks,
// as step functions of time, for the report's drill-down.
#pragma once

#include <cstdint>
#include <vector>

#include "prometheus/model/application.h"

namespace prometheus::whatif {

struct CoreUse {
  // Milliseconds since the application started; each value holds from its
  // time to the next one.
  std::vector<int64_t> t_ms;
  std::vector<int64_t> cores_alive;
  std::vector<double> cores_busy;
};

// Cores alive: executors' cores between their addition and removal (the
// driver's only when it is the sole executor, local mode). Cores busy: each
// stage attempt's task time spread evenly over its first launch to last
// finish. With more than `max_points` changes, the functions are sampled at
// `max_points` evenly spaced times.
CoreUse CoreUseOf(const model::Application& app, size_t max_points = 500);

}  // namespace prometheus::whatif

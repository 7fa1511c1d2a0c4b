// Task quantiles exactly as the Spark History Server computes them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace prometheus::kpi {

// Nearest rank without interpolation over `sorted` values:
// index = min(floor(q * n), n - 1), as AppStatusStore.taskSummary does. So
// the median of an even count is the upper middle value.
// REQUIRES: `sorted` is ascending and not empty; 0 <= q <= 1.
int64_t NearestRankQuantile(std::span<const uint32_t> sorted, double q);

struct TaskDurationSummary {
  int64_t min = 0;
  int64_t p25 = 0;
  int64_t p50 = 0;
  int64_t p75 = 0;
  int64_t p95 = 0;
  int64_t max = 0;
};

// nullopt when there are no durations.
std::optional<TaskDurationSummary> SummarizeDurations(
    std::vector<uint32_t> durations_ms);

}  // namespace prometheus::kpi

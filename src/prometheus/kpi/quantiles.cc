#include "prometheus/kpi/quantiles.h"

#include <algorithm>

namespace prometheus::kpi {

int64_t NearestRankQuantile(std::span<const uint32_t> sorted, double q) {
  size_t n = sorted.size();
  // Spark computes (q * n).toLong in doubles; do the same for equal results.
  auto index = static_cast<size_t>(q * static_cast<double>(n));
  return sorted[std::min(index, n - 1)];
}

std::optional<TaskDurationSummary> SummarizeDurations(
    std::vector<uint32_t> durations_ms) {
  if (durations_ms.empty()) return std::nullopt;
  std::sort(durations_ms.begin(), durations_ms.end());
  std::span<const uint32_t> sorted(durations_ms);
  return TaskDurationSummary{
      sorted.front(),
      NearestRankQuantile(sorted, 0.25),
      NearestRankQuantile(sorted, 0.5),
      NearestRankQuantile(sorted, 0.75),
      NearestRankQuantile(sorted, 0.95),
      sorted.back(),
  };
}

}  // namespace prometheus::kpi

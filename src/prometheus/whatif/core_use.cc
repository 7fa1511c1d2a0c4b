#include "prometheus/whatif/core_use.h"

#include <algorithm>
#include <map>

namespace prometheus::whatif {

CoreUse CoreUseOf(const model::Application& app, size_t max_points) {
  // Changes at each time: cores alive, cores busy.
  std::map<int64_t, std::pair<int64_t, double>> changes;
  bool any_executor = false;
  for (const auto& [id, executor] : app.executors) any_executor |= id != "driver";
  for (const auto& [id, executor] : app.executors) {
    if (any_executor && id == "driver") continue;
    changes[executor.added_time].first += executor.cores;
    if (executor.removed_time) changes[*executor.removed_time].first -= executor.cores;
  }
  for (const auto& [key, stage] : app.stages) {
    if (!stage.first_launch_time || !stage.last_finish_time ||
        *stage.last_finish_time <= *stage.first_launch_time) {
      continue;
    }
    double task_ms = 0;
    for (uint32_t ms : stage.successful_task_durations_ms) task_ms += ms;
    for (uint32_t ms : stage.unsuccessful_task_durations_ms) task_ms += ms;
    double busy = task_ms / static_cast<double>(*stage.last_finish_time - *stage.first_launch_time);
    changes[*stage.first_launch_time].second += busy;
    changes[*stage.last_finish_time].second -= busy;
  }
  CoreUse use;
  if (changes.empty()) return use;
  int64_t origin = app.start_time.value_or(changes.begin()->first);
  int64_t alive = 0;
  double busy = 0;
  for (const auto& [time, change] : changes) {
    alive += change.first;
    busy = std::max(0.0, busy + change.second);
    use.t_ms.push_back(time - origin);
    use.cores_alive.push_back(alive);
    use.cores_busy.push_back(busy);
  }
  if (use.t_ms.size() <= max_points || max_points < 2) return use;
  CoreUse sampled;
  int64_t first = use.t_ms.front(), last = use.t_ms.back();
  size_t at = 0;
  for (size_t i = 0; i < max_points; ++i) {
    int64_t t = first + static_cast<int64_t>((last - first) * static_cast<double>(i) /
                                             static_cast<double>(max_points - 1));
    while (at + 1 < use.t_ms.size() && use.t_ms[at + 1] <= t) ++at;
    sampled.t_ms.push_back(t);
    sampled.cores_alive.push_back(use.cores_alive[at]);
    sampled.cores_busy.push_back(use.cores_busy[at]);
  }
  return sampled;
}

}  // namespace prometheus::whatif

#include "prometheus/whatif/schedule.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <unordered_map>

namespace prometheus::whatif {

int64_t ScheduleMs(std::span<const StageWork> stages, int64_t cores) {
  size_t tasks = 0;
  for (const StageWork& stage : stages) tasks += stage.task_ms.size();
  if (tasks == 0) return 0;
  // A core beyond the number of tasks is never taken: the heap stays small
  // for large clusters without changing the schedule.
  size_t slots = static_cast<size_t>(std::clamp<int64_t>(cores, 1, static_cast<int64_t>(tasks)));
  std::priority_queue<int64_t, std::vector<int64_t>, std::greater<>> free_at;
  for (size_t i = 0; i < slots; ++i) free_at.push(0);

  std::unordered_map<int64_t, size_t> index;
  for (size_t i = 0; i < stages.size(); ++i) index.emplace(stages[i].stage_id, i);
  constexpr int64_t kNotDone = -1;
  std::vector<int64_t> finish(stages.size(), kNotDone);
  int64_t makespan = 0;
  for (size_t placed = 0; placed < stages.size(); ++placed) {
    // The next stage: every parent among `stages` done, earliest ready time,
    // then lowest id.
    size_t next = stages.size();
    int64_t next_ready = std::numeric_limits<int64_t>::max();
    for (size_t i = 0; i < stages.size(); ++i) {
      if (finish[i] != kNotDone) continue;
      int64_t ready = 0;
      bool waiting = false;
      for (int64_t parent : stages[i].parent_ids) {
        auto it = index.find(parent);
        if (it == index.end() || it->second == i) continue;
        if (finish[it->second] == kNotDone) {
          waiting = true;
          break;
        }
        ready = std::max(ready, finish[it->second]);
      }
      if (waiting) continue;
      if (ready < next_ready ||
          (ready == next_ready && stages[i].stage_id < stages[next].stage_id)) {
        next = i;
        next_ready = ready;
      }
    }
    if (next == stages.size()) {  // a cycle: take the lowest id left
      for (size_t i = 0; i < stages.size(); ++i) {
        if (finish[i] == kNotDone &&
            (next == stages.size() || stages[i].stage_id < stages[next].stage_id)) {
          next = i;
        }
      }
      next_ready = 0;
      for (int64_t done : finish) next_ready = std::max(next_ready, done);
    }
    int64_t stage_end = next_ready;
    for (uint32_t duration : stages[next].task_ms) {
      int64_t start = std::max(free_at.top(), next_ready);
      free_at.pop();
      free_at.push(start + duration);
      stage_end = std::max(stage_end, start + static_cast<int64_t>(duration));
    }
    finish[next] = stage_end;
    makespan = std::max(makespan, stage_end);
  }
  return makespan;
}

}  // namespace prometheus::whatif

#include "prometheus/whatif/schedule.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <tuple>
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
  // Each stage's parents among `stages` (self and repeats dropped), and the
  // stages waiting on it.
  std::vector<size_t> waiting_on(stages.size(), 0);
  std::vector<std::vector<size_t>> children(stages.size());
  for (size_t i = 0; i < stages.size(); ++i) {
    std::vector<size_t> parents;
    for (int64_t parent : stages[i].parent_ids) {
      auto it = index.find(parent);
      if (it == index.end() || it->second == i) continue;
      if (std::find(parents.begin(), parents.end(), it->second) != parents.end()) continue;
      parents.push_back(it->second);
      children[it->second].push_back(i);
    }
    waiting_on[i] = parents.size();
  }
  // Ready stages by (ready time, stage id): Spark's FIFO among the runnable.
  using Ready = std::tuple<int64_t, int64_t, size_t>;
  std::priority_queue<Ready, std::vector<Ready>, std::greater<>> ready;
  std::vector<int64_t> ready_at(stages.size(), 0);
  for (size_t i = 0; i < stages.size(); ++i) {
    if (waiting_on[i] == 0) ready.push({0, stages[i].stage_id, i});
  }
  std::vector<bool> done(stages.size(), false);
  int64_t makespan = 0;
  for (size_t placed = 0; placed < stages.size(); ++placed) {
    size_t next;
    int64_t next_ready;
    if (!ready.empty()) {
      std::tie(next_ready, std::ignore, next) = ready.top();
      ready.pop();
    } else {  // a cycle: the lowest id left, after everything placed so far
      next = stages.size();
      for (size_t i = 0; i < stages.size(); ++i) {
        if (!done[i] && (next == stages.size() || stages[i].stage_id < stages[next].stage_id)) {
          next = i;
        }
      }
      next_ready = makespan;
    }
    int64_t stage_end = next_ready;
    for (uint32_t duration : stages[next].task_ms) {
      int64_t start = std::max(free_at.top(), next_ready);
      free_at.pop();
      free_at.push(start + duration);
      stage_end = std::max(stage_end, start + static_cast<int64_t>(duration));
    }
    done[next] = true;
    makespan = std::max(makespan, stage_end);
    for (size_t child : children[next]) {
      ready_at[child] = std::max(ready_at[child], stage_end);
      // A child already placed (through a cycle) is not queued again.
      if (--waiting_on[child] == 0 && !done[child]) {
        ready.push({ready_at[child], stages[child].stage_id, child});
      }
    }
  }
  return makespan;
}

}  // namespace prometheus::whatif

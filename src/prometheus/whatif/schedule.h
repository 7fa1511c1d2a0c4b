// The list scheduler behind what-if sizing: the tasks of a few stages, in
// their DAG order, placed on a number of cores.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace prometheus::whatif {

// One stage's work: its tasks' launch-to-finish milliseconds, in the order
// Spark reported them, and the stages it waits for.
struct StageWork {
  int64_t stage_id = -1;
  std::vector<int64_t> parent_ids;
  std::vector<uint32_t> task_ms;
};

// Milliseconds from the first task's start to the last task's end when the
// stages run on `cores` cores (at least 1). A stage is ready when every parent
// among `stages` has finished (parents not among them count as done); ready
// stages go first by ready time, then by stage id (Spark's FIFO order); each
// task takes the core that frees first, in its stage's order. Cycles, which
// Spark's DAG cannot have, are broken by taking the lowest stage id.
int64_t ScheduleMs(std::span<const StageWork> stages, int64_t cores);

}  // namespace prometheus::whatif

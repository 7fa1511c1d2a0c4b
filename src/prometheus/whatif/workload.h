// What an application asked of its cluster, in the shape the what-if model
// replays: stages grouped by the time they overlapped, and the wall time
// outside every stage (the driver's), kept as it was.
#pragma once

#include <cstdint>
#include <vector>

#include "prometheus/model/application.h"
#include "prometheus/whatif/schedule.h"

namespace prometheus::whatif {

struct ClusterShape {
  int64_t executors = 0;
  int64_t cores_per_executor = 0;
  int64_t cores() const { return executors * cores_per_executor; }
};

// Stages whose run times overlapped (directly or through a chain), replayed
// together on the cluster.
struct StageGroup {
  int64_t start_ms = 0;  // epoch milliseconds
  int64_t end_ms = 0;
  std::vector<StageWork> stages;
};

struct Workload {
  int64_t wall_ms = 0;    // application start to end
  int64_t driver_ms = 0;  // wall time outside every stage group
  int64_t task_ms = 0;    // launch-to-finish milliseconds of every task
  int64_t tasks = 0;
  std::vector<StageGroup> groups;  // by start time
  ClusterShape observed;
  // The observed shape was not in the log (no executor events) and was
  // guessed from spark.master or the stages' concurrency.
  bool shape_guessed = false;
};

// The workload of `app`: every attempt of a stage folds into the stage (its
// failed and killed tasks held cores too); stages without tasks (skipped)
// drop out. A stage's span is its first task's launch to its last task's
// finish (Sparklens' span: the time between submission and first launch is
// the driver's), or its submission to completion when those are missing. The observed shape is the
// most executors alive at once (the driver's in local mode) and their most
// common core count.
Workload WorkloadOf(const model::Application& app);

}  // namespace prometheus::whatif

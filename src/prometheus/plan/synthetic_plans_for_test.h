// For tests only: hand-built applications whose one SQL execution joins two
// shuffled sides of chosen sizes.
#pragma once

#include <string>

#include "prometheus/model/application.h"
#include "prometheus/plan/plan_analysis.h"

namespace prometheus::plan::testing {

inline model::PlanNode Node(std::string name, std::string simple_string,
                            std::vector<model::SqlMetric> metrics = {},
                            std::vector<model::PlanNode> children = {}) {
  model::PlanNode node;
  node.node_name = std::move(name);
  node.simple_string = std::move(simple_string);
  node.metrics = std::move(metrics);
  node.children = std::move(children);
  return node;
}

inline model::SqlMetric Sized(std::string name, int64_t id, int64_t value) {
  return {std::move(name), id, "size", value};
}

// Sort <- Exchange ("data size" = bytes) <- Scan, as a shuffled join side.
// The exchange's write metric is `first_id`, its read metric `first_id + 1`.
inline model::PlanNode ShuffledSide(const std::string& key, int64_t bytes,
                                    int64_t first_id) {
  model::PlanNode scan =
      Node("Scan parquet db.t_" + key,
           "FileScan parquet db.t_" + key + "[" + key + "#1L]");
  model::PlanNode exchange = Node(
      "Exchange",
      "Exchange hashpartitioning(" + key + "#1L, 200), ENSURE_REQUIREMENTS",
      {Sized("data size", first_id, bytes),
       Sized("records read", first_id + 1, 1000)},
      {scan});
  return Node("Sort", "Sort [" + key + "#1L ASC NULLS FIRST], false, 0", {},
              {exchange});
}

struct JoinCase {
  std::string node_name = "SortMergeJoin";
  std::string join_type = "Inner";
  int64_t left_bytes = 0;
  int64_t right_bytes = 0;
  bool adaptive = false;  // wrap the plan in AdaptiveSparkPlan
};

// Stages: 1 writes the left side (accumulator 200), 2 the right (300), 3
// runs the join (its output rows, 100, and both shuffle reads). Job 0 of
// execution 0 lists all three.
inline model::Application JoinApplication(const JoinCase& c) {
  model::Application app;
  app.app_id = "app-synthetic";
  app.spark_version = "3.1.1";
  model::PlanNode join =
      Node(c.node_name, c.node_name + " [id#1L], [id#5L], " + c.join_type,
           {{"number of output rows", 100, "sum", 10}},
           {ShuffledSide("id", c.left_bytes, 200),
            ShuffledSide("id", c.right_bytes, 300)});
  model::SqlExecution execution;
  execution.execution_id = 0;
  execution.plan = c.adaptive
                       ? Node("AdaptiveSparkPlan",
                              "AdaptiveSparkPlan isFinalPlan=true", {}, {join})
                       : join;
  execution.job_ids = {0};
  app.sql_executions[0] = execution;
  model::Job job;
  job.job_id = 0;
  job.stage_ids = {1, 2, 3};
  job.sql_execution_id = 0;
  app.jobs[0] = job;
  const std::vector<std::vector<int64_t>> accumulators = {
      {200}, {300}, {100, 201, 301}};
  for (int64_t id = 1; id <= 3; ++id) {
    model::StageAttempt& stage = app.stages[{id, 0}];
    stage.stage_id = id;
    stage.submission_time = 1000 * id;
    stage.completion_time = 1000 * id + 500;
    stage.status = model::StageStatus::kComplete;
    stage.seen_completed = true;
    for (int64_t accumulator : accumulators[static_cast<size_t>(id - 1)]) {
      stage.accumulables.push_back({.id = accumulator, .update = 0});
    }
    stage.job_ids = {0};
  }
  return app;
}

}  // namespace prometheus::plan::testing

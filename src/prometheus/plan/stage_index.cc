#include <algorithm>

#include "prometheus/plan/internal/plan_text.h"

namespace prometheus::plan::internal {

bool IsShuffleReadMetric(std::string_view name) {
  return name == "records read" || name == "local bytes read" ||
         name == "remote bytes read" || name == "remote bytes read to disk" ||
         name == "local blocks read" || name == "remote blocks read" ||
         name == "fetch wait time" || name == "remote reqs duration";
}

void SortUnique(std::vector<StageKey>& keys) {
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
}

StageIndex::StageIndex(const model::Application& app) : app_(app) {
  for (const auto& [key, stage] : app.stages) {
    for (const auto& accumulable : stage.accumulables) {
      by_accumulator_[accumulable.id].push_back(key);
    }
  }
}

void StageIndex::AddMetric(const model::SqlMetric& metric,
                           std::vector<StageKey>& out) const {
  auto it = by_accumulator_.find(metric.accumulator_id);
  if (it != by_accumulator_.end()) {
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
}

void StageIndex::Collect(const model::PlanNode& node, bool top,
                         std::vector<StageKey>& out) const {
  if (!top && IsShuffleExchange(node)) {
    // Below us only its reading side runs in our stage.
    for (const auto& metric : node.metrics) {
      if (IsShuffleReadMetric(metric.name)) AddMetric(metric, out);
    }
    return;
  }
  if (!top && IsStageBoundary(node)) return;
  for (const auto& metric : node.metrics) AddMetric(metric, out);
  // A cached relation's plan ran when the cache was filled, elsewhere.
  if (BaseName(node.node_name) == "InMemoryTableScan") return;
  if (top && IsStageBoundary(node)) return;
  for (const auto& child : node.children) Collect(child, false, out);
}

std::vector<StageKey> StageIndex::NodeStages(
    const model::PlanNode& node) const {
  std::vector<StageKey> out;
  Collect(node, true, out);
  SortUnique(out);
  return out;
}

std::vector<StageKey> StageIndex::ExecutionStages(
    const model::SqlExecution& execution) const {
  std::vector<StageKey> out;
  for (int64_t job_id : execution.job_ids) {
    auto job = app_.jobs.find(job_id);
    if (job == app_.jobs.end()) continue;
    for (int64_t stage_id : job->second.stage_ids) {
      for (auto it = app_.stages.lower_bound({stage_id, 0});
           it != app_.stages.end() && it->first.first == stage_id; ++it) {
        if (it->second.status != model::StageStatus::kSkipped) {
          out.push_back(it->first);
        }
      }
    }
  }
  SortUnique(out);
  return out;
}

std::vector<StageKey> ExecutionContext::StagesOrFallback(
    const model::PlanNode& node, bool* from_metrics) const {
  std::vector<StageKey> found = stages.NodeStages(node);
  if (from_metrics != nullptr) *from_metrics = !found.empty();
  return found.empty() ? execution_stages : found;
}

}  // namespace prometheus::plan::internal

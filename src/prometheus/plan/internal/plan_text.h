// Private helpers of the plan module: reading node names, simpleStrings and
// metrics, and the stage index that ties plan nodes to stage attempts.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prometheus/model/application.h"
#include "prometheus/plan/plan_analysis.h"

namespace prometheus::plan::internal {

// `text` without expression ids: "id#1L" -> "id", "sum(x#3)#7" -> "sum(x)".
std::string StripExprIds(std::string_view text);

// Splits at `separator` outside brackets, parentheses and braces; trims.
std::vector<std::string_view> SplitTopLevel(std::string_view text,
                                            char separator = ',');

// The elements of a "[a, b]" list, or {} when `text` is not one.
std::vector<std::string_view> ListElements(std::string_view text);

std::string_view Trim(std::string_view text);
std::string Lower(std::string_view text);

// The node name without a "Photon" or "Gpu" prefix and without the
// " (3)" of "WholeStageCodegen (3)".
std::string_view BaseName(std::string_view node_name);

// The simpleString after the operator name (and after a leading "!").
std::string_view Arguments(const model::PlanNode& node);

std::optional<int64_t> Metric(const model::PlanNode& node,
                              std::string_view name);

// Value of "Key: value" inside a text such as a Spark 2 scan simpleString,
// or of the metadata entry `key`; "" when absent.
std::string Detail(const model::PlanNode& node, std::string_view key);

bool IsScan(const model::PlanNode& node);
TableRef ScanTable(const model::PlanNode& node);
// The first scan in `node`'s subtree, depth first.
std::optional<TableRef> FirstScanBelow(const model::PlanNode& node);

// Nodes whose children run in other stages: exchanges, query stages,
// broadcasts, subqueries, cached relations.
bool IsStageBoundary(const model::PlanNode& node);
bool IsShuffleExchange(const model::PlanNode& node);

// Stage attempts from the accumulators they reported at completion.
class StageIndex {
 public:
  explicit StageIndex(const model::Application& app);

  // The stage attempts that reported any metric of `node` or of the nodes
  // below it in the same stage (for an exchange met on the way down, only its
  // shuffle-read metrics). Sorted, unique.
  std::vector<StageKey> NodeStages(const model::PlanNode& node) const;
  // Only the metrics of `node` whose names satisfy `keep`.
  template <typename Keep>
  std::vector<StageKey> MetricStages(const model::PlanNode& node,
                                     Keep keep) const;
  // Attempts (not skipped) of the stages of the execution's jobs.
  std::vector<StageKey> ExecutionStages(
      const model::SqlExecution& execution) const;

 private:
  void Collect(const model::PlanNode& node, bool top,
               std::vector<StageKey>& out) const;
  void AddMetric(const model::SqlMetric& metric,
                 std::vector<StageKey>& out) const;

  const model::Application& app_;
  std::unordered_map<int64_t, std::vector<StageKey>> by_accumulator_;
};

bool IsShuffleReadMetric(std::string_view name);
void SortUnique(std::vector<StageKey>& keys);

template <typename Keep>
std::vector<StageKey> StageIndex::MetricStages(const model::PlanNode& node,
                                               Keep keep) const {
  std::vector<StageKey> out;
  for (const auto& metric : node.metrics) {
    if (keep(metric.name)) AddMetric(metric, out);
  }
  SortUnique(out);
  return out;
}

// What one execution's recognisers share.
struct ExecutionContext {
  const model::SqlExecution& execution;
  const StageIndex& stages;
  std::vector<StageKey> execution_stages;

  // NodeStages, or the execution's stages when no metric matched.
  std::vector<StageKey> StagesOrFallback(const model::PlanNode& node,
                                         bool* from_metrics = nullptr) const;
};

// Joins in `root`'s tree (joins.cc).
void CollectJoins(const model::PlanNode& root, const ExecutionContext& context,
                  bool from_cached_plan_text, std::vector<Join>& out);

// Scans, exchanges, broadcasts, writes and Python UDFs (operators.cc).
void CollectOperators(const model::PlanNode& root,
                      const ExecutionContext& context, PlanAnalysis& out);

// The plans of the cached relations (InMemoryRelation) printed in a Spark 2
// "== Physical Plan ==" text, as nodes without metrics (cached_plan_text.cc).
std::vector<model::PlanNode> CachedPlansFromText(
    std::string_view physical_plan);

}  // namespace prometheus::plan::internal

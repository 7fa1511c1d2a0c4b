// Join recognition: strategy, type, keys, and the size of each side.
#include <array>

#include "prometheus/plan/internal/plan_text.h"

namespace prometheus::plan {

std::string_view JoinStrategyName(JoinStrategy strategy) {
  switch (strategy) {
    case JoinStrategy::kSortMerge:
      return "SortMergeJoin";
    case JoinStrategy::kShuffledHash:
      return "ShuffledHashJoin";
    case JoinStrategy::kBroadcastHash:
      return "BroadcastHashJoin";
    case JoinStrategy::kBroadcastNestedLoop:
      return "BroadcastNestedLoopJoin";
    case JoinStrategy::kCartesian:
      return "CartesianProduct";
  }
  return "SortMergeJoin";
}

const JoinSide* Join::Smaller() const {
  if (!left.bytes || !right.bytes) return nullptr;
  return *right.bytes < *left.bytes ? &right : &left;
}

const JoinSide* Join::Larger() const {
  const JoinSide* smaller = Smaller();
  if (smaller == nullptr) return nullptr;
  return smaller == &left ? &right : &left;
}

namespace internal {
namespace {

std::optional<JoinStrategy> StrategyOf(std::string_view node_name) {
  std::string_view base = BaseName(node_name);
  if (base == "SortMergeJoin") return JoinStrategy::kSortMerge;
  if (base == "ShuffledHashJoin") return JoinStrategy::kShuffledHash;
  if (base == "BroadcastHashJoin") return JoinStrategy::kBroadcastHash;
  if (base == "BroadcastNestedLoopJoin")
    return JoinStrategy::kBroadcastNestedLoop;
  if (base == "CartesianProduct") return JoinStrategy::kCartesian;
  // Photon names its joins its own way; all of them say "Join".
  if (!node_name.starts_with("Photon") ||
      base.find("Join") == std::string_view::npos) {
    return std::nullopt;
  }
  bool broadcast = base.find("Broadcast") != std::string_view::npos;
  if (base.find("NestedLoop") != std::string_view::npos) {
    return JoinStrategy::kBroadcastNestedLoop;
  }
  if (broadcast) return JoinStrategy::kBroadcastHash;
  if (base.find("SortMerge") != std::string_view::npos)
    return JoinStrategy::kSortMerge;
  return JoinStrategy::kShuffledHash;
}

bool IsJoinType(std::string_view field) {
  static constexpr std::array<std::string_view, 8> kTypes = {
      "Inner",     "Cross",    "LeftOuter", "RightOuter",
      "FullOuter", "LeftSemi", "LeftAnti",  "LeftSingle"};
  for (std::string_view type : kTypes) {
    if (field == type) return true;
  }
  return field.starts_with("ExistenceJoin(");
}

// "SortMergeJoin [id#1L], [id#5L], Inner, (x#2 > 3)": keys, type, build
// side and condition, in whatever order the operator prints them.
void ParseJoinArguments(std::string_view arguments, Join& join) {
  int key_lists = 0;
  for (std::string_view field : SplitTopLevel(arguments)) {
    if (field.starts_with('[') && key_lists < 2) {
      auto& keys = key_lists++ == 0 ? join.left_keys : join.right_keys;
      for (std::string_view key : ListElements(field)) {
        keys.push_back(StripExprIds(key));
      }
    } else if (IsJoinType(field)) {
      join.join_type = field;
    } else if (field.ends_with("BuildLeft") || field.ends_with("BuildRight")) {
      join.build_side =
          field.ends_with("BuildLeft") ? "BuildLeft" : "BuildRight";
    } else if (field == "false" || field == "true") {
      // isNullAwareAntiJoin
    } else if (join.condition.empty()) {
      join.condition = StripExprIds(field);
    }
  }
}

// Operators a join side's data passes through unchanged in size, or the
// shuffle and broadcast machinery that carries it.
bool PassesThrough(const model::PlanNode& node) {
  static constexpr std::array<std::string_view, 23> kNames = {
      "WholeStageCodegen",
      "InputAdapter",
      "Sort",
      "Filter",
      "Project",
      "ColumnarToRow",
      "RowToColumnar",
      "AQEShuffleRead",
      "CustomShuffleReader",
      "ShuffleQueryStage",
      "BroadcastQueryStage",
      "Exchange",
      "ShuffleExchange",
      "BroadcastExchange",
      "ReusedExchange",
      "Coalesce",
      "CoalesceBatches",
      "ShuffleCoalesce",
      "ColumnarExchange",
      "ShuffleExchangeSink",
      "ShuffleExchangeSource",
      "ResultStage",
      "ShuffleMapStage"};
  std::string_view base = BaseName(node.node_name);
  for (std::string_view name : kNames) {
    if (base == name) return true;
  }
  return false;
}

bool IsAqeShuffleRead(const model::PlanNode& node) {
  std::string_view base = BaseName(node.node_name);
  return base == "AQEShuffleRead" || base == "CustomShuffleReader";
}

JoinSide WalkSide(const model::PlanNode& top) {
  JoinSide side;
  side.scan = FirstScanBelow(top);
  // "partition data size" of an AQE shuffle read is kept only as a fallback:
  // Spark posts it once per partition, so the exchange below is surer.
  std::optional<int64_t> read_size;
  std::string read_node;
  for (const model::PlanNode* node = &top; node != nullptr;) {
    if (!side.rows) side.rows = Metric(*node, "number of output rows");
    if (!side.rows) side.rows = Metric(*node, "shuffle records written");
    if (IsAqeShuffleRead(*node)) {
      if (!read_size) {
        read_size = Metric(*node, "partition data size");
        read_node = node->node_name;
      }
    } else {
      for (std::string_view name :
           {"data size", "dataSize", "size of files read",
            "partition data size"}) {
        if (auto bytes = Metric(*node, name)) {
          side.bytes = bytes;
          side.size_metric = name;
          side.size_node = node->node_name;
          return side;
        }
      }
    }
    bool go_on = PassesThrough(*node) && node->children.size() == 1;
    node = go_on ? &node->children.front() : nullptr;
  }
  if (read_size) {
    side.bytes = read_size;
    side.size_metric = "partition data size";
    side.size_node = read_node;
  }
  return side;
}

}  // namespace

void CollectJoins(const model::PlanNode& root, const ExecutionContext& context,
                  bool from_cached_plan_text, std::vector<Join>& out) {
  if (auto strategy = StrategyOf(root.node_name)) {
    Join join;
    join.execution_id = context.execution.execution_id;
    join.node_name = root.node_name;
    join.strategy = *strategy;
    ParseJoinArguments(Arguments(root), join);
    if (!root.children.empty()) join.left = WalkSide(root.children.front());
    if (root.children.size() > 1) join.right = WalkSide(root.children[1]);
    join.output_rows = Metric(root, "number of output rows");
    join.cross_join_scanned_rows = Metric(root, "Cross Join Scanned Rows");
    // Open-source Spark's BroadcastNestedLoopJoin has no such metric (only
    // Databricks' has): each streamed row meets every broadcast row once, so
    // the pairs are the product of the sides' rows, both counted exactly
    // (the broadcast side once, on the driver). A CartesianProduct's side
    // metrics count each partition once per partition of the other side,
    // so no product is derived for it.
    if (!join.cross_join_scanned_rows &&
        join.strategy == JoinStrategy::kBroadcastNestedLoop &&
        join.left.rows && join.right.rows) {
      join.cross_join_scanned_rows = *join.left.rows * *join.right.rows;
    }
    join.from_cached_plan_text = from_cached_plan_text;
    join.stages = context.StagesOrFallback(root, &join.stages_from_metrics);
    out.push_back(std::move(join));
  }
  for (const auto& child : root.children) {
    CollectJoins(child, context, from_cached_plan_text, out);
  }
}

}  // namespace internal
}  // namespace prometheus::plan

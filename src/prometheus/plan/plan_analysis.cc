#include "prometheus/plan/plan_analysis.h"

#include <cctype>
#include <charconv>
#include <limits>

#include "prometheus/plan/internal/plan_text.h"

namespace prometheus::plan {
namespace {

using internal::BaseName;

// An execution's setting wins over the run's (SQL `SET` shows in
// modifiedConfigs).
const std::string* Setting(const model::Application& app,
                           const model::SqlExecution* execution,
                           std::string_view key) {
  if (execution != nullptr) {
    for (const auto& [name, value] : execution->modified_configs) {
      if (name == key) return &value;
    }
  }
  return app.Property(key);
}

std::optional<int64_t> SizeSetting(const model::Application& app,
                                   const model::SqlExecution* execution,
                                   std::string_view key) {
  const std::string* text = Setting(app, execution, key);
  return text == nullptr ? std::nullopt : ParseByteSize(*text);
}

bool IsDatabricks(const model::Application& app) {
  for (const auto& [name, value] : app.spark_properties) {
    if (name.starts_with("spark.databricks.")) return true;
  }
  return false;
}

// AQE is on by default from Spark 3.2, and on Databricks.
bool AdaptiveByDefault(const model::Application& app, bool databricks) {
  int major = 0;
  int minor = 0;
  const std::string& version = app.spark_version;
  auto [ptr, ec] =
      std::from_chars(version.data(), version.data() + version.size(), major);
  if (ec == std::errc() && ptr < version.data() + version.size() &&
      *ptr == '.') {
    std::from_chars(ptr + 1, version.data() + version.size(), minor);
  }
  return databricks || major > 3 || (major == 3 && minor >= 2);
}

bool Contains(const model::PlanNode& node, std::string_view name) {
  if (node.node_name == name) return true;
  for (const auto& child : node.children) {
    if (Contains(child, name)) return true;
  }
  return false;
}

// Spark 2 leaves a cached relation's plan out of the structured tree.
bool HasUnexpandedCache(const model::PlanNode& node) {
  if (BaseName(node.node_name) == "InMemoryTableScan" &&
      node.children.empty()) {
    return true;
  }
  for (const auto& child : node.children) {
    if (HasUnexpandedCache(child)) return true;
  }
  return false;
}

// The threshold AQE re-plans with: its own setting, else on Databricks
// spark.databricks.adaptive.autoBroadcastJoinThreshold (30 MiB by default,
// unless the static threshold was set to disable broadcasting), else the
// static threshold.
int64_t AdaptiveThreshold(const model::Application& app,
                          const model::SqlExecution* execution, bool databricks,
                          int64_t static_threshold) {
  if (auto own = SizeSetting(app, execution,
                             "spark.sql.adaptive.autoBroadcastJoinThreshold")) {
    return *own;
  }
  if (!databricks) return static_threshold;
  if (auto dbx =
          SizeSetting(app, execution,
                      "spark.databricks.adaptive.autoBroadcastJoinThreshold")) {
    return *dbx;
  }
  return static_threshold < 0 ? static_threshold
                              : kDatabricksAdaptiveBroadcastThreshold;
}

int64_t StaticThreshold(const model::Application& app,
                        const model::SqlExecution* execution) {
  return SizeSetting(app, execution, "spark.sql.autoBroadcastJoinThreshold")
      .value_or(kDefaultBroadcastThreshold);
}

bool DataflintTier(int64_t small, int64_t large) {
  return small < 10 * kMiB || (small < 100 * kMiB && large > 10 * kGiB) ||
         (small < 1000 * kMiB && large > 300 * kGiB) ||
         (small < 5 * kGiB && large > kTiB);
}

}  // namespace

std::optional<int64_t> ParseByteSize(std::string_view text) {
  text = internal::Trim(text);
  int64_t number = 0;
  auto [ptr, ec] =
      std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc()) return std::nullopt;
  std::string unit = internal::Lower(
      internal::Trim(std::string_view(ptr, text.data() + text.size() - ptr)));
  if (number < 0)
    return unit.empty() ? std::optional<int64_t>(number) : std::nullopt;
  int shift = 0;
  if (unit.empty() || unit == "b") {
    shift = 0;
  } else if (unit == "k" || unit == "kb") {
    shift = 10;
  } else if (unit == "m" || unit == "mb") {
    shift = 20;
  } else if (unit == "g" || unit == "gb") {
    shift = 30;
  } else if (unit == "t" || unit == "tb") {
    shift = 40;
  } else if (unit == "p" || unit == "pb") {
    shift = 50;
  } else {
    return std::nullopt;
  }
  if (shift > 0 && number > (std::numeric_limits<int64_t>::max() >> shift))
    return std::nullopt;
  return number << shift;
}

bool IsBroadcastMiss(const Join& join, int64_t threshold) {
  if (threshold < 0) return false;
  if (join.strategy != JoinStrategy::kSortMerge &&
      join.strategy != JoinStrategy::kShuffledHash) {
    return false;
  }
  if (!join.left.bytes || !join.right.bytes) return false;
  const std::string& type = join.join_type;
  bool left_outer = type == "LeftOuter" || type == "LeftSemi" ||
                    type == "LeftAnti" || type == "LeftSingle" ||
                    type.starts_with("ExistenceJoin");
  bool can_build_left = type != "FullOuter" && !left_outer;
  bool can_build_right = type != "FullOuter" && type != "RightOuter";
  auto fits = [&](int64_t side, int64_t other) {
    return side <= threshold || (side <= other && DataflintTier(side, other));
  };
  return (can_build_left && fits(*join.left.bytes, *join.right.bytes)) ||
         (can_build_right && fits(*join.right.bytes, *join.left.bytes));
}

PlanAnalysis AnalyzePlans(const model::Application& app) {
  PlanAnalysis result;
  result.databricks = IsDatabricks(app);
  result.broadcast_threshold = StaticThreshold(app, nullptr);
  result.adaptive_broadcast_threshold = AdaptiveThreshold(
      app, nullptr, result.databricks, result.broadcast_threshold);
  const std::string* adaptive = app.Property("spark.sql.adaptive.enabled");
  result.adaptive_enabled = adaptive != nullptr
                                ? *adaptive == "true"
                                : AdaptiveByDefault(app, result.databricks);
  internal::StageIndex index(app);
  for (const auto& [id, execution] : app.sql_executions) {
    internal::ExecutionContext context{execution, index,
                                       index.ExecutionStages(execution)};
    ExecutionPlan plan;
    plan.execution_id = id;
    plan.root_execution_id = execution.root_execution_id;
    plan.adaptive = Contains(execution.plan, "AdaptiveSparkPlan");
    if (plan.adaptive) result.adaptive_enabled = true;
    int64_t static_threshold = StaticThreshold(app, &execution);
    plan.broadcast_threshold =
        plan.adaptive ? AdaptiveThreshold(app, &execution, result.databricks,
                                          static_threshold)
                      : static_threshold;
    plan.job_ids = execution.job_ids;
    plan.stages = context.execution_stages;

    size_t first_join = result.joins.size();
    internal::CollectJoins(execution.plan, context, false, result.joins);
    if (HasUnexpandedCache(execution.plan)) {
      size_t first_text_join = result.joins.size();
      for (const auto& cached :
           internal::CachedPlansFromText(execution.physical_plan)) {
        internal::CollectJoins(cached, context, true, result.joins);
      }
      // The same cached relation may be printed under several scans.
      for (size_t i = result.joins.size(); i-- > first_text_join;) {
        for (size_t j = first_text_join; j < i; ++j) {
          if (result.joins[j].node_name == result.joins[i].node_name &&
              result.joins[j].left_keys == result.joins[i].left_keys &&
              result.joins[j].right_keys == result.joins[i].right_keys) {
            result.joins.erase(result.joins.begin() +
                               static_cast<std::ptrdiff_t>(i));
            break;
          }
        }
      }
    }
    internal::CollectOperators(execution.plan, context, result);
    for (size_t i = first_join; i < result.joins.size(); ++i) {
      if (IsBroadcastMiss(result.joins[i], plan.broadcast_threshold)) {
        result.broadcast_miss.insert(result.joins[i].stages.begin(),
                                     result.joins[i].stages.end());
      }
    }
    result.executions.push_back(std::move(plan));
  }
  return result;
}

}  // namespace prometheus::plan

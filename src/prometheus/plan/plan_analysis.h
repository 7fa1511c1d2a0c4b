// The plan module reads each SQL execution's final physical plan (after AQE)
// and recognises the operators the rules care about: joins with their key
// and side sizes, scans, shuffles, broadcasts, writes and Python UDFs, each
// tied to the stages that ran it. It also decides which stages ran a
// sort-merge or shuffled-hash join that could have been a broadcast join.
// docs/PLAN.md describes the choices.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prometheus/model/application.h"

namespace prometheus::plan {

// (stage id, stage attempt id), the key of model::Application::stages.
using StageKey = std::pair<int64_t, int64_t>;

enum class JoinStrategy {
  kSortMerge,
  kShuffledHash,
  kBroadcastHash,
  kBroadcastNestedLoop,
  kCartesian,
};

std::string_view JoinStrategyName(JoinStrategy strategy);

// The table under a plan node: what a scan reads.
struct TableRef {
  std::string table;   // "db.table" when the plan names it, else ""
  std::string path;    // first path of the scan's location, else ""
  std::string format;  // "parquet", "csv", ... lower case, else ""
};

struct JoinSide {
  // Size of the first node with a size metric on the way down from the join
  // (through sorts, filters, projections, shuffle reads and exchanges).
  std::optional<int64_t> bytes;
  std::string size_metric;  // the metric `bytes` came from, "" when none
  std::string size_node;    // the node that carried it
  std::optional<int64_t> rows;
  std::optional<TableRef> scan;  // the first scan below this side
};

struct Join {
  int64_t execution_id = -1;
  std::string
      node_name;  // as in the plan: "SortMergeJoin", "PhotonBroadcastHashJoin"
  JoinStrategy strategy = JoinStrategy::kSortMerge;
  std::string join_type;   // "Inner", "LeftOuter", ...; "" when not shown
  std::string build_side;  // "BuildLeft", "BuildRight" or ""
  std::vector<std::string> left_keys;  // without expression ids: "id"
  std::vector<std::string> right_keys;
  std::string condition;  // extra join condition, "" when none
  JoinSide left;
  JoinSide right;
  std::optional<int64_t> output_rows;
  std::optional<int64_t> cross_join_scanned_rows;
  // Found only in the text of a Spark 2 cached relation (InMemoryRelation),
  // which the structured plan does not expand: no metrics.
  bool from_cached_plan_text = false;
  std::vector<StageKey> stages;
  bool stages_from_metrics = false;  // false: the execution's stages instead

  // The side with fewer bytes, when both sizes are known ("left"/"right").
  const JoinSide* Smaller() const;
  const JoinSide* Larger() const;
};

struct Scan {
  int64_t execution_id = -1;
  std::string node_name;
  TableRef table;
  std::optional<int64_t> files_read;
  std::optional<int64_t> bytes_read;  // "size of files read"
  std::optional<int64_t> rows;
  std::optional<int64_t> partitions_read;  // present for partitioned tables
  // Elements of "PartitionFilters: [...]", expression ids removed; empty
  // when the scan had none or the plan does not show them.
  std::vector<std::string> partition_filters;
  std::vector<StageKey> stages;
};

struct Exchange {
  int64_t execution_id = -1;
  std::string node_name;
  std::string partitioning;  // "hashpartitioning(a, 200)", ids removed
  std::optional<int64_t> partitions;
  std::optional<int64_t> data_size;  // uncompressed rows ("data size")
  std::optional<int64_t> shuffle_bytes_written;
  std::optional<int64_t> records_written;
  std::vector<StageKey> write_stages;  // map side
  std::vector<StageKey> read_stages;   // reduce side
};

struct BroadcastExchange {
  int64_t execution_id = -1;
  std::string node_name;
  std::optional<int64_t> data_size;
  std::optional<int64_t> rows;
  std::optional<int64_t> collect_ms;
  std::optional<int64_t> build_ms;
  std::optional<int64_t> broadcast_ms;
  std::vector<StageKey> stages;  // the stages that computed what was broadcast
};

struct Write {
  int64_t execution_id = -1;
  std::string node_name;
  std::string path;    // output path, "" when the plan names a table instead
  std::string table;   // "db.table", "" when writing to a path
  std::string format;  // lower case, "" when not shown
  std::vector<std::string> partition_columns;
  std::optional<int64_t> files_written;       // "number of written files"
  std::optional<int64_t> bytes_written;       // "written output"
  std::optional<int64_t> dynamic_partitions;  // "number of dynamic part"
  std::optional<int64_t> rows;
  std::vector<StageKey> stages;
};

struct PythonUdf {
  int64_t execution_id = -1;
  std::string node_name;  // BatchEvalPython, ArrowEvalPython, MapInPandas, ...
  std::vector<std::string> udf_names;
  std::optional<int64_t> rows;
  std::vector<StageKey> stages;
};

struct ExecutionPlan {
  int64_t execution_id = -1;
  std::optional<int64_t> root_execution_id;
  bool adaptive = false;  // the plan holds an AdaptiveSparkPlan node
  // Threshold under which Spark would have broadcast a join side for this
  // execution; -1 when broadcasting is disabled.
  int64_t broadcast_threshold = 0;
  std::vector<int64_t> job_ids;
  std::vector<StageKey> stages;  // attempts of the jobs' stages that ran
};

struct PlanAnalysis {
  bool databricks = false;
  bool adaptive_enabled = false;    // the run's setting (or default)
  int64_t broadcast_threshold = 0;  // spark.sql.autoBroadcastJoinThreshold
  int64_t adaptive_broadcast_threshold = 0;  // the one AQE plans with
  std::vector<ExecutionPlan> executions;     // by execution id
  std::vector<Join> joins;
  std::vector<Scan> scans;
  std::vector<Exchange> exchanges;
  std::vector<BroadcastExchange> broadcasts;
  std::vector<Write> writes;
  std::vector<PythonUdf> python_udfs;
  // Stage attempts that ran a sort-merge or shuffled-hash join one of whose
  // buildable sides was small enough to broadcast (see IsBroadcastMiss).
  std::set<StageKey> broadcast_miss;
};

PlanAnalysis AnalyzePlans(const model::Application& app);

// True when a sort-merge or shuffled-hash join could have broadcast a side
// that its join type allows to be built (Inner: either; LeftOuter, LeftSemi,
// LeftAnti: the right; RightOuter: the left; FullOuter: none): that side's
// bytes are at most `threshold`, or below Dataflint's tiers against the other
// side (10 MiB; 100 MiB vs > 10 GiB; 1000 MiB vs > 300 GiB; 5 GiB vs > 1 TiB).
// Both sizes must be known. A negative threshold (broadcast disabled) gives
// false.
bool IsBroadcastMiss(const Join& join, int64_t threshold);

// Bytes of a Spark size setting: "10485760", "10MB", "10m", "1g", "-1"
// (binary units, as Spark reads them); nullopt when it does not parse.
std::optional<int64_t> ParseByteSize(std::string_view text);

inline constexpr int64_t kMiB = int64_t{1} << 20;
inline constexpr int64_t kGiB = int64_t{1} << 30;
inline constexpr int64_t kTiB = int64_t{1} << 40;
inline constexpr int64_t kDefaultBroadcastThreshold = 10 * kMiB;
inline constexpr int64_t kDatabricksAdaptiveBroadcastThreshold = 30 * kMiB;

}  // namespace prometheus::plan

// AnalyzePlans on real event logs. Every expected size, count and stage is
// read from the same log with nlohmann::json (raw_event_log_for_test.h), not
// through Prometheus' parser or model.
#include "prometheus/plan/plan_analysis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "prometheus/io/event_log_files.h"
#include "prometheus/model/load_event_log.h"
#include "prometheus/plan/raw_event_log_for_test.h"
#include "prometheus/testing/paths.h"

namespace prometheus::plan {
namespace {

using prometheus::testing::SharedEventLog;
using ::testing::ElementsAre;
using testing::FindNodes;
using ::testing::IsEmpty;
using testing::Json;
using testing::Named;
using testing::RawLog;
using ::testing::StartsWith;

constexpr const char* kQualification =
    "NVIDIA__spark-rapids-tools/core/src/test/resources/"
    "spark-events-qualification/";

struct Loaded {
  PlanAnalysis plans;
  RawLog raw;
};

Loaded Load(const std::string& relative) {
  std::string path = SharedEventLog(relative);
  auto inputs = io::FindEventLogs({path});
  EXPECT_TRUE(inputs.has_value()) << path;
  auto log = model::LoadEventLog(inputs->inputs.front());
  EXPECT_TRUE(log.has_value()) << path;
  return {AnalyzePlans(log->application), testing::ReadRawLog(path)};
}

std::set<StageKey> AsSet(const std::vector<StageKey>& keys) {
  return {keys.begin(), keys.end()};
}

// The one node of execution `id` for which `match` holds.
const Json& Only(const RawLog& raw, int64_t id,
                 const std::function<bool(const Json&)>& match) {
  auto nodes = FindNodes(raw.plans.at(id), match);
  EXPECT_EQ(nodes.size(), 1u);
  return *nodes.at(0);
}

std::function<bool(const Json&)> Shows(const std::string& name,
                                       const std::string& text) {
  return [=](const Json& node) {
    return node["nodeName"] == name &&
           node["simpleString"].get<std::string>().find(text) !=
               std::string::npos;
  };
}

TEST(PlanAnalysisRealLogs, Spark2SortMergeJoinInsideACachedRelation) {
  // Spark 2.4's structured plan stops at InMemoryTableScan: the join exists
  // only in the physical plan text of execution 2.
  Loaded log = Load(std::string(prometheus::testing::kSparkEvents) +
                    "application_1506645932520_24630151");
  const std::string& text = log.raw.physical_plans.at(2);
  std::string physical = text.substr(text.find("== Physical Plan =="));
  size_t in_text = 0;
  for (size_t at = 0;
       (at = physical.find("- SortMergeJoin ", at)) != std::string::npos;
       ++at) {
    ++in_text;
  }
  EXPECT_TRUE(FindNodes(log.raw.plans.at(2), Named("SortMergeJoin")).empty());
  ASSERT_EQ(log.plans.joins.size(), in_text);
  const Join& join = log.plans.joins[0];
  EXPECT_EQ(join.execution_id, 2);
  EXPECT_EQ(join.strategy, JoinStrategy::kSortMerge);
  EXPECT_EQ(join.join_type, "LeftOuter");
  EXPECT_THAT(join.left_keys, ElementsAre("appId"));
  EXPECT_THAT(join.right_keys, ElementsAre("appId"));
  EXPECT_TRUE(join.from_cached_plan_text);
  ASSERT_TRUE(join.left.scan.has_value());
  EXPECT_EQ(join.left.scan->format, "avro");
  EXPECT_THAT(join.left.scan->path,
              StartsWith("hdfs://clusternn01.grid.company.com:9000/"));
  EXPECT_EQ(join.left.bytes, std::nullopt);  // text carries no metrics
  EXPECT_FALSE(join.stages_from_metrics);
  EXPECT_EQ(AsSet(join.stages), log.raw.ExecutionStages(2));
  EXPECT_THAT(log.plans.broadcast_miss, IsEmpty());
}

TEST(PlanAnalysisRealLogs, BroadcastHashJoinsAndTheirBroadcasts) {
  Loaded log = Load(std::string(prometheus::testing::kSparkEvents) +
                    "app-20200706201101-0003");
  ASSERT_EQ(log.plans.joins.size(), 2u);
  const Join& outer = log.plans.joins[0];
  EXPECT_EQ(outer.strategy, JoinStrategy::kBroadcastHash);
  EXPECT_EQ(outer.join_type, "Inner");
  EXPECT_EQ(outer.build_side, "BuildLeft");
  EXPECT_THAT(outer.left_keys, ElementsAre("i2"));
  EXPECT_THAT(outer.right_keys, ElementsAre("i3"));
  const Json& outer_node =
      Only(log.raw, 0, Shows("BroadcastHashJoin", "BuildLeft"));
  const Json& outer_broadcast =
      Only(log.raw, 0, Shows("BroadcastExchange", "input[3, int"));
  EXPECT_EQ(outer.left.bytes, log.raw.Value(outer_broadcast, "data size"));
  EXPECT_EQ(outer.left.size_metric, "data size");
  EXPECT_EQ(outer.output_rows,
            log.raw.Value(outer_node, "number of output rows"));
  EXPECT_TRUE(outer.stages_from_metrics);
  EXPECT_EQ(AsSet(outer.stages), log.raw.Reporting(outer_node));
  const Join& inner = log.plans.joins[1];
  EXPECT_EQ(inner.build_side, "BuildRight");
  EXPECT_THAT(inner.left_keys, ElementsAre("i1"));
  EXPECT_EQ(AsSet(inner.stages),
            log.raw.Reporting(
                Only(log.raw, 0, Shows("BroadcastHashJoin", "BuildRight"))));
  EXPECT_NE(inner.stages, outer.stages);

  ASSERT_EQ(log.plans.broadcasts.size(), 2u);
  const BroadcastExchange& broadcast = log.plans.broadcasts[0];
  EXPECT_EQ(broadcast.data_size, log.raw.Value(outer_broadcast, "data size"));
  EXPECT_EQ(broadcast.collect_ms,
            log.raw.Value(outer_broadcast, "time to collect"));
  EXPECT_EQ(broadcast.build_ms,
            log.raw.Value(outer_broadcast, "time to build"));
  EXPECT_EQ(broadcast.broadcast_ms,
            log.raw.Value(outer_broadcast, "time to broadcast"));
  // What it broadcast was computed by the stage that ran the inner join.
  EXPECT_EQ(broadcast.stages, inner.stages);
  EXPECT_THAT(log.plans.broadcast_miss, IsEmpty());  // already broadcast
}

// aqeshuffle (AQEShuffleRead, Spark 3.2) and customshuffle (its 3.1 name,
// CustomShuffleReader) hold the same SortMergeJoin of two 10M-row shuffles.
void ExpectAdaptiveSortMergeJoin(const Loaded& log) {
  EXPECT_TRUE(log.plans.adaptive_enabled);
  ASSERT_EQ(log.plans.executions.size(), 1u);
  EXPECT_TRUE(log.plans.executions[0].adaptive);
  EXPECT_EQ(log.plans.executions[0].broadcast_threshold,
            kDefaultBroadcastThreshold);
  ASSERT_EQ(log.plans.joins.size(), 1u);
  const Join& join = log.plans.joins[0];
  EXPECT_EQ(join.strategy, JoinStrategy::kSortMerge);
  EXPECT_EQ(join.join_type, "Inner");
  EXPECT_THAT(join.left_keys, ElementsAre("a"));
  EXPECT_THAT(join.right_keys, ElementsAre("b"));
  const Json& left = Only(log.raw, 0, Shows("Exchange", "hashpartitioning(a#"));
  const Json& right =
      Only(log.raw, 0, Shows("Exchange", "hashpartitioning(b#"));
  EXPECT_EQ(join.left.bytes, log.raw.Value(left, "data size"));
  EXPECT_EQ(join.right.bytes, log.raw.Value(right, "data size"));
  EXPECT_EQ(join.left.size_node, "Exchange");
  EXPECT_EQ(join.left.rows, log.raw.Value(left, "shuffle records written"));
  const Json& join_node = Only(log.raw, 0, Named("SortMergeJoin"));
  EXPECT_EQ(join.output_rows,
            log.raw.Value(join_node, "number of output rows"));
  // The stage that reported the join's rows is the one reading both shuffles.
  EXPECT_TRUE(join.stages_from_metrics);
  EXPECT_EQ(AsSet(join.stages), log.raw.Reporting(join_node));
  EXPECT_EQ(AsSet(join.stages), log.raw.Reporting(left, {"records read"}));

  ASSERT_EQ(log.plans.exchanges.size(), 3u);
  const Exchange& exchange = log.plans.exchanges[1];
  EXPECT_EQ(exchange.partitioning, "hashpartitioning(a, 200)");
  EXPECT_EQ(exchange.partitions, 200);
  EXPECT_EQ(exchange.shuffle_bytes_written,
            log.raw.Value(left, "shuffle bytes written"));
  EXPECT_EQ(AsSet(exchange.write_stages),
            log.raw.Reporting(left, {"shuffle bytes written"}));
  EXPECT_EQ(exchange.read_stages, join.stages);
  // 160 MB a side: above 10 MiB, and neither side is large enough for a tier.
  EXPECT_THAT(log.plans.broadcast_miss, IsEmpty());
}

TEST(PlanAnalysisRealLogs, AqeShuffleReadSortMergeJoin) {
  ExpectAdaptiveSortMergeJoin(
      Load(std::string(kQualification) + "aqeshuffle_eventlog.zstd"));
}

TEST(PlanAnalysisRealLogs, CustomShuffleReaderSortMergeJoin) {
  ExpectAdaptiveSortMergeJoin(
      Load(std::string(kQualification) + "customshuffle_eventlog.zstd"));
}

TEST(PlanAnalysisRealLogs, PythonUdfWriteAndScan) {
  Loaded log = Load(std::string(kQualification) + "python_udf_eventlog");
  ASSERT_EQ(log.plans.python_udfs.size(), 1u);
  const PythonUdf& udf = log.plans.python_udfs[0];
  const Json& udf_node = Only(log.raw, 0, Named("BatchEvalPython"));
  EXPECT_EQ(udf.node_name, "BatchEvalPython");
  EXPECT_THAT(udf.udf_names, ElementsAre("multiply_by_two"));
  EXPECT_EQ(udf.rows, log.raw.Value(udf_node, "number of output rows"));
  EXPECT_EQ(AsSet(udf.stages), log.raw.Reporting(udf_node));

  // InsertIntoHadoopFsRelationCommand over WriteFiles: one write.
  ASSERT_EQ(log.plans.writes.size(), 1u);
  const Write& write = log.plans.writes[0];
  const Json& write_node =
      Only(log.raw, 0, Named("Execute InsertIntoHadoopFsRelationCommand"));
  EXPECT_THAT(write.path, StartsWith("file:/"));
  EXPECT_TRUE(write.path.ends_with("/tmp/output/python_udf"));
  EXPECT_EQ(write.format, "parquet");
  EXPECT_EQ(write.files_written,
            log.raw.Value(write_node, "number of written files"));
  EXPECT_EQ(write.bytes_written, log.raw.Value(write_node, "written output"));
  EXPECT_EQ(AsSet(write.stages), log.raw.ExecutionStages(0));

  ASSERT_EQ(log.plans.scans.size(), 1u);
  const Scan& scan = log.plans.scans[0];
  const Json& scan_node = Only(log.raw, 0, Named("Scan parquet "));
  EXPECT_EQ(scan.table.format, "parquet");
  EXPECT_TRUE(scan.table.path.ends_with("/tmp/data/input.parquet"));
  EXPECT_EQ(scan.files_read, log.raw.Value(scan_node, "number of files read"));
  EXPECT_EQ(scan.bytes_read, log.raw.Value(scan_node, "size of files read"));
  EXPECT_EQ(scan.rows, log.raw.Value(scan_node, "number of output rows"));
  EXPECT_THAT(scan.partition_filters, IsEmpty());
  EXPECT_EQ(AsSet(scan.stages), log.raw.Reporting(scan_node));
}

TEST(PlanAnalysisRealLogs, PandasUdfOperators) {
  Loaded log = Load(std::string(kQualification) + "pandas_execs_eventlog.zstd");
  struct Want {
    const char* node;
    const char* udf;
  };
  const Want wants[] = {{"ArrowEvalPython", "_plus_one_cpu_func"},
                        {"AggregateInPandas", "_sum_cpu_func"},
                        {"MapInPandas", "_filter_cpu_func"},
                        {"FlatMapGroupsInPandas", "_normalize_cpu_func"},
                        {"WindowInPandas", "_sum_cpu_func"}};
  ASSERT_EQ(log.plans.python_udfs.size(), std::size(wants));
  for (size_t i = 0; i < std::size(wants); ++i) {
    const PythonUdf& udf = log.plans.python_udfs[i];
    SCOPED_TRACE(udf.node_name);
    EXPECT_EQ(udf.node_name, wants[i].node);
    EXPECT_THAT(udf.udf_names, ElementsAre(wants[i].udf));
    // These operators report no metric of their own: the stage is the one
    // that ran the first node below them with a reported metric.
    const Json& python = Only(log.raw, udf.execution_id, Named(wants[i].node));
    std::set<StageKey> expected;
    for (const Json* below :
         FindNodes(python, [](const Json&) { return true; })) {
      if (below != &python && expected.empty())
        expected = log.raw.Reporting(*below);
    }
    EXPECT_FALSE(expected.empty());
    EXPECT_EQ(AsSet(udf.stages), expected);
  }
}

TEST(PlanAnalysisRealLogs, WritesInFourFormats) {
  Loaded log = Load(std::string(kQualification) + "writeformat_eventlog");
  ASSERT_EQ(log.plans.writes.size(), 4u);
  const char* formats[] = {"csv", "parquet", "orc", "json"};
  for (size_t i = 0; i < 4; ++i) {
    const Write& write = log.plans.writes[i];
    SCOPED_TRACE(write.path);
    const Json& node = Only(log.raw, write.execution_id,
                            Named("Execute InsertIntoHadoopFsRelationCommand"));
    EXPECT_EQ(write.format, formats[i]);
    EXPECT_TRUE(write.path.ends_with(std::string("writeDF.") + formats[i]));
    EXPECT_EQ(write.files_written,
              log.raw.Value(node, "number of written files"));
    EXPECT_EQ(write.bytes_written, log.raw.Value(node, "written output"));
    EXPECT_GT(*write.bytes_written, 0);
    EXPECT_EQ(AsSet(write.stages), log.raw.ExecutionStages(write.execution_id));
  }
}

TEST(PlanAnalysisRealLogs, DatabricksSubExecutionsScanAndThreshold) {
  Loaded log = Load(std::string(kQualification) + "db_subExecution_id.zstd");
  EXPECT_TRUE(log.plans.databricks);
  EXPECT_TRUE(log.plans.adaptive_enabled);
  EXPECT_EQ(log.plans.adaptive_broadcast_threshold,
            kDatabricksAdaptiveBroadcastThreshold);
  for (const ExecutionPlan& execution : log.plans.executions) {
    SCOPED_TRACE(execution.execution_id);
    bool adaptive = !FindNodes(log.raw.plans.at(execution.execution_id),
                               Named("AdaptiveSparkPlan"))
                         .empty();
    EXPECT_EQ(execution.adaptive, adaptive);
    EXPECT_EQ(execution.broadcast_threshold,
              adaptive ? 30 * kMiB : kDefaultBroadcastThreshold);
    EXPECT_EQ(AsSet(execution.stages),
              log.raw.ExecutionStages(execution.execution_id));
  }
  auto sub =
      std::find_if(log.plans.executions.begin(), log.plans.executions.end(),
                   [](const ExecutionPlan& e) { return e.execution_id == 8; });
  ASSERT_NE(sub, log.plans.executions.end());
  EXPECT_EQ(sub->root_execution_id, 5);

  auto scan = std::find_if(log.plans.scans.begin(), log.plans.scans.end(),
                           [](const Scan& s) { return s.execution_id == 8; });
  ASSERT_NE(scan, log.plans.scans.end());
  const Json& node = Only(log.raw, 8, [](const Json& n) {
    return n["nodeName"].get<std::string>().starts_with("Scan parquet");
  });
  EXPECT_EQ(scan->table.table, "spark_catalog.default.people_large_2");
  EXPECT_EQ(scan->table.format, "parquet");
  EXPECT_THAT(scan->table.path, StartsWith("abfss://containerforhao@"));
  EXPECT_EQ(scan->files_read, log.raw.Value(node, "number of files read"));
  EXPECT_EQ(scan->bytes_read, log.raw.Value(node, "size of files read"));
  EXPECT_EQ(scan->rows, log.raw.Value(node, "number of output rows"));
  EXPECT_EQ(AsSet(scan->stages), log.raw.Reporting(node));

  auto write = std::find_if(log.plans.writes.begin(), log.plans.writes.end(),
                            [](const Write& w) { return w.execution_id == 5; });
  ASSERT_NE(write, log.plans.writes.end());
  EXPECT_EQ(write->node_name, "AtomicReplaceTableAsSelect");
  EXPECT_EQ(write->table, "default.people_large");
  EXPECT_THAT(log.plans.joins, IsEmpty());
}

// Partition filters come from the scan's simple string; AddressSanitizer
// caught them being read from a string already freed.
TEST(PlanAnalysisRealLogs, PartitionFiltersOfPartitionedScans) {
  Loaded log = Load(
      "NVIDIA__spark-rapids-tools/_history/core/src/test/resources/"
      "spark-events-qualification/"
      "cluster_information/platform/invalid/dataproc_invalid_num_workers.zstd");
  std::set<std::vector<std::string>> filters;
  for (const Scan& scan : log.plans.scans)
    filters.insert(scan.partition_filters);
  EXPECT_TRUE(filters.contains({"(dt = 19980110)", "isnotnull(dt)"}));
  EXPECT_TRUE(filters.contains({"isnotnull(dt)", "(dt = 19980110)"}));
  EXPECT_TRUE(
      filters.contains({"isnotnull(event_dt)", "(event_dt = 1998-01-10)"}));
  EXPECT_TRUE(filters.contains({}));
  EXPECT_EQ(filters.size(), 4u);
}

}  // namespace
}  // namespace prometheus::plan

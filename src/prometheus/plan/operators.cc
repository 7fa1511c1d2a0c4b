// Scans, shuffles, broadcasts, writes and Python UDF operators.
#include <algorithm>
#include <array>
#include <cctype>

#include "prometheus/plan/internal/plan_text.h"

namespace prometheus::plan::internal {
namespace {

template <size_t N>
bool OneOf(std::string_view name,
           const std::array<std::string_view, N>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool IsWriteNode(const model::PlanNode& node) {
  static constexpr std::array<std::string_view, 16> kWrites = {
      "InsertIntoHadoopFsRelationCommand",
      "CreateDataSourceTableAsSelectCommand",
      "InsertIntoHiveTable",
      "CreateHiveTableAsSelectCommand",
      "OptimizedCreateHiveTableAsSelectCommand",
      "WriteFiles",
      "AppendData",
      "OverwriteByExpression",
      "OverwritePartitionsDynamic",
      "AtomicReplaceTableAsSelect",
      "AtomicCreateTableAsSelect",
      "ReplaceTableAsSelect",
      "CreateTableAsSelect",
      "WriteToDataSourceV2",
      "WriteIntoDeltaCommand",
      "SaveIntoDataSourceCommand"};
  return OneOf(BaseName(node.node_name), kWrites) ||
         Metric(node, "number of written files").has_value();
}

bool IsPythonNode(const model::PlanNode& node) {
  static constexpr std::array<std::string_view, 14> kPython = {
      "BatchEvalPython",
      "ArrowEvalPython",
      "MapInPandas",
      "FlatMapGroupsInPandas",
      "FlatMapCoGroupsInPandas",
      "AggregateInPandas",
      "WindowInPandas",
      "MapInArrow",
      "PythonMapInArrow",
      "FlatMapGroupsInPandasWithState",
      "BatchEvalPythonUDTF",
      "ArrowEvalPythonUDTF",
      "FlatMapGroupsInArrow",
      "FlatMapCoGroupsInArrow"};
  // Photon runs no Python: these keep their Spark names there.
  return OneOf(BaseName(node.node_name), kPython);
}

bool IsFormat(std::string_view field) {
  static constexpr std::array<std::string_view, 8> kFormats = {
      "parquet", "csv", "json", "orc", "text", "avro", "delta", "hive"};
  return OneOf(std::string_view(Lower(field)), kFormats);
}

// "db.table" or "`db`.`table`", not a class instance ("a.b.C@1f") or a call.
std::optional<std::string> TableName(std::string_view field) {
  if (field.find_first_of("@([ =") != std::string_view::npos)
    return std::nullopt;
  bool quoted = field.find('`') != std::string_view::npos;
  if (!quoted && field.find('.') == std::string_view::npos) return std::nullopt;
  std::string name;
  for (char c : field) {
    if (c != '`') name += c;
  }
  return name;
}

Write ParseWrite(const model::PlanNode& node) {
  Write write;
  write.node_name = node.node_name;
  std::vector<std::string_view> fields = SplitTopLevel(Arguments(node));
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string_view field = fields[i];
    if (i == 0 && (field.find(":/") != std::string_view::npos ||
                   field.starts_with('/'))) {
      write.path = field;
    } else if (write.format.empty() && IsFormat(field)) {
      write.format = Lower(field);
    } else if (write.format.empty() && write.partition_columns.empty() &&
               !write.path.empty() && field.starts_with('[')) {
      // InsertIntoHadoopFsRelationCommand prints partition columns before
      // the format.
      for (std::string_view column : ListElements(field)) {
        write.partition_columns.push_back(StripExprIds(column));
      }
    } else if (write.path.empty() && write.table.empty()) {
      if (auto table = TableName(field)) write.table = *table;
    }
  }
  write.files_written = Metric(node, "number of written files");
  write.bytes_written = Metric(node, "written output");
  write.dynamic_partitions = Metric(node, "number of dynamic part");
  write.rows = Metric(node, "number of output rows");
  return write;
}

// Names of the functions the operator calls: the head of each argument or
// list element written as "name(...)".
std::vector<std::string> UdfNames(const model::PlanNode& node) {
  static constexpr std::array<std::string_view, 6> kNotUdfs = {
      "cast",   "windowspecdefinition", "specifiedwindowframe",
      "struct", "named_struct",         "coalesce"};
  std::vector<std::string> names;
  for (std::string_view field : SplitTopLevel(Arguments(node))) {
    std::vector<std::string_view> elements = ListElements(field);
    if (elements.empty()) elements.push_back(field);
    for (std::string_view element : elements) {
      size_t end = 0;
      while (end < element.size() &&
             (std::isalnum(static_cast<unsigned char>(element[end])) ||
              element[end] == '_' || element[end] == '$')) {
        ++end;
      }
      if (end == 0 || end >= element.size() || element[end] != '(') continue;
      std::string name(element.substr(0, end));
      if (OneOf(std::string_view(name), kNotUdfs)) continue;
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(std::move(name));
      }
    }
  }
  return names;
}

// "hashpartitioning(a, 200)" -> 200, "SinglePartition" -> 1.
std::optional<int64_t> PartitionCount(std::string_view partitioning) {
  if (partitioning.starts_with("SinglePartition")) return 1;
  size_t close = partitioning.find(')');
  if (close == std::string_view::npos) return std::nullopt;
  size_t start = close;
  while (start > 0 &&
         std::isdigit(static_cast<unsigned char>(partitioning[start - 1]))) {
    --start;
  }
  if (start == close) return std::nullopt;
  return std::stoll(std::string(partitioning.substr(start, close - start)));
}

void Visit(const model::PlanNode& node, const ExecutionContext& context,
           bool inside_write, PlanAnalysis& out) {
  int64_t id = context.execution.execution_id;
  std::string_view base = BaseName(node.node_name);
  if (IsScan(node)) {
    Scan scan;
    scan.execution_id = id;
    scan.node_name = node.node_name;
    scan.table = ScanTable(node);
    scan.files_read = Metric(node, "number of files read");
    scan.bytes_read = Metric(node, "size of files read");
    scan.rows = Metric(node, "number of output rows");
    scan.partitions_read = Metric(node, "number of partitions read");
    // Held here: ListElements returns views into it (a temporary would die
    // before the loop body runs).
    const std::string filters = Detail(node, "PartitionFilters");
    for (std::string_view filter : ListElements(filters)) {
      scan.partition_filters.push_back(StripExprIds(filter));
    }
    scan.stages = context.StagesOrFallback(node);
    out.scans.push_back(std::move(scan));
  } else if (IsShuffleExchange(node) && base != "ShuffleExchangeSource") {
    Exchange exchange;
    exchange.execution_id = id;
    exchange.node_name = node.node_name;
    std::vector<std::string_view> fields = SplitTopLevel(Arguments(node));
    if (!fields.empty()) exchange.partitioning = StripExprIds(fields.front());
    exchange.partitions = Metric(node, "number of partitions");
    if (!exchange.partitions)
      exchange.partitions = PartitionCount(exchange.partitioning);
    exchange.data_size = Metric(node, "data size");
    exchange.shuffle_bytes_written = Metric(node, "shuffle bytes written");
    exchange.records_written = Metric(node, "shuffle records written");
    exchange.read_stages =
        context.stages.MetricStages(node, IsShuffleReadMetric);
    exchange.write_stages = context.stages.MetricStages(
        node, [](std::string_view name) { return !IsShuffleReadMetric(name); });
    out.exchanges.push_back(std::move(exchange));
  } else if (base == "BroadcastExchange") {
    BroadcastExchange broadcast;
    broadcast.execution_id = id;
    broadcast.node_name = node.node_name;
    broadcast.data_size = Metric(node, "data size");
    broadcast.rows = Metric(node, "number of output rows");
    broadcast.collect_ms = Metric(node, "time to collect");
    broadcast.build_ms = Metric(node, "time to build");
    broadcast.broadcast_ms = Metric(node, "time to broadcast");
    if (!node.children.empty()) {
      broadcast.stages = context.stages.NodeStages(node.children.front());
    }
    out.broadcasts.push_back(std::move(broadcast));
  } else if (IsWriteNode(node) && !inside_write) {
    Write write = ParseWrite(node);
    write.execution_id = id;
    write.stages = context.StagesOrFallback(node);
    out.writes.push_back(std::move(write));
    inside_write = true;
  } else if (IsPythonNode(node)) {
    PythonUdf udf;
    udf.execution_id = id;
    udf.node_name = node.node_name;
    udf.udf_names = UdfNames(node);
    udf.rows = Metric(node, "number of output rows");
    udf.stages = context.StagesOrFallback(node);
    out.python_udfs.push_back(std::move(udf));
  }
  for (const auto& child : node.children)
    Visit(child, context, inside_write, out);
}

}  // namespace

void CollectOperators(const model::PlanNode& root,
                      const ExecutionContext& context, PlanAnalysis& out) {
  Visit(root, context, false, out);
}

}  // namespace prometheus::plan::internal

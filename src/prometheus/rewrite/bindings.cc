#include "prometheus/rewrite/bindings.h"

#include <algorithm>
#include <set>

#include "prometheus/rewrite/name_pattern.h"
#include "prometheus/rewrite/sql_hint.h"

namespace prometheus::rewrite {
namespace {

constexpr int kMaxAliasDepth = 8;

bool IsPathReader(std::string_view method) {
  static const std::set<std::string_view> kReaders = {
      "parquet", "csv", "json", "orc", "load", "text", "delta"};
  return kReaders.contains(method);
}

// True for a call that starts a DataFrame from data: a table, path or SQL.
bool IsAnyRead(const PythonSource& source, TSNode call) {
  std::string_view method = MethodName(source, call);
  if (method == "sql") return true;
  if (method != "table" && !IsPathReader(method)) return false;
  return PatternOf(source, FirstArgument(call)).has_value();
}

// `df.na` and `df.stat`, whose methods return DataFrames (`df.columns`
// and `df.write` are not DataFrames).
bool IsDataFrameAccessor(const PythonSource& source, TSNode attribute) {
  std::string_view name = source.Text(Field(attribute, "attribute"));
  return name == "na" || name == "stat";
}

}  // namespace

bool IsReadOf(const PythonSource& source, TSNode call,
              const ReadTarget& target) {
  std::string_view method = MethodName(source, call);
  if (method.empty()) return false;
  if (method != "table" && method != "sql" && !IsPathReader(method))
    return false;
  auto written = PatternOf(source, FirstArgument(call));
  if (!written) return false;
  if (method == "table" && target.table) {
    if (written->parts.empty()) return false;
    return written->IsLiteral()
               ? SameTableName(written->parts[0].text, *target.table)
               : TableMatches(*written, *target.table);
  }
  if (IsPathReader(method)) {
    return target.path && PathMatches(*written, *target.path);
  }
  auto literal = PlainString(source, FirstArgument(call));
  if (!literal) return false;
  if (method == "sql" && target.table) {
    auto tables = SqlTableReferences(*literal);
    return tables && tables->size() == 1 &&
           SameTableName((*tables)[0], *target.table);
  }
  return false;
}

bool ReadsTarget(const PythonSource& source, TSNode expression,
                 const ReadTarget& target) {
  bool reads = false;
  Walk(expression, [&](TSNode node) {
    reads = reads || IsReadOf(source, node, target);
    return !reads;
  });
  return reads;
}

TSNode LastAssignment(const PythonSource& source, std::string_view name,
                      uint32_t before) {
  TSNode last{};
  Walk(source.root(), [&](TSNode node) {
    if (ts_node_start_byte(node) >= before) return false;
    if (IsType(node, "assignment")) {
      TSNode left = Field(node, "left");
      if (IsType(left, "identifier") && source.Text(left) == name) last = node;
    }
    return true;
  });
  return last;
}

std::optional<std::string_view> SimpleName(const PythonSource& source,
                                           TSNode side) {
  if (IsType(side, "identifier")) return source.Text(side);
  if (MethodName(source, side) == "alias") {
    TSNode object = Field(Field(side, "function"), "object");
    if (IsType(object, "identifier")) return source.Text(object);
  }
  return std::nullopt;
}

bool BoundToTarget(const PythonSource& source, TSNode side,
                   const ReadTarget& target) {
  auto name = SimpleName(source, side);
  uint32_t before = ts_node_start_byte(side);
  for (int depth = 0; name && depth < kMaxAliasDepth; ++depth) {
    TSNode assignment = LastAssignment(source, *name, before);
    if (ts_node_is_null(assignment)) return false;
    TSNode right = Field(assignment, "right");
    if (ReadsTarget(source, right, target)) return true;
    name = SimpleName(source, right);  // follow `small = dim`
    before = ts_node_start_byte(assignment);
  }
  return false;
}

AssignmentIndex::AssignmentIndex(const PythonSource& source) {
  Walk(source.root(), [&](TSNode node) {
    if (IsType(node, "assignment")) {
      TSNode left = Field(node, "left");
      if (IsType(left, "identifier")) {
        auto [it, added] = by_name_.try_emplace(std::string(source.Text(left)));
        it->second.push_back(node);
      }
    }
    return true;
  });
}

TSNode AssignmentIndex::Last(std::string_view name, uint32_t before) const {
  auto found = by_name_.find(name);
  if (found == by_name_.end()) return TSNode{};
  const std::vector<TSNode>& nodes = found->second;  // in document order
  auto after = std::partition_point(
      nodes.begin(), nodes.end(),
      [&](TSNode node) { return ts_node_start_byte(node) < before; });
  return after == nodes.begin() ? TSNode{} : *(after - 1);
}

Lineage TraceLineage(const PythonSource& source, TSNode expression,
                     const ReadTarget& target,
                     const std::vector<std::string>& wrappers,
                     const AssignmentIndex* index) {
  std::optional<AssignmentIndex> own;
  if (index == nullptr) index = &own.emplace(source);
  Lineage lineage;
  uint32_t before = ts_node_start_byte(expression);
  int names = 0;
  TSNode node = expression;
  while (!ts_node_is_null(node)) {
    if (IsType(node, "parenthesized_expression")) {
      TSNode inner{};
      for (uint32_t i = ts_node_named_child_count(node); i-- > 0;) {
        TSNode child = ts_node_named_child(node, i);
        if (!IsType(child, "comment")) inner = child;
      }
      node = inner;
    } else if (IsType(node, "attribute") && IsDataFrameAccessor(source, node)) {
      node = Field(node, "object");
    } else if (IsType(node, "call")) {
      lineage.calls.push_back(node);
      if (IsReadOf(source, node, target)) {
        lineage.reads_target = true;
        return lineage;
      }
      if (IsAnyRead(source, node)) return lineage;
      TSNode function = Field(node, "function");
      if (std::find(wrappers.begin(), wrappers.end(), source.Text(function)) !=
          wrappers.end()) {
        node = FirstArgument(node);
      } else if (IsType(function, "attribute")) {
        node = Field(function, "object");
      } else {
        return lineage;
      }
    } else if (IsType(node, "identifier") && ++names <= kMaxAliasDepth) {
      TSNode assignment = index->Last(source.Text(node), before);
      if (ts_node_is_null(assignment)) return lineage;
      before = ts_node_start_byte(assignment);
      node = Field(assignment, "right");
    } else {
      return lineage;
    }
  }
  return lineage;
}

}  // namespace prometheus::rewrite

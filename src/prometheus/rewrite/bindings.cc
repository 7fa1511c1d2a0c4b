#include "prometheus/rewrite/bindings.h"

#include <set>

namespace prometheus::rewrite {

namespace {

constexpr int kMaxAliasDepth = 8;

}  // namespace

bool ReadsTarget(const PythonSource& source, TSNode expression,
                 const ReadTarget& target) {
  static const std::set<std::string_view> kReaders = {
      "parquet", "csv", "json", "orc", "load", "text", "delta"};
  bool reads = false;
  Walk(expression, [&](TSNode node) {
    std::string_view method = MethodName(source, node);
    if (reads || method.empty()) return !reads;
    auto literal = PlainString(source, FirstArgument(node));
    if (!literal) return true;
    if (method == "table") {
      reads = target.table && *literal == *target.table;
    } else if (kReaders.contains(method)) {
      reads = target.path && *literal == *target.path;
    }
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

}  // namespace prometheus::rewrite

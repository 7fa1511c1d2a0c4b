#include "prometheus/rewrite/repartition_fix.h"

#include <algorithm>
#include <set>
#include <string_view>
#include <vector>

#include "prometheus/rewrite/bindings.h"

namespace prometheus::rewrite {
namespace {

bool IsGroupingName(std::string_view method) {
  return method == "groupBy" || method == "groupby" || method == "rollup" ||
         method == "cube";
}

// Where `.repartition(...)` goes: after `receiver`, before `anchor`'s name.
struct WideOperation {
  TSNode anchor{};    // the call, or the `.write` attribute of a write chain
  TSNode receiver{};  // null when the receiver is not in the expression
  std::string what;   // "groupBy", "write", ...
  uint32_t line = 0;  // of the method name
};

uint32_t NameLine(TSNode anchor) {
  TSNode name = IsType(anchor, "call")
                    ? Field(Field(anchor, "function"), "attribute")
                    : Field(anchor, "attribute");
  return ts_node_start_point(name).row + 1;
}

// The `.write` attribute or `.writeTo(...)` call under `call`'s chain of
// calls and attributes (`call` itself included), else a null node.
TSNode Writer(const PythonSource& source, TSNode call) {
  for (TSNode node = call; IsType(node, "attribute") || IsType(node, "call");
       node = IsType(node, "call") ? Field(node, "function")
                                   : Field(node, "object")) {
    if (IsType(node, "attribute") &&
        source.Text(Field(node, "attribute")) == "write") {
      return node;
    }
    if (MethodName(source, node) == "writeTo") return node;
  }
  return TSNode{};
}

// `str.join` and `os.path.join` share the DataFrame method's name.
bool IsPathOrStringJoin(const PythonSource& source, TSNode receiver) {
  static const std::set<std::string_view> kPathModules = {
      "os.path", "posixpath", "ntpath", "path"};
  return IsType(receiver, "string") ||
         IsType(receiver, "concatenated_string") ||
         kPathModules.contains(source.Text(receiver));
}

std::optional<WideOperation> WideOperationOf(const PythonSource& source,
                                             TSNode call) {
  static const std::set<std::string_view> kWide = {"distinct", "dropDuplicates",
                                                   "drop_duplicates", "join"};
  std::string_view method = MethodName(source, call);
  if (method.empty()) return std::nullopt;
  if (TSNode writer = Writer(source, call); !ts_node_is_null(writer)) {
    if (IsType(writer, "call")) {
      return WideOperation{writer, Receiver(writer), "writeTo",
                           NameLine(writer)};
    }
    return WideOperation{writer, Field(writer, "object"), "write",
                         NameLine(writer)};
  }
  if (TSNode group = GroupingCall(source, call); !ts_node_is_null(group)) {
    return WideOperation{group, Receiver(group),
                         std::string(MethodName(source, group)),
                         NameLine(group)};
  }
  if (method == "saveAsTable" || method == "insertInto") {
    return WideOperation{call, TSNode{}, std::string(method), NameLine(call)};
  }
  if (!kWide.contains(method)) return std::nullopt;
  if (method == "join" && !IsDataFrameJoin(source, call)) return std::nullopt;
  return WideOperation{call, Receiver(call), std::string(method),
                       NameLine(call)};
}

// The first plain-string column among a call's positional arguments and the
// elements of a list argument.
TSNode FirstStringColumn(const PythonSource& source, TSNode call) {
  for (uint32_t i = 0; !ts_node_is_null(Argument(call, i)); ++i) {
    TSNode argument = Argument(call, i);
    if (PlainString(source, argument)) return argument;
    if (!IsType(argument, "list")) continue;
    for (uint32_t k = 0; k < ts_node_named_child_count(argument); ++k) {
      TSNode element = ts_node_named_child(argument, k);
      if (PlainString(source, element)) return element;
    }
  }
  return TSNode{};
}

// The key's source text: the target's, else the groupBy's or the write
// chain's partitionBy's first plain-string column (quoted as the file
// quotes it), else "".
std::string KeyText(const PythonSource& source, const WideOperation& wide,
                    const std::optional<std::string>& key) {
  if (key) return PythonStringLiteral(*key);
  TSNode column{};
  if (IsType(wide.anchor, "call") &&
      IsGroupingName(MethodName(source, wide.anchor))) {
    column = FirstStringColumn(source, wide.anchor);
  } else if (wide.what == "write") {
    // Up the chain: `.write` is the object of `.mode`, `.partitionBy`...
    for (TSNode node = wide.anchor, parent = ts_node_parent(node);
         !ts_node_is_null(parent) && ts_node_is_null(column);
         node = parent, parent = ts_node_parent(parent)) {
      bool chained = (IsType(parent, "attribute") &&
                      ts_node_eq(Field(parent, "object"), node)) ||
                     (IsType(parent, "call") &&
                      ts_node_eq(Field(parent, "function"), node));
      if (!chained) break;
      if (MethodName(source, parent) == "partitionBy") {
        column = FirstStringColumn(source, parent);
      }
    }
  }
  return ts_node_is_null(column) ? "" : std::string(source.Text(column));
}

// The .repartition/.repartitionByRange/.coalesce call the receiver is, or
// the one that ends the right-hand side of the name's last assignment
// (`df = df.repartition(8)` then `df.groupBy(...)`), else a null node.
TSNode Repartitioned(const PythonSource& source, TSNode receiver) {
  static const std::set<std::string_view> kRepartitions = {
      "repartition", "repartitionByRange", "coalesce"};
  if (IsType(receiver, "identifier")) {
    TSNode assignment = LastAssignment(source, source.Text(receiver),
                                       ts_node_start_byte(receiver));
    if (!ts_node_is_null(assignment)) receiver = Field(assignment, "right");
  }
  while (IsType(receiver, "parenthesized_expression")) {
    receiver = ts_node_named_child(receiver, 0);
  }
  return kRepartitions.contains(MethodName(source, receiver)) ? receiver
                                                              : TSNode{};
}

}  // namespace

TSNode Receiver(TSNode call) {
  TSNode function = Field(call, "function");
  return IsType(function, "attribute") ? Field(function, "object") : TSNode{};
}

bool IsDataFrameJoin(const PythonSource& source, TSNode call) {
  return MethodName(source, call) == "join" &&
         !IsPathOrStringJoin(source, Receiver(call));
}

TSNode GroupingCall(const PythonSource& source, TSNode call) {
  static const std::set<std::string_view> kGroupedMethods = {
      "agg", "avg",   "count", "max",           "mean",   "min",
      "sum", "pivot", "apply", "applyInPandas", "cogroup"};
  std::string_view method = MethodName(source, call);
  if (IsGroupingName(method)) return call;
  if (!kGroupedMethods.contains(method)) return TSNode{};
  TSNode receiver = Receiver(call);
  if (MethodName(source, receiver) == "pivot") receiver = Receiver(receiver);
  return IsGroupingName(MethodName(source, receiver)) ? receiver : TSNode{};
}

std::vector<TSNode> CallsOnLine(const PythonSource& source, uint32_t line) {
  std::vector<TSNode> calls;
  uint32_t row = line - 1;
  Walk(source.root(), [&](TSNode node) {
    if (ts_node_end_point(node).row < row ||
        ts_node_start_point(node).row > row) {
      return false;
    }
    if (IsType(node, "call")) calls.push_back(node);
    return true;
  });
  return calls;
}

Result<FixPlan> PlanRepartitionFix(const PythonSource& source,
                                   const RepartitionTarget& target) {
  if (target.line == 0) return Fail(ErrorCode::kNotFound,
                                    "the fix names no call-site line");
  if (target.partitions <= 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "the fix asks for {} partitions", target.partitions);
  }
  std::vector<WideOperation> found;
  for (TSNode call : CallsOnLine(source, target.line)) {
    auto wide = WideOperationOf(source, call);
    if (!wide) continue;
    bool seen = false;
    for (const auto& other : found)
      seen |= ts_node_eq(other.anchor, wide->anchor);
    if (!seen) found.push_back(*wide);
  }
  if (found.empty()) {
    return Fail(ErrorCode::kNotFound,
        "no wide operation (groupBy, distinct, dropDuplicates, join, write) "
        "on line {}",
        target.line);
  }
  if (found.size() > 1) {
    std::ranges::sort(found, {}, &WideOperation::line);
    std::string list;
    for (const auto& wide : found) {
      list += fmt::format("{}.{} (line {})", list.empty() ? "" : ", ",
                          wide.what, wide.line);
    }
    return Fail(ErrorCode::kInvalidArgument,
                "{} wide operations on line {}: {}; ambiguous", found.size(),
                target.line, list);
  }
  const WideOperation& wide = found[0];
  if (ts_node_is_null(wide.receiver)) {
    return Fail(ErrorCode::kNotFound,
        "line {}: .{}(...) is called on a writer built elsewhere; receiver "
        "not found",
        wide.line, wide.what);
  }
  if (TSNode present = Repartitioned(source, wide.receiver);
      !ts_node_is_null(present)) {
    return FixPlan{
        {},
        fmt::format("line {}: .{} already follows .{}{} (line {})", wide.line,
                    wide.what, MethodName(source, present),
                    source.Text(Field(present, "arguments")),
                    NameLine(present))};
  }
  std::string key = KeyText(source, wide, target.key);
  std::string call = fmt::format(".repartition({}{}{})", target.partitions,
                                 key.empty() ? "" : ", ", key);
  uint32_t at = ts_node_end_byte(wide.receiver);
  return FixPlan{{Edit{at, at, call}},
                 fmt::format("line {}: {} inserted before .{}", wide.line, call,
                             wide.what)};
}

}  // namespace prometheus::rewrite

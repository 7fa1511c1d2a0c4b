#include "prometheus/rewrite/broadcast_fix.h"

#include <set>
#include <vector>

#include "prometheus/rewrite/bindings.h"
#include "prometheus/rewrite/sql_hint.h"

namespace prometheus::rewrite {
namespace {

// `callee` is how this file calls broadcast (`bc` after `import broadcast as
// bc`).
bool IsBroadcastCall(const PythonSource& source, TSNode node,
                     std::string_view callee) {
  if (!IsType(node, "call")) return false;
  std::string_view function = source.Text(Field(node, "function"));
  return function == "broadcast" || function.ends_with(".broadcast") ||
         function == callee;
}

// How to call broadcast in this file, and the import edit it needs, if any.
Result<std::pair<std::string, std::optional<Edit>>> BroadcastCallee(
    const PythonSource& source) {
  TSNode root = source.root();
  uint32_t after_imports = 0;
  bool shadowed = false;
  for (uint32_t i = 0; i < ts_node_named_child_count(root); ++i) {
    TSNode statement = ts_node_named_child(root, i);
    if (IsType(statement, "import_from_statement")) {
      after_imports = source.EndOfLine(ts_node_end_byte(statement));
      std::string_view module = source.Text(Field(statement, "module_name"));
      for (uint32_t k = 0; k < ts_node_named_child_count(statement); ++k) {
        TSNode name = ts_node_named_child(statement, k);
        if (IsType(name, "wildcard_import") &&
            module == "pyspark.sql.functions") {
          return std::pair{std::string("broadcast"), std::optional<Edit>()};
        }
        std::string_view imported = source.Text(name), alias = imported;
        if (IsType(name, "aliased_import")) {
          imported = source.Text(Field(name, "name"));
          alias = source.Text(Field(name, "alias"));
        }
        if (ts_node_eq(name, Field(statement, "module_name"))) continue;
        if (module == "pyspark.sql.functions" && imported == "broadcast") {
          return std::pair{std::string(alias), std::optional<Edit>()};
        }
        if (module == "pyspark.sql" && imported == "functions") {
          return std::pair{std::string(alias) + ".broadcast",
                           std::optional<Edit>()};
        }
      }
    } else if (IsType(statement, "import_statement") ||
               IsType(statement, "future_import_statement")) {
      after_imports = source.EndOfLine(ts_node_end_byte(statement));
      for (uint32_t k = 0; k < ts_node_named_child_count(statement); ++k) {
        TSNode name = ts_node_named_child(statement, k);
        if (IsType(name, "aliased_import") &&
            source.Text(Field(name, "name")) == "pyspark.sql.functions") {
          return std::pair{
              std::string(source.Text(Field(name, "alias"))) + ".broadcast",
              std::optional<Edit>()};
        }
      }
    } else if (IsType(statement, "function_definition")) {
      shadowed |= source.Text(Field(statement, "name")) == "broadcast";
    } else if (TSNode assignment = ts_node_named_child(statement, 0);
               IsType(statement, "expression_statement") &&
               IsType(assignment, "assignment")) {
      shadowed |= source.Text(Field(assignment, "left")) == "broadcast";
    }
  }
  if (shadowed)
    return Fail(
        "`broadcast` is defined in the file; adding the import would shadow "
        "it");
  std::string line =
      "from pyspark.sql.functions import broadcast" + source.Newline();
  if (after_imports == source.text().size() && !source.text().ends_with("\n")) {
    line = source.Newline() + line;
  }
  return std::pair{
      std::string("broadcast"),
      std::optional<Edit>(Edit{after_imports, after_imports, line})};
}

}  // namespace

Result<FixPlan> PlanBroadcastFix(const PythonSource& source,
                                 const BroadcastTarget& target) {
  if (!target.table && !target.path)
    return Fail("the fix names neither a table nor a path");
  std::string what = target.table ? fmt::format("table {}", *target.table)
                                  : fmt::format("path {}", *target.path);
  uint32_t row = target.line - 1;
  std::vector<TSNode> joins;
  Walk(source.root(), [&](TSNode node) {
    if (ts_node_end_point(node).row < row ||
        ts_node_start_point(node).row > row)
      return false;
    if (MethodName(source, node) == "join") joins.push_back(node);
    return true;
  });
  if (joins.empty() && target.table && HasSqlCall(source, target.line)) {
    return PlanSqlBroadcastFix(source, *target.table, target.line);
  }
  if (joins.empty()) return Fail("no .join(...) call on line {}", target.line);
  auto callee = BroadcastCallee(source);
  std::string_view callee_name =
      callee ? std::string_view(callee->first) : "broadcast";
  std::vector<TSNode> matches;
  for (TSNode join : joins) {
    TSNode left = Field(Field(join, "function"), "object");
    TSNode right = FirstArgument(join);
    for (TSNode side : {left, right}) {
      if (ts_node_is_null(side)) continue;
      if (IsBroadcastCall(source, side, callee_name) &&
          BoundToTarget(source, FirstArgument(side), target)) {
        return FixPlan{{},
                       fmt::format("line {}: the {} side is already broadcast",
                                   target.line, what)};
      }
      if (BoundToTarget(source, side, target)) matches.push_back(side);
    }
  }
  if (matches.empty()) {
    return Fail(
        "no side of the {} join(s) at line {} is a simple name read from {}",
        joins.size(), target.line, what);
  }
  if (matches.size() > 1) {
    return Fail("{} join sides at line {} read {}; ambiguous", matches.size(),
                target.line, what);
  }
  if (!callee) return std::unexpected(callee.error());
  TSNode side = matches[0];
  FixPlan plan;
  if (callee->second) plan.edits.push_back(*callee->second);
  plan.edits.push_back(Edit{ts_node_start_byte(side), ts_node_start_byte(side),
                            callee->first + "("});
  plan.edits.push_back(
      Edit{ts_node_end_byte(side), ts_node_end_byte(side), ")"});
  plan.note = fmt::format("line {}: {} wrapped in {}(...)",
                          ts_node_start_point(side).row + 1, source.Text(side),
                          callee->first);
  return plan;
}

}  // namespace prometheus::rewrite

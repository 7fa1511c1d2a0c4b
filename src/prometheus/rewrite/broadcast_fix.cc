#include "prometheus/rewrite/broadcast_fix.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "prometheus/rewrite/bindings.h"
#include "prometheus/rewrite/imports.h"
#include "prometheus/rewrite/sql_hint.h"

namespace prometheus::rewrite {
namespace {

constexpr std::string_view kFunctions = "pyspark.sql.functions";

// A side of a `.join(...)` whose lineage reads the target.
struct SideMatch {
  TSNode side;
  bool already = false;  // broadcast() or a broadcast .hint() on its lineage
};

uint32_t Line(TSNode node) { return ts_node_start_point(node).row + 1; }

// `.hint("broadcast")`, "BROADCASTJOIN", "mapjoin" and so on.
bool IsBroadcastHint(const PythonSource& source, TSNode call) {
  if (MethodName(source, call) != "hint") return false;
  auto name = PlainString(source, FirstArgument(call));
  if (!name) return false;
  for (char& c : *name)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return *name == "broadcast" || *name == "broadcastjoin" || *name == "mapjoin";
}

// The DataFrame joined in `left.join(other, ...)`: positional or `other=`.
TSNode OtherSide(const PythonSource& source, TSNode join) {
  if (TSNode first = FirstArgument(join); !ts_node_is_null(first)) return first;
  TSNode args = Field(join, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
    TSNode arg = ts_node_named_child(args, i);
    if (IsType(arg, "keyword_argument") &&
        source.Text(Field(arg, "name")) == "other") {
      return Field(arg, "value");
    }
  }
  return TSNode{};
}

// True when a call site reported at 0-based `row` can be `join`: the row is
// within the span of the method chain the join starts (3.6/3.7 report an
// inner method's line, 3.10+ the action's), or is the first row of its
// statement (3.8/3.9 report where the expression starts).
bool JoinAtRow(TSNode join, uint32_t row) {
  TSNode top = join;
  for (TSNode parent = ts_node_parent(top); !ts_node_is_null(parent);
       parent = ts_node_parent(top)) {
    bool receiver =
        IsType(parent, "attribute") && ts_node_eq(Field(parent, "object"), top);
    bool callee =
        IsType(parent, "call") && ts_node_eq(Field(parent, "function"), top);
    if (!receiver && !callee && !IsType(parent, "parenthesized_expression"))
      break;
    top = parent;
  }
  if (ts_node_start_point(join).row <= row && row <= ts_node_end_point(top).row)
    return true;
  TSNode statement = join;
  for (TSNode parent = ts_node_parent(statement); !ts_node_is_null(parent);
       parent = ts_node_parent(statement)) {
    if (IsType(parent, "block") || IsType(parent, "module")) break;
    statement = parent;
  }
  return ts_node_start_point(statement).row == row;
}

// Adds the `.join(...)` calls under `node` that match `line` (every one when
// it is 0), skipping statements that neither span nor start on the line.
void CollectJoins(const PythonSource& source, TSNode node, uint32_t line,
                  std::vector<TSNode>& joins) {
  bool statements = IsType(node, "module") || IsType(node, "block");
  for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
    TSNode child = ts_node_child(node, i);
    if (statements && line != 0 &&
        (ts_node_end_point(child).row + 1 < line ||
         ts_node_start_point(child).row + 1 > line)) {
      continue;
    }
    if (MethodName(source, child) == "join" &&
        !IsType(Field(Field(child, "function"), "object"), "string") &&
        (line == 0 || JoinAtRow(child, line - 1))) {
      joins.push_back(child);
    }
    CollectJoins(source, child, line, joins);
  }
}

std::vector<TSNode> Joins(const PythonSource& source, uint32_t line) {
  std::vector<TSNode> joins;
  CollectJoins(source, source.root(), line, joins);
  return joins;
}

std::vector<SideMatch> MatchSides(const PythonSource& source,
                                  const std::vector<TSNode>& joins,
                                  const BroadcastTarget& target) {
  std::vector<SideMatch> matches;
  if (joins.empty()) return matches;
  std::vector<std::string> wrappers =
      SymbolSpellings(source, kFunctions, "broadcast");
  AssignmentIndex index(source);
  for (TSNode join : joins) {
    for (TSNode side :
         {Field(Field(join, "function"), "object"), OtherSide(source, join)}) {
      if (ts_node_is_null(side)) continue;
      Lineage lineage = TraceLineage(source, side, target, wrappers, &index);
      if (!lineage.reads_target) continue;
      bool already = std::any_of(
          lineage.calls.begin(), lineage.calls.end(), [&](TSNode call) {
            std::string_view function = source.Text(Field(call, "function"));
            return IsBroadcastHint(source, call) ||
                   std::find(wrappers.begin(), wrappers.end(), function) !=
                       wrappers.end();
          });
      matches.push_back(SideMatch{side, already});
    }
  }
  return matches;
}

Result<FixPlan> PlanSide(const PythonSource& source, const SideMatch& match,
                         std::string_view what) {
  TSNode side = match.side;
  if (match.already) {
    return FixPlan{{},
                   fmt::format("line {}: the {} side is already broadcast",
                               Line(side), what)};
  }
  PROM_ASSIGN_OR_RETURN(
      ImportedSymbol callee,
      ImportSymbol(source, kFunctions, "broadcast", ts_node_start_byte(side)));
  FixPlan plan;
  if (callee.edit) plan.edits.push_back(*callee.edit);
  plan.edits.push_back(Edit{ts_node_start_byte(side), ts_node_start_byte(side),
                            callee.callee + "("});
  plan.edits.push_back(
      Edit{ts_node_end_byte(side), ts_node_end_byte(side), ")"});
  plan.note = fmt::format("line {}: {} wrapped in {}(...)", Line(side),
                          source.Text(side), callee.callee);
  return plan;
}

// Line 0: the one join side or spark.sql literal in the file that joins the
// target.
Result<FixPlan> PlanWholeFile(const PythonSource& source,
                              const BroadcastTarget& target,
                              std::string_view what) {
  std::vector<SideMatch> matches = MatchSides(source, Joins(source, 0), target);
  std::vector<SqlCandidate> queries;
  if (target.table) queries = SqlBroadcastCandidates(source, *target.table);
  if (matches.size() + queries.size() == 1) {
    if (matches.empty()) return std::move(queries[0].plan);
    return PlanSide(source, matches[0], what);
  }
  if (matches.empty() && queries.empty()) return Fail(ErrorCode::kNotFound,
                                                      "no join reads {}", what);
  std::vector<uint32_t> lines;
  for (const SideMatch& match : matches) lines.push_back(Line(match.side));
  for (const SqlCandidate& query : queries) lines.push_back(query.line);
  std::sort(lines.begin(), lines.end());
  return Fail(ErrorCode::kInvalidArgument,
              "joins on lines {} read {}; ambiguous without a call-site line",
              fmt::join(lines, ", "), what);
}

}  // namespace

Result<FixPlan> PlanBroadcastFix(const PythonSource& source,
                                 const BroadcastTarget& target) {
  if (!target.table && !target.path)
    return Fail(ErrorCode::kInvalidArgument,
                "the fix names neither a table nor a path");
  std::string what = target.table ? fmt::format("table {}", *target.table)
                                  : fmt::format("path {}", *target.path);
  if (target.line == 0) return PlanWholeFile(source, target, what);
  std::vector<TSNode> joins = Joins(source, target.line);
  std::vector<SideMatch> matches = MatchSides(source, joins, target);
  if (matches.empty() && target.table && HasSqlCall(source, target.line)) {
    return PlanSqlBroadcastFix(source, *target.table, target.line);
  }
  if (joins.empty()) return Fail(ErrorCode::kNotFound,
                                 "no .join(...) call on line {}", target.line);
  if (matches.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no side of the {} join(s) at line {} reads {}", joins.size(),
                target.line, what);
  }
  bool all_already =
      std::all_of(matches.begin(), matches.end(),
                  [](const SideMatch& match) { return match.already; });
  if (matches.size() > 1 && !all_already) {
    return Fail(ErrorCode::kInvalidArgument,
                "{} join sides at line {} read {}; ambiguous", matches.size(),
                target.line, what);
  }
  return PlanSide(source, matches[0], what);
}

}  // namespace prometheus::rewrite

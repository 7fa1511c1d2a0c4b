#include "prometheus/rewrite/broadcast_fix.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "prometheus/rewrite/bindings.h"
#include "prometheus/rewrite/imports.h"
#include "prometheus/rewrite/join_lineage.h"
#include "prometheus/rewrite/join_type.h"
#include "prometheus/rewrite/sql_hint.h"

namespace prometheus::rewrite {
namespace {

constexpr std::string_view kFunctions = "pyspark.sql.functions";

// A side of a `.join(...)` whose lineage reads the target.
struct SideMatch {
  TSNode join;
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

TSNode LeftSide(TSNode join) {
  return Field(Field(join, "function"), "object");
}

fix::JoinSide SideOf(TSNode join, TSNode side) {
  return ts_node_eq(side, LeftSide(join)) ? fix::JoinSide::kLeft
                                          : fix::JoinSide::kRight;
}

// The line of the `.join` name of a join call, where a reason points.
uint32_t JoinLine(TSNode join) {
  return Line(Field(Field(join, "function"), "attribute"));
}

// Fails when the join's type (join_type.h) keeps `side` whole, so Spark
// cannot broadcast it, or when the code's join type cannot be read.
Status CheckBroadcastable(const PythonSource& source, TSNode join,
                          fix::JoinSide side) {
  TSNode how = JoinHow(source, join);
  std::optional<JoinType> type = JoinType::kInner;
  if (!ts_node_is_null(how)) {
    std::optional<std::string> spelled = PlainString(source, how);
    if (!spelled) {
      return Fail(ErrorCode::kInvalidArgument,
                  "line {}: the join type {} is not a string literal, so the "
                  "{} side may be one Spark cannot broadcast; nothing changed",
                  Line(how), source.Text(how), fix::JoinSideName(side));
    }
    type = JoinTypeNamed(*spelled);
    if (!type) {
      return Fail(ErrorCode::kInvalidArgument,
                  "line {}: unknown join type \"{}\"; nothing changed",
                  Line(how), *spelled);
    }
  }
  if (!CanBroadcast(*type, side)) {
    return Fail(ErrorCode::kInvalidArgument,
                "line {}: a {} join keeps its {} side whole and Spark cannot "
                "broadcast it; nothing changed",
                JoinLine(join), JoinTypeName(*type), fix::JoinSideName(side));
  }
  return Ok();
}

// `node` without the broadcast around it: `broadcast(x)`, `x.hint(
// "broadcast")` and `(x)` give `x`.
TSNode Unwrapped(const PythonSource& source, TSNode node,
                 const std::vector<std::string>& wrappers) {
  while (!ts_node_is_null(node)) {
    if (IsType(node, "parenthesized_expression") &&
        ts_node_named_child_count(node) == 1) {
      node = ts_node_named_child(node, 0);
    } else if (IsType(node, "call") &&
               std::find(wrappers.begin(), wrappers.end(),
                         source.Text(Field(node, "function"))) !=
                   wrappers.end() &&
               !ts_node_is_null(FirstArgument(node))) {
      node = FirstArgument(node);
    } else if (IsType(node, "call") && IsBroadcastHint(source, node)) {
      node = Field(Field(node, "function"), "object");
    } else {
      return node;
    }
  }
  return node;
}

// What a join does, broadcasts aside: its sides' text without a broadcast
// around them, its condition's text and its join type. Two joins with the
// same shape are the same join to a reader of the code.
std::string Shape(const PythonSource& source, TSNode join,
                  const std::vector<std::string>& wrappers) {
  // The text of a node, empty for an absent one.
  auto text = [&](TSNode node) {
    return ts_node_is_null(node) ? std::string_view() : source.Text(node);
  };
  TSNode how = JoinHow(source, join);
  std::string type(text(how));
  if (auto spelled = PlainString(source, how)) {
    if (auto named = JoinTypeNamed(*spelled)) type = JoinTypeName(*named);
  }
  return fmt::format("{}\x1f{}\x1f{}\x1f{}",
                     text(Unwrapped(source, LeftSide(join), wrappers)),
                     text(Unwrapped(source, OtherSide(source, join), wrappers)),
                     text(JoinCondition(source, join)), type);
}

// Fails when another join in the file is the same as `match.join` and
// already broadcasts the same side: the call site's line cannot tell the two
// apart (an earlier run of this fix may have moved the lines by adding an
// import), and editing this one would hint the same join twice.
Status CheckNoHintedTwin(const PythonSource& source, const SideMatch& match,
                         const std::vector<TSNode>& all_joins) {
  std::vector<std::string> wrappers =
      SymbolSpellings(source, kFunctions, "broadcast");
  std::string shape = Shape(source, match.join, wrappers);
  fix::JoinSide side = SideOf(match.join, match.side);
  for (TSNode twin : all_joins) {
    if (ts_node_eq(twin, match.join) || Shape(source, twin, wrappers) != shape)
      continue;
    TSNode twin_side = side == fix::JoinSide::kLeft ? LeftSide(twin)
                                                    : OtherSide(source, twin);
    if (ts_node_is_null(twin_side) ||
        ts_node_eq(Unwrapped(source, twin_side, wrappers), twin_side)) {
      continue;
    }
    return Fail(ErrorCode::kInvalidArgument,
                "the join on line {} is the same as the one on line {}, which "
                "already broadcasts its {} side; the call site cannot tell "
                "them apart, nothing changed",
                JoinLine(match.join), JoinLine(twin), fix::JoinSideName(side));
  }
  return Ok();
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

// True when the lineage of a join side already asks for a broadcast.
bool AlreadyBroadcast(const PythonSource& source, const Lineage& lineage,
                      const std::vector<std::string>& wrappers) {
  return std::any_of(
      lineage.calls.begin(), lineage.calls.end(), [&](TSNode call) {
        std::string_view function = source.Text(Field(call, "function"));
        return IsBroadcastHint(source, call) ||
               std::find(wrappers.begin(), wrappers.end(), function) !=
                   wrappers.end();
      });
}

std::vector<SideMatch> MatchSides(const PythonSource& source,
                                  const std::vector<TSNode>& joins,
                                  const BroadcastTarget& target) {
  std::vector<SideMatch> matches;
  if (joins.empty() || (!target.table && !target.path)) return matches;
  std::vector<std::string> wrappers =
      SymbolSpellings(source, kFunctions, "broadcast");
  AssignmentIndex index(source);
  for (TSNode join : joins) {
    for (TSNode side :
         {Field(Field(join, "function"), "object"), OtherSide(source, join)}) {
      if (ts_node_is_null(side)) continue;
      Lineage lineage = TraceLineage(source, side, target, wrappers, &index);
      if (!lineage.reads_target) continue;
      matches.push_back(
          SideMatch{join, side, AlreadyBroadcast(source, lineage, wrappers)});
    }
  }
  return matches;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True when the join's condition can be on `keys`: it spells every key
// (case aside), or it spells no name the code shows.
bool KeysFit(const PythonSource& source, TSNode join,
             const std::vector<std::string>& keys) {
  std::vector<std::string> names = JoinConditionNames(source, join);
  if (names.empty() || keys.empty()) return true;
  for (std::string& name : names) name = Lower(name);
  return std::all_of(keys.begin(), keys.end(), [&](const std::string& key) {
    return std::find(names.begin(), names.end(), Lower(key)) != names.end();
  });
}

std::string JoinLines(const std::vector<TSNode>& joins) {
  std::vector<uint32_t> lines;
  for (TSNode join : joins) lines.push_back(Line(join));
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  return fmt::format("{}", fmt::join(lines, ", "));
}

// The target's side of the one join among `joins` whose condition fits
// the target's keys.
Result<SideMatch> MatchBySide(const PythonSource& source,
                              const std::vector<TSNode>& joins,
                              const BroadcastTarget& target,
                              std::string_view where) {
  std::vector<TSNode> fitting;
  for (TSNode join : joins) {
    if (KeysFit(source, join, target.join_keys)) fitting.push_back(join);
  }
  std::string keys =
      target.join_keys.empty()
          ? std::string()
          : fmt::format(" on {}", fmt::join(target.join_keys, ", "));
  if (fitting.empty()) {
    return Fail(ErrorCode::kNotFound,
                "none of the joins {} (lines {}) is{}", where,
                JoinLines(joins), keys);
  }
  if (fitting.size() > 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "joins on lines {} {} fit{}; ambiguous, nothing changed",
                JoinLines(fitting), where, keys);
  }
  TSNode join = fitting[0];
  TSNode side = *target.side == fix::JoinSide::kLeft
                    ? Field(Field(join, "function"), "object")
                    : OtherSide(source, join);
  if (ts_node_is_null(side)) {
    return Fail(ErrorCode::kNotFound, "the join on line {} has no {} side",
                Line(join), fix::JoinSideName(*target.side));
  }
  std::vector<std::string> wrappers =
      SymbolSpellings(source, kFunctions, "broadcast");
  Lineage lineage = TraceLineage(source, side, ReadTarget{}, wrappers);
  return SideMatch{join, side, AlreadyBroadcast(source, lineage, wrappers)};
}

Result<FixPlan> PlanSide(const PythonSource& source, const SideMatch& match,
                         std::string_view what) {
  TSNode side = match.side;
  if (match.already) {
    return FixPlan{{},
                   fmt::format("line {}: the {} side is already broadcast",
                               Line(side), what)};
  }
  PROM_TRY(CheckBroadcastable(source, match.join, SideOf(match.join, side)));
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

// The joins of `type` (their `how` a literal; none is inner); all of them
// without a type.
std::vector<TSNode> OfType(const PythonSource& source,
                           std::vector<TSNode> joins,
                           std::optional<JoinType> type) {
  if (!type) return joins;
  std::erase_if(joins, [&](TSNode join) {
    TSNode how = JoinHow(source, join);
    std::optional<std::string> spelled =
        ts_node_is_null(how) ? std::optional<std::string>("")
                             : PlainString(source, how);
    return !spelled || JoinTypeNamed(*spelled) != type;
  });
  return joins;
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
  bool named = target.table || target.path;
  if (!named && !target.side)
    return Fail(ErrorCode::kInvalidArgument,
                "the fix names neither a table, a path nor a side");
  std::string what =
      target.table  ? fmt::format("table {}", *target.table)
      : target.path ? fmt::format("path {}", *target.path)
                    : fmt::format("the {} side", fix::JoinSideName(*target.side));
  if (target.line == 0) {
    if (!named) {
      return Fail(ErrorCode::kNotFound,
                  "{} names no data: its join is found only from a call-site "
                  "line",
                  what);
    }
    return PlanWholeFile(source, target, what);
  }
  std::vector<TSNode> joins = OfType(source, Joins(source, target.line),
                                     target.only_join_type);
  std::vector<SideMatch> matches = MatchSides(source, joins, target);
  if (matches.empty() && !target.only_join_type &&
      HasSqlCall(source, target.line)) {
    if (target.table) {
      auto by_name = PlanSqlBroadcastFix(source, *target.table, target.line);
      if (by_name || !target.side ||
          by_name.error().code != ErrorCode::kNotFound)
        return by_name;
    }
    // A side the log names as the SQL does not (a temporary view over a
    // path) is placed by side only on a join whose condition spells the
    // keys; a side the log cannot name, on the one join that fits.
    if (target.side) {
      return PlanSqlBroadcastFixBySide(source, *target.side, target.join_keys,
                                       named, target.line);
    }
  }
  std::string where = fmt::format("at line {}", target.line);
  bool behind = joins.empty();
  if (behind) {
    // The line of the action: the joins whose results it uses.
    joins = OfType(source, JoinsBehind(source, target.line),
                   target.only_join_type);
    matches = MatchSides(source, joins, target);
    where = fmt::format("behind line {}", target.line);
  }
  if (joins.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no .join(...) call on line {} nor behind it", target.line);
  }
  if (matches.size() > 1) {
    // The same data joined twice: the keys may tell the joins apart.
    std::vector<SideMatch> fitting;
    for (const SideMatch& match : matches) {
      if (KeysFit(source, match.join, target.join_keys))
        fitting.push_back(match);
    }
    if (!fitting.empty()) matches = std::move(fitting);
  }
  if (matches.empty() && target.side) {
    PROM_ASSIGN_OR_RETURN(SideMatch match,
                          MatchBySide(source, joins, target, where));
    matches.push_back(match);
  }
  if (matches.empty()) {
    return Fail(ErrorCode::kNotFound, "no side of the {} join(s) {} reads {}",
                joins.size(), where, what);
  }
  bool all_already =
      std::all_of(matches.begin(), matches.end(),
                  [](const SideMatch& match) { return match.already; });
  if (matches.size() > 1 && !all_already) {
    std::vector<TSNode> found;
    for (const SideMatch& match : matches) found.push_back(match.join);
    return Fail(ErrorCode::kInvalidArgument,
                "{} join sides {} read {} (joins on lines {}); ambiguous",
                matches.size(), where, what, JoinLines(found));
  }
  // A join on the line itself may be the twin of one this fix hinted in an
  // earlier run, its import having moved the lines; a join behind an action
  // is told from its twins by the names the action follows.
  if (!behind && !matches[0].already)
    PROM_TRY(CheckNoHintedTwin(source, matches[0], Joins(source, 0)));
  PROM_ASSIGN_OR_RETURN(FixPlan plan, PlanSide(source, matches[0], what));
  if (behind) {
    plan.note += fmt::format(" (the join behind the action on line {})",
                             target.line);
  }
  return plan;
}

}  // namespace prometheus::rewrite

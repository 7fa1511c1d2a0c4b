// The `broadcast_hint` fix: wrap the small side of a join in broadcast().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/fix/fix.h"
#include "prometheus/rewrite/bindings.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/join_type.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// The small side as the plan names it, and where the event log saw the join.
struct BroadcastTarget : ReadTarget {
  uint32_t line = 0;  // 1-based call-site line; 0 when the log gave none
  std::optional<fix::JoinSide> side;   // the small side, in code order
  std::vector<std::string> join_keys;  // the small side's keys
  // When set, only `.join(...)` calls of this type (their `how`, a literal;
  // none is inner) are considered: how fix_runner tells apart joins that
  // fit alike. Not a filter by default, since Spark's optimizer turns an
  // outer join whose outer rows a filter drops into an inner one.
  std::optional<JoinType> only_join_type;
};

// Finds the `.join(...)` calls the line can name: the line falls in the
// span of the method chain the join is part of (CPython 3.6/3.7 and 3.10+
// report a later method's line), or is the first line of the join's
// statement (3.8/3.9). Among their two sides, the one whose lineage
// (bindings.h TraceLineage: receiver chains, assignments, broadcast calls)
// reads the target is wrapped whole in broadcast(...); exactly one side
// must match, else it fails with the reason. A side whose lineage already
// has broadcast() or a broadcast `.hint(...)` gives no edits. When no join
// side matches and a `spark.sql(...)` call spans the line, the SQL path
// (sql_hint.h) places `/*+ BROADCAST(x) */` instead: by the table's name,
// else by the target's side on the join whose condition fits its keys. Line 0 searches the
// whole file: exactly one join side or spark.sql literal must match.
//
// The line is often the action's (`totals.collect()`), not the join's: when
// it holds no join, the joins behind it are taken (join_lineage.h
// JoinsBehind). When no side reads the target (the small side was built with
// createDataFrame, or read through a variable), or the target names no data,
// the target's `side` picks the side of the one join whose condition fits
// `join_keys` (JoinConditionNames; a condition that spells no name fits);
// several such joins are refused with their lines. A side alone needs a
// line. The callee and its import come from imports.h ImportSymbol.
Result<FixPlan> PlanBroadcastFix(const PythonSource& source,
                                 const BroadcastTarget& target);

}  // namespace prometheus::rewrite

// The `broadcast_hint` fix: wrap the small side of a join in broadcast().
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/bindings.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// The small side as the plan names it, and where the event log saw the join.
struct BroadcastTarget : ReadTarget {
  uint32_t line = 0;  // 1-based call-site line; 0 when the log gave none
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
// (sql_hint.h) places `/*+ BROADCAST(x) */` instead. Line 0 searches the
// whole file: exactly one join side or spark.sql literal must match.
// The callee and its import come from imports.h ImportSymbol.
Result<FixPlan> PlanBroadcastFix(const PythonSource& source,
                                 const BroadcastTarget& target);

}  // namespace prometheus::rewrite

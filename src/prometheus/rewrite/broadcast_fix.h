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
  uint32_t line = 0;  // 1-based call-site line
};

// When no `.join(...)` spans the line but a `spark.sql(...)` call does, the
// SQL path (sql_hint.h) places `/*+ BROADCAST(x) */` instead.
// Finds the `.join(...)` calls whose span holds the target line, and among
// their two sides the one that is a simple name (optionally `.alias(...)`)
// bound, through simple assignments, to a read of the target's table or
// path. Exactly one such side must exist; else fails with the reason.
// Reuses an existing broadcast import or functions alias (F.broadcast),
// else adds `from pyspark.sql.functions import broadcast` after the last
// top-level import. A side already wrapped in broadcast() gives no edits.
Result<FixPlan> PlanBroadcastFix(const PythonSource& source,
                                 const BroadcastTarget& target);

}  // namespace prometheus::rewrite

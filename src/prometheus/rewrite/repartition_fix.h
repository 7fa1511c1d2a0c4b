// The `repartition` fix: `.repartition(n[, "key"])` before the wide
// operation at the call site.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

struct RepartitionTarget {
  int64_t partitions = 0;
  // The column; when absent, the groupBy's or the writer's partitionBy's
  // first plain-string column is used, else none.
  std::optional<std::string> key;
  uint32_t line = 0;  // 1-based call-site line
};

// Finds, among the calls whose span holds the line (the line of a call's
// method name always lies in its span, REFACTOR §2.3), exactly one wide
// operation: .groupBy/.groupby/.rollup/.cube (also reached through the .agg,
// .count, .sum... called on it), .distinct, .dropDuplicates, .join, a
// `df.write` chain, .writeTo, or .saveAsTable/.insertInto. Inserts
// `.repartition(n, key)` between its receiver and it, only inserting text.
// A receiver that is already .repartition/.repartitionByRange/.coalesce
// (itself, or a name whose last assignment ends with one) gives no edits. Fails
// with the reason: no wide operation on the line, several, no receiver to
// repartition (a writer held in a variable).
Result<FixPlan> PlanRepartitionFix(const PythonSource& source,
                                   const RepartitionTarget& target);

// Shared with the salting sketch.
// The calls whose span holds the 1-based `line`, in document order.
std::vector<TSNode> CallsOnLine(const PythonSource& source, uint32_t line);
// The .groupBy/.groupby/.rollup/.cube call `call` is, or is called on
// (`g.agg(...)`, `g.pivot(...).sum(...)`), else a null node.
TSNode GroupingCall(const PythonSource& source, TSNode call);
// The receiver of `<object>.<name>(...)`, or a null node.
TSNode Receiver(TSNode call);
// True for a `.join(...)` call other than str.join and os.path.join.
bool IsDataFrameJoin(const PythonSource& source, TSNode call);

}  // namespace prometheus::rewrite

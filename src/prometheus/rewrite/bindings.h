// What a name in a PySpark file is bound to: the reads a DataFrame comes
// from, followed through simple assignments.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// The data a fix is about, as the plan names it.
struct ReadTarget {
  std::optional<std::string>
      table;  // read as spark.table("<table>") or spark.read.table(...)
  std::optional<std::string> path;  // read as spark.read....("<path>")
};

// True when `call` reads the target: `.table(t)` (a literal compared as
// SameTableName does; a built name as name_pattern.h TableMatches), a
// reader (`.parquet(p)`, `.load(p)`, ...) whose argument PathMatches the
// target's location, or `.sql("<plain string>")` whose only FROM/JOIN table
// is the target's.
bool IsReadOf(const PythonSource& source, TSNode call,
              const ReadTarget& target);

// True when `expression` contains a read of the target's table or path.
bool ReadsTarget(const PythonSource& source, TSNode expression,
                 const ReadTarget& target);

// The last `name = <expr>` that starts before byte `before` (any scope), or a
// null node.
TSNode LastAssignment(const PythonSource& source, std::string_view name,
                      uint32_t before);

// The name an expression refers to: `x` or `x.alias("...")`, else nullopt.
std::optional<std::string_view> SimpleName(const PythonSource& source,
                                           TSNode expression);

// True when `expression` is a simple name bound, through at most eight
// simple assignments (`small = dim`), to an expression that reads the target.
bool BoundToTarget(const PythonSource& source, TSNode expression,
                   const ReadTarget& target);

// The `name = <expr>` assignments of a file, indexed once for repeated
// lookups.
class AssignmentIndex {
 public:
  explicit AssignmentIndex(const PythonSource& source);
  // The same node as LastAssignment(source, name, before).
  TSNode Last(std::string_view name, uint32_t before) const;

 private:
  std::map<std::string, std::vector<TSNode>, std::less<>> by_name_;
};

// Where a DataFrame expression comes from, following its receiver chain
// (`x.select(...).alias("c")` → `x`, `x.na.fill(0)` → `x`), the first argument
// of a call spelled as one of the `wrappers` (`F.broadcast(x)` → `x`), and a
// name to the right side of its last assignment before (at most eight names),
// down to a read.
struct Lineage {
  bool reads_target = false;  // the chain ends at a read of the target
  std::vector<TSNode> calls;  // the calls met on the way, outermost first
};
Lineage TraceLineage(const PythonSource& source, TSNode expression,
                     const ReadTarget& target,
                     const std::vector<std::string>& wrappers = {},
                     const AssignmentIndex* index = nullptr);

}  // namespace prometheus::rewrite

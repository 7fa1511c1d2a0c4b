// What a name in a PySpark file is bound to: the reads a DataFrame comes
// from, followed through simple assignments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// The data a fix is about, as the plan names it.
struct ReadTarget {
  std::optional<std::string>
      table;  // read as spark.table("<table>") or spark.read.table(...)
  std::optional<std::string> path;  // read as spark.read....("<path>")
};

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

}  // namespace prometheus::rewrite

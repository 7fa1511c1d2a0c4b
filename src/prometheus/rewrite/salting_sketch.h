// The `salting` fix: unsafe, so described with a code sketch and never
// applied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

struct SaltingTarget {
  std::optional<std::string> key;  // the skewed key, when known
  int64_t buckets = 16;
  uint32_t line = 0;  // 0 when the log names no call site
};

// A Python sketch (comment lines, then code that CPython parses, ready to
// paste into a PR description) for salting the join or aggregation at the
// call site. When `source` is given and the line holds exactly one join or
// groupBy, it uses the names found there: the join's two sides, keys (the
// call's keys or condition, else the target's key) and type (salt the left side
// with rand, explode the right over the buckets, join on [key, "_salt"], drop
// "_salt"; only inner, left, semi and anti joins keep their results, which it
// says), or the groupBy's receiver, keys and aggregates (two phases, valid for
// sum, count, min and max only; other aggregates are named as not splittable).
// Else a generic sketch of both with placeholder names. Uses the file's
// pyspark.sql.functions alias, else `F` with its import line.
std::string SaltingSketch(const PythonSource* source,
                          const SaltingTarget& target);

}  // namespace prometheus::rewrite

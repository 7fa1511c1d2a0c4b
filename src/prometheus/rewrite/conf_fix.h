// The `conf` fix: `spark.conf.set("<key>", "<value>")` right after the
// statement that creates the SparkSession.
#pragma once

#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// True when the file creates a SparkSession (`SparkSession.builder ...
// .getOrCreate()`).
bool CreatesSparkSession(const PythonSource& source);

// Plans the setting: when a `<session>.conf.set("<key>", ...)` exists its
// value is replaced (nothing when it already is `value`); else a new line
// with the creating statement's indentation follows that statement (after
// any trailing comment). Fails, with the reason, when the file has no
// session creation or more than one.
Result<FixPlan> PlanConfFix(const PythonSource& source, std::string_view key,
                            std::string_view value);

}  // namespace prometheus::rewrite

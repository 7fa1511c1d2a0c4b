// The `conf` fix of a startup setting (fix::Applies::kStartup): a core or
// static setting, which Spark takes only when the session starts and
// refuses in `spark.conf.set` or SQL `SET` afterwards. It goes on the
// SparkSession builder, `.config("<key>", "<value>")` before
// `.getOrCreate()`.
#pragma once

#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// Plans the setting in a file that creates its session. An existing
// `.config("<key>", v)` on the builder is changed in place (nothing when it
// already says `value`); two are refused. A `spark.conf.set` of the key is
// left alone and the note says Spark refuses it; a SQL `SET` of it is no
// setting at all. Else `.config(...)` goes before the `.getOrCreate()` of
// the one session creation: on a line of its own with that call's
// indentation when `.getOrCreate()` starts its line (after a backslash
// continuation, the new line ends with one too), else on the same line.
// Fails, with the reason, when the file has no session creation or more
// than one.
Result<FixPlan> PlanBuilderConfigFix(const PythonSource& source,
                                     std::string_view key,
                                     std::string_view value);

}  // namespace prometheus::rewrite

// The `conf` fix of a runtime setting (fix::Applies::kRuntime):
// `spark.conf.set("<key>", "<value>")` right after the statement that
// creates the SparkSession, or in a notebook cell. Startup settings are
// builder_config_fix's.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/conf_settings.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// The key counts as already set when the file has `<x>.conf.set("<key>",
// v)`, `.config("<key>", v)` on a `SparkSession.builder` chain, or `SET
// <key>=v` in a plain `.sql("...")` literal. One such setting: the value
// literal of a conf.set or .config is replaced (nothing when it already is
// `value`); a SQL SET already saying `value` gives nothing, else a refusal
// naming its line. More than one setting is refused.

// Plans the setting: an existing one as above; else a new line with the
// creating statement's indentation follows that statement (after any
// trailing comment). Fails, with the reason, when the file has no session
// creation or more than one.
Result<FixPlan> PlanConfFix(const PythonSource& source, std::string_view key,
                            std::string_view value);

// The same for a notebook cell [cell_start, cell_end) where `spark` already
// exists: an existing setting anywhere in the file as above; else
// `spark.conf.set("<key>", "<value>")` on a new top-level line after the
// line of the last top-level import starting in the cell, else at the
// cell's start (after a `# DBTITLE` line and a leading docstring). A cell
// ending without a line break gets one before the new line.
Result<FixPlan> PlanConfFixInCell(const PythonSource& source,
                                  std::string_view key, std::string_view value,
                                  uint32_t cell_start, uint32_t cell_end);

}  // namespace prometheus::rewrite

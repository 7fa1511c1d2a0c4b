// Where a PySpark file creates its SparkSession and where it already sets a
// Spark setting: what the conf fixes read before they plan (conf_fix for
// runtime settings, builder_config_fix for startup ones).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// The `...getOrCreate()` calls on a chain that starts at
// SparkSession.builder, in document order.
std::vector<TSNode> SessionCreations(const PythonSource& source);
// The creation that starts the file's session: the only one, or the first
// of several that all run once at module level in a file that stops no
// session (the later ones get the running session). Fails when there is
// none, or several otherwise (which to configure would be ambiguous).
Result<TSNode> TheSessionCreation(const PythonSource& source);
// True when the file creates a SparkSession (`SparkSession.builder ...
// .getOrCreate()`).
bool CreatesSparkSession(const PythonSource& source);

// A `SET <key>=<value>` (or `SET <key> = <value>`) statement in SQL text.
struct SqlSet {
  std::string value;  // as written after `=`, trimmed
  uint32_t line = 0;  // 0-based line of the SET within the SQL text
};
// The SET statements of `key` among the `;`-separated statements of `sql`.
std::vector<SqlSet> FindSqlSets(std::string_view sql, std::string_view key);
// True when a SET's value says `value`, bare or in quotes.
bool SqlSetSays(std::string_view set_value, std::string_view value);

// A place where the file sets a key.
struct ConfSetting {
  enum Kind {
    kConfSet,        // `<anything>.conf.set("<key>", v)`
    kBuilderConfig,  // `.config("<key>", v)` on a SparkSession.builder chain
    kSqlSet,         // `SET <key>=v` in a plain `.sql("...")` literal
    kDictEntry,      // `"<key>": v` in a dict literal (DictEntrySettings)
  };
  Kind kind = kConfSet;
  TSNode value{};         // the value argument (kConfSet, kBuilderConfig)
  std::string sql_value;  // the value after `=` (kSqlSet)
  uint32_t line = 0;      // 1-based
};

// Every place the file sets `key`, in document order.
std::vector<ConfSetting> FindConfSettings(const PythonSource& source,
                                          std::string_view key);
// The `"<key>": v` entries of dict literals, in document order: settings
// handed to a session factory (`session(**{"spark.x": "1"})`) or to a
// builder loop. Not among FindConfSettings: a dict is a setting only when
// nothing else in the repository sets the key (fix_runner).
std::vector<ConfSetting> DictEntrySettings(const PythonSource& source,
                                           std::string_view key);
// The 1-based lines of FindConfSettings.
std::vector<uint32_t> ConfSettingLines(const PythonSource& source,
                                       std::string_view key);

// The plan for one conf.set or builder .config of `key`: no edit when its
// value literal already says `value` (the same string, or a number or
// boolean spelling it), else the literal replaced; the note names the line.
// Fails for a SQL SET and for a call without a value.
Result<FixPlan> PlanValueInPlace(const PythonSource& source,
                                 const ConfSetting& setting,
                                 std::string_view key, std::string_view value);

// The refusal of a key set more than once ("k is set 2 times (lines 3, 9);
// ..."): which setting applies depends on the flow.
// `lines` need not be sorted.
std::unexpected<Error> SetTooOften(std::string_view key,
                                   std::vector<uint32_t> lines);

}  // namespace prometheus::rewrite

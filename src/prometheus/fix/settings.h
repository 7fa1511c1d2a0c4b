// When a Spark setting can be made, by its key. Spark takes a SQL runtime
// setting on a live session (`spark.conf.set`, SQL `SET`); it refuses the
// others once the session runs (RuntimeConfig.requireNonStaticConf): a
// static SQL setting always, and since Spark 3.0 a core one too (everything
// SparkConf registers: spark.executor.*, spark.dynamicAllocation.*, ...),
// as spark.sql.legacy.setCommandRejectsSparkCoreConfs is true by default.
// Those are startup settings: they go where the application starts.
#pragma once

#include <optional>
#include <string_view>

namespace prometheus::fix {

enum class Applies {
  kRuntime,  // a SQL setting a running session takes
  kStartup,  // a core or static SQL setting: before the session starts
};

// "runtime" or "startup": the `applies` of a conf fix's JSON record.
std::string_view AppliesName(Applies applies);
// The value named by AppliesName; nullopt for another text.
std::optional<Applies> AppliesNamed(std::string_view name);

// A `spark.sql.*` key is runtime unless it is one of Spark's static SQL
// settings (StaticSQLConf and the Hive and Connect ones); any other key is
// startup. Keys are compared as Spark does, case included.
Applies ClassifySetting(std::string_view key);

}  // namespace prometheus::fix

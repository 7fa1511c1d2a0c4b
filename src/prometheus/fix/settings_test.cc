// The runtime/startup rule of Spark's RuntimeConfig: SQL settings run,
// static SQL and core settings start.
#include "prometheus/fix/settings.h"

#include <gtest/gtest.h>

namespace prometheus::fix {
namespace {

TEST(Settings, SqlSettingsAreRuntimeEvenWhenThisVersionDoesNotKnowThem) {
  for (std::string_view key :
       {"spark.sql.shuffle.partitions", "spark.sql.adaptive.enabled",
        "spark.sql.autoBroadcastJoinThreshold",
        "spark.sql.files.maxPartitionBytes", "spark.sql.session.timeZone",
        "spark.sql.adaptive.skewJoin.enabled",
        "spark.sql.some.future.setting"}) {
    EXPECT_EQ(ClassifySetting(key), Applies::kRuntime) << key;
  }
}

TEST(Settings, StaticSqlSettingsAreStartup) {
  for (std::string_view key :
       {"spark.sql.extensions", "spark.sql.warehouse.dir",
        "spark.sql.catalogImplementation", "spark.sql.queryExecutionListeners",
        "spark.sql.streaming.streamingQueryListeners",
        "spark.sql.ui.retainedExecutions", "spark.sql.cache.serializer",
        "spark.sql.hive.metastore.version", "spark.sql.hive.metastore.jars",
        "spark.sql.catalog.spark_catalog.defaultDatabase",
        "spark.sql.connect.ui.retainedStatements",
        "spark.sql.extensions.test.loadFromCp"}) {
    EXPECT_EQ(ClassifySetting(key), Applies::kStartup) << key;
  }
}

TEST(Settings, CoreAndUnknownSettingsAreStartup) {
  for (std::string_view key :
       {"spark.dynamicAllocation.enabled",
        "spark.scheduler.listenerbus.eventqueue.capacity",
        "spark.executor.memory", "spark.executor.memoryOverhead",
        "spark.executor.cores", "spark.driver.memory",
        "spark.memory.fraction", "spark.serializer", "spark.eventLog.enabled",
        "spark.reducer.maxSizeInFlight", "spark.task.maxFailures",
        "spark.default.parallelism", "spark.myteam.flag", "spark.sql",
        "sparksql.shuffle.partitions", ""}) {
    EXPECT_EQ(ClassifySetting(key), Applies::kStartup) << key;
  }
}

TEST(Settings, KeysAreCaseSensitiveAsInSpark) {
  // Spark looks keys up as written: this is no static key, and a SQL one.
  EXPECT_EQ(ClassifySetting("spark.sql.Extensions"), Applies::kRuntime);
  EXPECT_EQ(ClassifySetting("Spark.sql.shuffle.partitions"),
            Applies::kStartup);
}

TEST(Settings, NamesReadBack) {
  for (Applies applies : {Applies::kRuntime, Applies::kStartup})
    EXPECT_EQ(AppliesNamed(AppliesName(applies)), applies);
  EXPECT_EQ(AppliesName(Applies::kRuntime), "runtime");
  EXPECT_EQ(AppliesName(Applies::kStartup), "startup");
  EXPECT_EQ(AppliesNamed("Startup"), std::nullopt);
  EXPECT_EQ(AppliesNamed(""), std::nullopt);
}

}  // namespace
}  // namespace prometheus::fix

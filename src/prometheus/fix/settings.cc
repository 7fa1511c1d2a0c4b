#include "prometheus/fix/settings.h"

#include <algorithm>
#include <iterator>

namespace prometheus::fix {
namespace {

// The static SQL settings of Spark 2.x to 4.x: registered with
// buildStaticConf in StaticSQLConf, HiveUtils and Spark Connect. Spark
// refuses to change them in a session that runs, whatever the legacy flag.
constexpr std::string_view kStaticSqlSettings[] = {
    "spark.sql.broadcastExchange.maxThreadNumber",  // Spark 2.x
    "spark.sql.broadcastExchange.maxThreadThreshold",
    "spark.sql.cache.serializer",
    "spark.sql.catalog.spark_catalog.defaultDatabase",
    "spark.sql.catalogImplementation",
    "spark.sql.codegen.cache.maxEntries",
    "spark.sql.codegen.comments",
    "spark.sql.connect.ui.retainedSessions",
    "spark.sql.connect.ui.retainedStatements",
    "spark.sql.debug",
    "spark.sql.defaultUrlStreamHandlerFactory.enabled",
    "spark.sql.event.truncate.length",
    "spark.sql.extensions",
    "spark.sql.extensions.test.loadFromCp",  // Spark 4.0, internal
    "spark.sql.filesourceTableRelationCacheSize",
    "spark.sql.globalTempDatabase",
    "spark.sql.hive.metastore.barrierPrefixes",
    "spark.sql.hive.metastore.jars",
    "spark.sql.hive.metastore.jars.path",
    "spark.sql.hive.metastore.sharedPrefixes",
    "spark.sql.hive.metastore.version",
    "spark.sql.hive.thriftServer.singleSession",
    "spark.sql.hive.version",
    "spark.sql.legacy.sessionInitWithConfigDefaults",
    "spark.sql.metadataCacheTTLSeconds",
    "spark.sql.queryExecutionListeners",
    "spark.sql.shuffleExchange.maxThreadThreshold",
    "spark.sql.sources.disabledJdbcConnProviderList",
    "spark.sql.sources.schemaStringLengthThreshold",
    "spark.sql.streaming.streamingQueryListeners",
    "spark.sql.streaming.ui.enabled",
    "spark.sql.streaming.ui.enabledCustomMetricList",
    "spark.sql.streaming.ui.retainedProgressUpdates",
    "spark.sql.streaming.ui.retainedQueries",
    "spark.sql.subquery.maxThreadThreshold",
    "spark.sql.ui.retainedExecutions",
    "spark.sql.warehouse.dir",
};

bool IsStaticSqlSetting(std::string_view key) {
  return std::ranges::find(kStaticSqlSettings, key) !=
         std::end(kStaticSqlSettings);
}

}  // namespace

std::string_view AppliesName(Applies applies) {
  return applies == Applies::kRuntime ? "runtime" : "startup";
}

std::optional<Applies> AppliesNamed(std::string_view name) {
  if (name == "runtime") return Applies::kRuntime;
  if (name == "startup") return Applies::kStartup;
  return std::nullopt;
}

Applies ClassifySetting(std::string_view key) {
  if (key.starts_with("spark.sql.") && !IsStaticSqlSetting(key))
    return Applies::kRuntime;
  return Applies::kStartup;
}

}  // namespace prometheus::fix

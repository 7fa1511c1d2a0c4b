#include "prometheus/events/event_kind.h"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>

namespace prometheus::events {
namespace {

TEST(ClassifyEvent, KnowsEveryEventPrometheusReadsByItsLoggedName) {
  const std::pair<std::string_view, EventKind> kLogged[] = {
      {"SparkListenerTaskEnd", EventKind::kTaskEnd},
      {"SparkListenerLogStart", EventKind::kLogStart},
      {"DBCEventLoggingListenerMetadata", EventKind::kDatabricksMetadata},
      {"SparkListenerApplicationStart", EventKind::kApplicationStart},
      {"SparkListenerApplicationEnd", EventKind::kApplicationEnd},
      {"SparkListenerEnvironmentUpdate", EventKind::kEnvironmentUpdate},
      {"SparkListenerExecutorAdded", EventKind::kExecutorAdded},
      {"SparkListenerExecutorRemoved", EventKind::kExecutorRemoved},
      {"SparkListenerJobStart", EventKind::kJobStart},
      {"SparkListenerJobEnd", EventKind::kJobEnd},
      {"SparkListenerStageSubmitted", EventKind::kStageSubmitted},
      {"SparkListenerStageCompleted", EventKind::kStageCompleted},
      {"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart",
       EventKind::kSqlExecutionStart},
      {"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd",
       EventKind::kSqlExecutionEnd},
      {"org.apache.spark.sql.execution.ui."
       "SparkListenerSQLAdaptiveExecutionUpdate",
       EventKind::kSqlAdaptiveUpdate},
      {"org.apache.spark.sql.execution.ui."
       "SparkListenerSQLAdaptiveSQLMetricUpdates",
       EventKind::kSqlAdaptiveMetricUpdates},
      {"org.apache.spark.sql.execution.ui.SparkListenerDriverAccumUpdates",
       EventKind::kDriverAccumUpdates},
  };
  for (const auto& [name, kind] : kLogged) {
    EXPECT_EQ(ClassifyEvent(name), kind) << name;
  }
}

TEST(ClassifyEvent, EventsPrometheusDoesNotReadAreUnused) {
  // Known Spark events with nothing Prometheus uses, and unknown ones.
  for (std::string_view name :
       {"SparkListenerTaskStart", "SparkListenerTaskGettingResult",
        "SparkListenerBlockManagerAdded", "SparkListenerBlockUpdated",
        "SparkListenerStageExecutorMetrics", "SparkListenerUnpersistRDD",
        "org.apache.spark.sql.execution.ui.SparkListenerQueryExecutionMetrics",
        "com.example.MyListenerEvent", ""}) {
    EXPECT_EQ(ClassifyEvent(name), EventKind::kUnused) << name;
  }
}

TEST(ClassifyEvent, NamesMatchExactly) {
  // SQL events are logged with their package; the short class name, another
  // case or a trailing space is some other event.
  EXPECT_EQ(ClassifyEvent("SparkListenerSQLExecutionStart"), EventKind::kUnused);
  EXPECT_EQ(ClassifyEvent("sparklistenertaskend"), EventKind::kUnused);
  EXPECT_EQ(ClassifyEvent("SparkListenerJobStart "), EventKind::kUnused);
}

}  // namespace
}  // namespace prometheus::events

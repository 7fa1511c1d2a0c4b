#include "prometheus/events/event_kind.h"

#include <unordered_map>

namespace prometheus::events {

EventKind ClassifyEvent(std::string_view name) {
  // TaskEnd and TaskStart are most of every log: test them before hashing.
  if (name == "SparkListenerTaskEnd") return EventKind::kTaskEnd;
  if (name == "SparkListenerTaskStart") return EventKind::kUnused;
  static const auto* kinds =
      new std::unordered_map<std::string_view, EventKind>{
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
  auto it = kinds->find(name);
  return it == kinds->end() ? EventKind::kUnused : it->second;
}

}  // namespace prometheus::events

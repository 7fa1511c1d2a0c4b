// The Spark listener events Prometheus decodes, by their "Event" names.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "prometheus/events/events.h"

namespace prometheus::events {

enum class EventKind {
  kUnused,
  kTaskEnd,
  kLogStart,
  kDatabricksMetadata,
  kApplicationStart,
  kApplicationEnd,
  kEnvironmentUpdate,
  kExecutorAdded,
  kExecutorRemoved,
  kJobStart,
  kJobEnd,
  kStageSubmitted,
  kStageCompleted,
  kSqlExecutionStart,
  kSqlExecutionEnd,
  kSqlAdaptiveUpdate,
  kSqlAdaptiveMetricUpdates,
  kDriverAccumUpdates,
};

// kUnused for every event Prometheus does not read, known or not.
EventKind ClassifyEvent(std::string_view name);

// Decodes any event but TaskEnd (those are rare: no effort to avoid
// allocation) and passes it to `sink`.
simdjson::error_code DecodeRareEvent(EventKind kind,
                                     simdjson::ondemand::object event,
                                     EventSink& sink);

}  // namespace prometheus::events

// Decoders for every event but TaskEnd.
#include <string>

#include "prometheus/events/event_kind.h"
#include "prometheus/events/json_fields.h"

namespace prometheus::events {
namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::array;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

error_code ReadIntArray(value& v, std::vector<int64_t>& out) {
  array items;
  if (!IsArray(v, items)) return SUCCESS;
  for (auto item : items) {
    value element;
    PROM_JSON_TRY(std::move(item).get(element));
    int64_t n;
    PROM_JSON_TRY(ReadInt(element, n));
    out.push_back(n);
  }
  return SUCCESS;
}

// Reads {"key": "value", ...}; non-string values are kept as their JSON text.
error_code ReadProperties(value& v, Properties& out) {
  object properties;
  if (!IsObject(v, properties)) return SUCCESS;
  for (auto field : properties) {
    simdjson::ondemand::field f;
    PROM_JSON_TRY(std::move(field).get(f));
    std::string_view key;
    PROM_JSON_TRY(f.unescaped_key().get(key));
    std::string name(key);
    std::string text;
    PROM_JSON_TRY(ReadString(f.value(), text));
    out.emplace_back(std::move(name), std::move(text));
  }
  return SUCCESS;
}

error_code ReadStageAccumulables(value& v, std::vector<AccumulatorUpdate>& out) {
  array items;
  if (!IsArray(v, items)) return SUCCESS;
  for (auto item : items) {
    object accumulable;
    PROM_JSON_TRY(std::move(item).get_object().get(accumulable));
    AccumulatorUpdate entry;
    bool has_id = false, has_value = false;
    for (auto field : accumulable) {
      PROM_JSON_FIELD(field, key, fv);
      if (Is(key, "ID")) {
        PROM_JSON_TRY(ReadInt(fv, entry.id));
        has_id = true;
      } else if (Is(key, "Value")) {
        has_value = ReadIntIfNumeric(fv, entry.update);
      }
    }
    if (has_id && has_value) out.push_back(entry);
  }
  return SUCCESS;
}

error_code ReadOptionalInt(value& v, std::optional<int64_t>& out) {
  simdjson::ondemand::json_type type;
  PROM_JSON_TRY(v.type().get(type));
  if (type == simdjson::ondemand::json_type::null) return SUCCESS;
  int64_t n;
  PROM_JSON_TRY(ReadInt(v, n));
  out = n;
  return SUCCESS;
}

error_code ReadStageInfo(value& v, StageInfo& stage) {
  object info;
  PROM_JSON_TRY(v.get_object().get(info));
  for (auto field : info) {
    PROM_JSON_FIELD(field, key, fv);
    if (Is(key, "Stage ID")) {
      PROM_JSON_TRY(ReadInt(fv, stage.stage_id));
    } else if (Is(key, "Stage Attempt ID")) {
      PROM_JSON_TRY(ReadInt(fv, stage.attempt_id));
    } else if (Is(key, "Stage Name")) {
      PROM_JSON_TRY(ReadString(fv, stage.name));
    } else if (Is(key, "Number of Tasks")) {
      PROM_JSON_TRY(ReadInt(fv, stage.num_tasks));
    } else if (Is(key, "Parent IDs")) {
      PROM_JSON_TRY(ReadIntArray(fv, stage.parent_ids));
    } else if (Is(key, "Details")) {
      PROM_JSON_TRY(ReadString(fv, stage.details));
    } else if (Is(key, "Submission Time")) {
      PROM_JSON_TRY(ReadOptionalInt(fv, stage.submission_time));
    } else if (Is(key, "Completion Time")) {
      PROM_JSON_TRY(ReadOptionalInt(fv, stage.completion_time));
    } else if (Is(key, "Failure Reason")) {
      std::string reason;
      PROM_JSON_TRY(ReadString(fv, reason));
      stage.failure_reason = std::move(reason);
    } else if (Is(key, "Accumulables")) {
      PROM_JSON_TRY(ReadStageAccumulables(fv, stage.accumulables));
    }
  }
  if (stage.stage_id < 0) return simdjson::NO_SUCH_FIELD;
  return SUCCESS;
}

error_code ReadSqlMetrics(value& v, std::vector<SqlMetricInfo>& out) {
  array items;
  if (!IsArray(v, items)) return SUCCESS;
  for (auto item : items) {
    object metric_object;
    PROM_JSON_TRY(std::move(item).get_object().get(metric_object));
    SqlMetricInfo metric;
    for (auto field : metric_object) {
      PROM_JSON_FIELD(field, key, fv);
      if (Is(key, "name")) {
        PROM_JSON_TRY(ReadString(fv, metric.name));
      } else if (Is(key, "accumulatorId")) {
        PROM_JSON_TRY(ReadInt(fv, metric.accumulator_id));
      } else if (Is(key, "metricType")) {
        PROM_JSON_TRY(ReadString(fv, metric.metric_type));
      }
    }
    out.push_back(std::move(metric));
  }
  return SUCCESS;
}

error_code ReadPlan(value& v, SparkPlanInfo& plan, int depth) {
  if (depth > 4096) return simdjson::DEPTH_ERROR;
  object node;
  PROM_JSON_TRY(v.get_object().get(node));
  for (auto field : node) {
    PROM_JSON_FIELD(field, key, fv);
    if (Is(key, "nodeName")) {
      PROM_JSON_TRY(ReadString(fv, plan.node_name));
    } else if (Is(key, "simpleString")) {
      PROM_JSON_TRY(ReadString(fv, plan.simple_string));
    } else if (Is(key, "children")) {
      array children;
      if (!IsArray(fv, children)) continue;
      for (auto child : children) {
        value child_value;
        PROM_JSON_TRY(std::move(child).get(child_value));
        plan.children.emplace_back();
        PROM_JSON_TRY(ReadPlan(child_value, plan.children.back(), depth + 1));
      }
    } else if (Is(key, "metadata")) {
      PROM_JSON_TRY(ReadProperties(fv, plan.metadata));
    } else if (Is(key, "metrics")) {
      PROM_JSON_TRY(ReadSqlMetrics(fv, plan.metrics));
    }
  }
  return SUCCESS;
}

error_code DecodeApplicationStart(object event, EventSink& sink) {
  ApplicationStart start;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "App Name")) {
      PROM_JSON_TRY(ReadString(v, start.app_name));
    } else if (Is(key, "App ID")) {
      PROM_JSON_TRY(ReadString(v, start.app_id));
    } else if (Is(key, "App Attempt ID")) {
      PROM_JSON_TRY(ReadString(v, start.attempt_id));
    } else if (Is(key, "User")) {
      PROM_JSON_TRY(ReadString(v, start.user));
    } else if (Is(key, "Timestamp")) {
      PROM_JSON_TRY(ReadInt(v, start.timestamp));
    }
  }
  sink.OnApplicationStart(start);
  return SUCCESS;
}

error_code DecodeExecutorAdded(object event, EventSink& sink) {
  ExecutorAdded added;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Timestamp")) {
      PROM_JSON_TRY(ReadInt(v, added.timestamp));
    } else if (Is(key, "Executor ID")) {
      PROM_JSON_TRY(ReadString(v, added.executor_id));
    } else if (Is(key, "Executor Info")) {
      object info;
      if (!IsObject(v, info)) continue;
      for (auto info_field : info) {
        PROM_JSON_FIELD(info_field, info_key, iv);
        if (Is(info_key, "Host")) {
          PROM_JSON_TRY(ReadString(iv, added.host));
        } else if (Is(info_key, "Total Cores")) {
          PROM_JSON_TRY(ReadInt(iv, added.total_cores));
        }
      }
    }
  }
  sink.OnExecutorAdded(added);
  return SUCCESS;
}

error_code DecodeExecutorRemoved(object event, EventSink& sink) {
  ExecutorRemoved removed;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Timestamp")) {
      PROM_JSON_TRY(ReadInt(v, removed.timestamp));
    } else if (Is(key, "Executor ID")) {
      PROM_JSON_TRY(ReadString(v, removed.executor_id));
    } else if (Is(key, "Removed Reason")) {
      PROM_JSON_TRY(ReadString(v, removed.reason));
    }
  }
  sink.OnExecutorRemoved(removed);
  return SUCCESS;
}

error_code DecodeJobStart(object event, EventSink& sink) {
  JobStart start;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Job ID")) {
      PROM_JSON_TRY(ReadInt(v, start.job_id));
    } else if (Is(key, "Submission Time")) {
      PROM_JSON_TRY(ReadOptionalInt(v, start.submission_time));
    } else if (Is(key, "Stage IDs")) {
      PROM_JSON_TRY(ReadIntArray(v, start.stage_ids));
    } else if (Is(key, "Stage Infos")) {
      array infos;
      if (!IsArray(v, infos)) continue;
      for (auto info : infos) {
        value info_value;
        PROM_JSON_TRY(std::move(info).get(info_value));
        start.stage_infos.emplace_back();
        PROM_JSON_TRY(ReadStageInfo(info_value, start.stage_infos.back()));
      }
    } else if (Is(key, "Properties")) {
      PROM_JSON_TRY(ReadProperties(v, start.properties));
    }
  }
  sink.OnJobStart(start);
  return SUCCESS;
}

error_code DecodeJobEnd(object event, EventSink& sink) {
  JobEnd end;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Job ID")) {
      PROM_JSON_TRY(ReadInt(v, end.job_id));
    } else if (Is(key, "Completion Time")) {
      PROM_JSON_TRY(ReadOptionalInt(v, end.completion_time));
    } else if (Is(key, "Job Result")) {
      object result;
      if (!IsObject(v, result)) continue;
      for (auto result_field : result) {
        PROM_JSON_FIELD(result_field, result_key, rv);
        if (Is(result_key, "Result")) {
          PROM_JSON_TRY(ReadString(rv, end.result));
        } else if (Is(result_key, "Exception")) {
          object exception;
          if (!IsObject(rv, exception)) continue;
          for (auto exception_field : exception) {
            PROM_JSON_FIELD(exception_field, exception_key, ev);
            if (Is(exception_key, "Message")) {
              PROM_JSON_TRY(ReadString(ev, end.failure));
            }
          }
        }
      }
    }
  }
  sink.OnJobEnd(end);
  return SUCCESS;
}

error_code DecodeStage(object event, EventSink& sink, bool completed) {
  StageInfo stage;
  bool found = false;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Stage Info")) {
      PROM_JSON_TRY(ReadStageInfo(v, stage));
      found = true;
    }
  }
  if (!found) return simdjson::NO_SUCH_FIELD;
  if (completed) {
    sink.OnStageCompleted(stage);
  } else {
    sink.OnStageSubmitted(stage);
  }
  return SUCCESS;
}

error_code DecodeSqlExecutionStart(object event, EventSink& sink) {
  SqlExecutionStart start;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "executionId")) {
      PROM_JSON_TRY(ReadInt(v, start.execution_id));
    } else if (Is(key, "rootExecutionId")) {
      PROM_JSON_TRY(ReadOptionalInt(v, start.root_execution_id));
    } else if (Is(key, "description")) {
      PROM_JSON_TRY(ReadString(v, start.description));
    } else if (Is(key, "details")) {
      PROM_JSON_TRY(ReadString(v, start.details));
    } else if (Is(key, "physicalPlanDescription")) {
      PROM_JSON_TRY(ReadString(v, start.physical_plan));
    } else if (Is(key, "sparkPlanInfo")) {
      PROM_JSON_TRY(ReadPlan(v, start.plan, 0));
    } else if (Is(key, "time")) {
      PROM_JSON_TRY(ReadInt(v, start.time));
    } else if (Is(key, "modifiedConfigs")) {
      PROM_JSON_TRY(ReadProperties(v, start.modified_configs));
    }
  }
  sink.OnSqlExecutionStart(start);
  return SUCCESS;
}

error_code DecodeSqlExecutionEnd(object event, EventSink& sink) {
  SqlExecutionEnd end;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "executionId")) {
      PROM_JSON_TRY(ReadInt(v, end.execution_id));
    } else if (Is(key, "time")) {
      PROM_JSON_TRY(ReadInt(v, end.time));
    } else if (Is(key, "errorMessage")) {
      PROM_JSON_TRY(ReadString(v, end.error_message));
    }
  }
  sink.OnSqlExecutionEnd(end);
  return SUCCESS;
}

error_code DecodeSqlAdaptiveUpdate(object event, EventSink& sink) {
  SqlAdaptiveUpdate update;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "executionId")) {
      PROM_JSON_TRY(ReadInt(v, update.execution_id));
    } else if (Is(key, "physicalPlanDescription")) {
      PROM_JSON_TRY(ReadString(v, update.physical_plan));
    } else if (Is(key, "sparkPlanInfo")) {
      PROM_JSON_TRY(ReadPlan(v, update.plan, 0));
    }
  }
  sink.OnSqlAdaptiveUpdate(update);
  return SUCCESS;
}

error_code DecodeSqlAdaptiveMetricUpdates(object event, EventSink& sink) {
  SqlAdaptiveMetricUpdates update;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "executionId")) {
      PROM_JSON_TRY(ReadInt(v, update.execution_id));
    } else if (Is(key, "sqlPlanMetrics")) {
      PROM_JSON_TRY(ReadSqlMetrics(v, update.metrics));
    }
  }
  sink.OnSqlAdaptiveMetricUpdates(update);
  return SUCCESS;
}

error_code DecodeDriverAccumUpdates(object event, EventSink& sink) {
  DriverAccumUpdates updates;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "executionId")) {
      PROM_JSON_TRY(ReadInt(v, updates.execution_id));
    } else if (Is(key, "accumUpdates")) {
      array pairs;
      if (!IsArray(v, pairs)) continue;
      for (auto pair : pairs) {
        std::vector<int64_t> id_and_value;
        value pair_value;
        PROM_JSON_TRY(std::move(pair).get(pair_value));
        PROM_JSON_TRY(ReadIntArray(pair_value, id_and_value));
        if (id_and_value.size() == 2) {
          updates.updates.push_back({id_and_value[0], id_and_value[1]});
        }
      }
    }
  }
  sink.OnDriverAccumUpdates(updates);
  return SUCCESS;
}

error_code DecodeVersion(object event, EventSink& sink) {
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Spark Version")) {
      std::string version;
      PROM_JSON_TRY(ReadString(v, version));
      sink.OnLogStart(version);
    }
  }
  return SUCCESS;
}

error_code DecodeSingleInt(object event, std::string_view name,
                           int64_t& out) {
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, name)) PROM_JSON_TRY(ReadInt(v, out));
  }
  return SUCCESS;
}

error_code DecodeEnvironmentUpdate(object event, EventSink& sink) {
  EnvironmentUpdate update;
  for (auto field : event) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Spark Properties")) {
      PROM_JSON_TRY(ReadProperties(v, update.spark_properties));
    } else if (Is(key, "System Properties")) {
      Properties system;
      PROM_JSON_TRY(ReadProperties(v, system));
      for (auto& [name, text] : system) {
        if (name == "sun.java.command") update.java_command = std::move(text);
      }
    }
  }
  sink.OnEnvironmentUpdate(update);
  return SUCCESS;
}

}  // namespace

error_code DecodeRareEvent(EventKind kind, object event, EventSink& sink) {
  switch (kind) {
    case EventKind::kLogStart:
    case EventKind::kDatabricksMetadata:
      return DecodeVersion(event, sink);
    case EventKind::kApplicationStart:
      return DecodeApplicationStart(event, sink);
    case EventKind::kApplicationEnd: {
      int64_t timestamp = 0;
      PROM_JSON_TRY(DecodeSingleInt(event, "Timestamp", timestamp));
      sink.OnApplicationEnd(timestamp);
      return SUCCESS;
    }
    case EventKind::kEnvironmentUpdate:
      return DecodeEnvironmentUpdate(event, sink);
    case EventKind::kExecutorAdded:
      return DecodeExecutorAdded(event, sink);
    case EventKind::kExecutorRemoved:
      return DecodeExecutorRemoved(event, sink);
    case EventKind::kJobStart:
      return DecodeJobStart(event, sink);
    case EventKind::kJobEnd:
      return DecodeJobEnd(event, sink);
    case EventKind::kStageSubmitted:
      return DecodeStage(event, sink, /*completed=*/false);
    case EventKind::kStageCompleted:
      return DecodeStage(event, sink, /*completed=*/true);
    case EventKind::kSqlExecutionStart:
      return DecodeSqlExecutionStart(event, sink);
    case EventKind::kSqlExecutionEnd:
      return DecodeSqlExecutionEnd(event, sink);
    case EventKind::kSqlAdaptiveUpdate:
      return DecodeSqlAdaptiveUpdate(event, sink);
    case EventKind::kSqlAdaptiveMetricUpdates:
      return DecodeSqlAdaptiveMetricUpdates(event, sink);
    case EventKind::kDriverAccumUpdates:
      return DecodeDriverAccumUpdates(event, sink);
    case EventKind::kTaskEnd:
    case EventKind::kUnused:
      break;
  }
  return SUCCESS;
}

}  // namespace prometheus::events

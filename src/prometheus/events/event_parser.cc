#include "prometheus/events/event_parser.h"

#include <simdjson.h>

#include <cctype>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "prometheus/events/event_kind.h"
#include "prometheus/events/json_fields.h"

namespace prometheus::events {
namespace {

using simdjson::error_code;
using simdjson::SUCCESS;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

error_code ReadShuffleRead(object metrics, TaskMetrics& m) {
  for (auto field : metrics) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Remote Blocks Fetched")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_remote_blocks_fetched));
    } else if (Is(key, "Local Blocks Fetched")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_local_blocks_fetched));
    } else if (Is(key, "Fetch Wait Time")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_fetch_wait_ms));
    } else if (Is(key, "Remote Bytes Read")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_remote_bytes_read));
    } else if (Is(key, "Remote Bytes Read To Disk")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_remote_bytes_read_to_disk));
    } else if (Is(key, "Local Bytes Read")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_local_bytes_read));
    } else if (Is(key, "Total Records Read")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_records_read));
    }
  }
  return SUCCESS;
}

error_code ReadShuffleWrite(object metrics, TaskMetrics& m) {
  for (auto field : metrics) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Shuffle Bytes Written")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_write_bytes));
    } else if (Is(key, "Shuffle Write Time")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_write_time_ns));
    } else if (Is(key, "Shuffle Records Written")) {
      PROM_JSON_TRY(ReadInt(v, m.shuffle_write_records));
    }
  }
  return SUCCESS;
}

// Reads {"Bytes ...": n, "Records ...": n} of input and output metrics.
error_code ReadBytesAndRecords(object metrics, std::string_view bytes_key,
                               std::string_view records_key, int64_t& bytes,
                               int64_t& records) {
  for (auto field : metrics) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, bytes_key)) {
      PROM_JSON_TRY(ReadInt(v, bytes));
    } else if (Is(key, records_key)) {
      PROM_JSON_TRY(ReadInt(v, records));
    }
  }
  return SUCCESS;
}

error_code ReadTaskMetrics(object metrics, TaskMetrics& m) {
  for (auto field : metrics) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Executor Deserialize Time")) {
      PROM_JSON_TRY(ReadInt(v, m.executor_deserialize_time_ms));
    } else if (Is(key, "Executor Deserialize CPU Time")) {
      PROM_JSON_TRY(ReadInt(v, m.executor_deserialize_cpu_time_ns));
    } else if (Is(key, "Executor Run Time")) {
      PROM_JSON_TRY(ReadInt(v, m.executor_run_time_ms));
    } else if (Is(key, "Executor CPU Time")) {
      PROM_JSON_TRY(ReadInt(v, m.executor_cpu_time_ns));
    } else if (Is(key, "Peak Execution Memory")) {
      PROM_JSON_TRY(ReadInt(v, m.peak_execution_memory_bytes));
    } else if (Is(key, "Result Size")) {
      PROM_JSON_TRY(ReadInt(v, m.result_size_bytes));
    } else if (Is(key, "JVM GC Time")) {
      PROM_JSON_TRY(ReadInt(v, m.jvm_gc_time_ms));
    } else if (Is(key, "Result Serialization Time")) {
      PROM_JSON_TRY(ReadInt(v, m.result_serialization_time_ms));
    } else if (Is(key, "Memory Bytes Spilled")) {
      PROM_JSON_TRY(ReadInt(v, m.memory_bytes_spilled));
    } else if (Is(key, "Disk Bytes Spilled")) {
      PROM_JSON_TRY(ReadInt(v, m.disk_bytes_spilled));
    } else if (Is(key, "Shuffle Read Metrics")) {
      object inner;
      if (IsObject(v, inner)) PROM_JSON_TRY(ReadShuffleRead(inner, m));
    } else if (Is(key, "Shuffle Write Metrics")) {
      object inner;
      if (IsObject(v, inner)) PROM_JSON_TRY(ReadShuffleWrite(inner, m));
    } else if (Is(key, "Input Metrics")) {
      object inner;
      if (IsObject(v, inner)) {
        PROM_JSON_TRY(ReadBytesAndRecords(inner, "Bytes Read", "Records Read",
                                          m.input_bytes, m.input_records));
      }
    } else if (Is(key, "Output Metrics")) {
      object inner;
      if (IsObject(v, inner)) {
        PROM_JSON_TRY(ReadBytesAndRecords(inner, "Bytes Written",
                                          "Records Written", m.output_bytes,
                                          m.output_records));
      }
    }
  }
  return SUCCESS;
}

// Keeps the numeric updates of accumulators that are not Spark's internal
// task metrics (which "Task Metrics" already carries).
error_code ReadTaskAccumulables(value array_value,
                                std::vector<AccumulatorUpdate>& out) {
  simdjson::ondemand::array array;
  if (!IsArray(array_value, array)) return SUCCESS;
  // Spark writes "ID", "Name", "Update", ... in this order; most entries are
  // internal task metrics, recognised by their raw name without unescaping.
  for (auto element : array) {
    object accumulable;
    PROM_JSON_TRY(element.get_object().get(accumulable));
    AccumulatorUpdate update;
    value id_value, name_value, update_value;
    if (accumulable.find_field("ID").get(id_value) != SUCCESS ||
        ReadInt(id_value, update.id) != SUCCESS) {
      continue;
    }
    simdjson::ondemand::raw_json_string name;
    if (accumulable.find_field("Name").get(name_value) == SUCCESS &&
        name_value.get_raw_json_string().get(name) == SUCCESS &&
        std::memcmp(name.raw(), "internal.", 9) == 0) {
      continue;
    }
    if (accumulable.find_field_unordered("Update").get(update_value) == SUCCESS &&
        ReadIntIfNumeric(update_value, update.update)) {
      out.push_back(update);
    }
  }
  return SUCCESS;
}

error_code ReadTaskInfo(object info, TaskEnd& event, bool accumulables) {
  for (auto field : info) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Task ID")) {
      PROM_JSON_TRY(ReadInt(v, event.task_id));
    } else if (Is(key, "Index")) {
      PROM_JSON_TRY(ReadInt(v, event.index));
    } else if (Is(key, "Attempt")) {
      PROM_JSON_TRY(ReadInt(v, event.attempt));
    } else if (Is(key, "Launch Time")) {
      PROM_JSON_TRY(ReadInt(v, event.launch_time));
    } else if (Is(key, "Finish Time")) {
      PROM_JSON_TRY(ReadInt(v, event.finish_time));
    } else if (Is(key, "Executor ID")) {
      PROM_JSON_TRY(v.get_string().get(event.executor_id));
    } else if (Is(key, "Speculative")) {
      PROM_JSON_TRY(v.get_bool().get(event.speculative));
    } else if (accumulables && Is(key, "Accumulables")) {
      PROM_JSON_TRY(ReadTaskAccumulables(v, event.accumulables));
    }
  }
  return SUCCESS;
}

TaskOutcome OutcomeOf(std::string_view reason) {
  if (reason == "Success") return TaskOutcome::kSuccess;
  if (reason == "TaskKilled" || reason == "TaskCommitDenied") {
    return TaskOutcome::kKilled;
  }
  return TaskOutcome::kFailed;
}

// The first frame of "Stack Trace" whose class is the user's. The frames
// only describe a failure: one of another shape is skipped, not an error.
error_code ReadUserFrame(value array_value, std::optional<StackFrame>& out) {
  simdjson::ondemand::array frames;
  if (!IsArray(array_value, frames)) return SUCCESS;
  for (auto element : frames) {
    object frame_object;
    if (element.get_object().get(frame_object) != SUCCESS) continue;
    StackFrame frame;
    for (auto field : frame_object) {
      PROM_JSON_FIELD(field, key, v);
      if (Is(key, "Declaring Class")) {
        if (v.get_string().get(frame.declaring_class) != SUCCESS) frame.declaring_class = {};
      } else if (Is(key, "Method Name")) {
        if (v.get_string().get(frame.method) != SUCCESS) frame.method = {};
      } else if (Is(key, "File Name")) {
        if (v.get_string().get(frame.file) != SUCCESS) frame.file = {};  // null
      } else if (Is(key, "Line Number")) {
        if (!ReadIntIfNumeric(v, frame.line)) frame.line = -1;
      }
    }
    if (!frame.declaring_class.empty() && !IsFrameworkClass(frame.declaring_class)) {
      out = frame;
      return SUCCESS;
    }
  }
  return SUCCESS;
}

error_code ReadBlockManager(object address, TaskFailure& failure) {
  for (auto field : address) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Executor ID")) {
      if (v.get_string().get(failure.executor_id) != SUCCESS) failure.executor_id = {};
    } else if (Is(key, "Host")) {
      if (v.get_string().get(failure.host) != SUCCESS) failure.host = {};
    }
  }
  return SUCCESS;
}

// Reads "Reason" and, for attempts that did not succeed (rare), what the
// reason tells of the cause.
error_code ReadTaskEndReason(object reason, TaskEnd& event) {
  TaskFailure& failure = event.failure;
  for (auto field : reason) {
    PROM_JSON_FIELD(field, key, v);
    std::string_view text;
    if (Is(key, "Reason")) {
      PROM_JSON_TRY(v.get_string().get(text));
      event.outcome = OutcomeOf(text);
      event.resubmitted = text == "Resubmitted";
      if (event.outcome == TaskOutcome::kSuccess) return SUCCESS;
      failure.reason = text;
    } else if (Is(key, "Class Name")) {
      if (v.get_string().get(failure.class_name) != SUCCESS) failure.class_name = {};
    } else if (Is(key, "Description") || Is(key, "Loss Reason") || Is(key, "Message") ||
               Is(key, "Kill Reason")) {
      if (v.get_string().get(text) == SUCCESS) failure.message = text;
    } else if (Is(key, "Full Stack Trace")) {
      if (v.get_string().get(text) == SUCCESS) failure.full_stack_trace = text;
    } else if (Is(key, "Stack Trace")) {
      PROM_JSON_TRY(ReadUserFrame(v, failure.user_frame));
    } else if (Is(key, "Executor ID")) {
      if (v.get_string().get(text) == SUCCESS) failure.executor_id = text;
    } else if (Is(key, "Exit Caused By App")) {
      bool by_app = false;
      if (v.get_bool().get(by_app) == SUCCESS) failure.exit_caused_by_app = by_app;
    } else if (Is(key, "Block Manager Address")) {
      object address;
      if (IsObject(v, address)) PROM_JSON_TRY(ReadBlockManager(address, failure));
    } else if (Is(key, "Shuffle ID")) {
      if (!ReadIntIfNumeric(v, failure.shuffle_id)) failure.shuffle_id = -1;
    } else if (Is(key, "Map ID")) {
      if (!ReadIntIfNumeric(v, failure.map_id)) failure.map_id = -1;
    }
  }
  return SUCCESS;
}

error_code ReadTaskEnd(object event_object, TaskEnd& event,
                       bool accumulables) {
  event.stage_id = -1;
  event.stage_attempt_id = 0;
  event.outcome = TaskOutcome::kSuccess;
  event.task_id = event.index = -1;
  event.attempt = event.launch_time = event.finish_time = 0;
  event.speculative = event.resubmitted = event.has_metrics = false;
  event.failure = TaskFailure{};
  event.jvm_heap_bytes = 0;
  event.executor_id = {};
  event.metrics = TaskMetrics{};
  event.accumulables.clear();
  for (auto field : event_object) {
    PROM_JSON_FIELD(field, key, v);
    if (Is(key, "Stage ID")) {
      PROM_JSON_TRY(ReadInt(v, event.stage_id));
    } else if (Is(key, "Stage Attempt ID")) {
      PROM_JSON_TRY(ReadInt(v, event.stage_attempt_id));
    } else if (Is(key, "Task End Reason")) {
      object reason;
      if (IsObject(v, reason)) PROM_JSON_TRY(ReadTaskEndReason(reason, event));
    } else if (Is(key, "Task Info")) {
      object info;
      PROM_JSON_TRY(v.get_object().get(info));
      PROM_JSON_TRY(ReadTaskInfo(info, event, accumulables));
    } else if (Is(key, "Task Executor Metrics")) {
      object executor_metrics;
      value heap;
      if (IsObject(v, executor_metrics) &&
          executor_metrics.find_field("JVMHeapMemory").get(heap) == SUCCESS) {
        PROM_JSON_TRY(ReadInt(heap, event.jvm_heap_bytes));
      }
    } else if (Is(key, "Task Metrics")) {
      object metrics;
      if (IsObject(v, metrics)) {
        PROM_JSON_TRY(ReadTaskMetrics(metrics, event.metrics));
        event.has_metrics = true;
      }
    }
  }
  if (event.stage_id < 0) return simdjson::NO_SUCH_FIELD;
  return SUCCESS;
}

}  // namespace

bool IsFrameworkClass(std::string_view declaring_class) {
  static constexpr std::string_view kPrefixes[] = {
      "java.",          "javax.",         "jdk.",
      "sun.",           "com.sun.",       "scala.",
      "org.apache.spark.", "org.apache.hadoop.", "org.apache.parquet.",
      "io.netty.",      "py4j.",          "com.nvidia.spark.",
      "ai.rapids.",     "com.databricks.", "org.apache.commons.",
      "com.google.common.", "org.sparkproject.", "shaded."};
  for (std::string_view prefix : kPrefixes) {
    if (declaring_class.starts_with(prefix)) return true;
  }
  return false;
}

struct EventParser::Impl {
  simdjson::ondemand::parser parser;
  TaskEnd task_end;
};

EventParser::EventParser() : impl_(std::make_unique<Impl>()) {}
EventParser::~EventParser() = default;

LineOutcome EventParser::Parse(const io::Line& line, EventSink& sink) {
  std::string_view text = line.text;
  size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return LineOutcome::kBlank;

  simdjson::ondemand::document doc;
  object event_object;
  std::string_view name;
  error_code error =
      impl_->parser.iterate(text.data(), text.size(), line.capacity).get(doc);
  if (!error) error = doc.get_object().get(event_object);
  if (!error) {
    error = event_object.find_field_unordered("Event").get_string().get(name);
  }
  if (error) {
    last_error_ = error == simdjson::NO_SUCH_FIELD
                      ? std::string("a JSON object without an \"Event\" field")
                      : std::string(simdjson::error_message(error));
    return LineOutcome::kCorrupt;
  }
  EventKind kind = ClassifyEvent(name);
  if (kind == EventKind::kUnused) return LineOutcome::kIgnored;
  error = event_object.reset().error();
  if (!error) {
    if (kind == EventKind::kTaskEnd) {
      error = ReadTaskEnd(event_object, impl_->task_end,
                          sink.WantsAccumulatorUpdates());
      if (!error) sink.OnTaskEnd(impl_->task_end);
    } else {
      error = DecodeRareEvent(kind, event_object, sink);
    }
  }
  if (error) {
    last_error_ = fmt::format("{} event: {}", name,
                              simdjson::error_message(error));
    return LineOutcome::kCorrupt;
  }
  return LineOutcome::kEvent;
}

}  // namespace prometheus::events

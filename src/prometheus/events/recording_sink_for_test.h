// An EventSink for tests that keeps what the decoders handed over: the last
// event of each kind, every stage event, and how many calls arrived.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/events/events.h"

namespace prometheus::events::testing {

class RecordingSink : public EventSink {
 public:
  void OnLogStart(std::string_view version) override {
    spark_versions.emplace_back(version);
    ++events;
  }
  void OnApplicationStart(const ApplicationStart& event) override {
    app = event;
    ++events;
  }
  void OnApplicationEnd(int64_t timestamp) override {
    app_end = timestamp;
    ++events;
  }
  void OnEnvironmentUpdate(const EnvironmentUpdate& event) override {
    spark_properties = event.spark_properties;
    java_command = event.java_command;
    ++events;
  }
  void OnExecutorAdded(const ExecutorAdded& event) override {
    executor_added = event;
    ++events;
  }
  void OnExecutorRemoved(const ExecutorRemoved& event) override {
    executor_removed = event;
    ++events;
  }
  void OnJobStart(const JobStart& event) override {
    job = event;
    ++events;
  }
  void OnJobEnd(const JobEnd& event) override {
    job_end = event;
    ++events;
  }
  void OnStageSubmitted(const StageInfo& stage) override {
    submitted_stages.push_back(stage);
    ++events;
  }
  void OnStageCompleted(const StageInfo& stage) override {
    completed_stages.push_back(stage);
    ++events;
  }
  void OnTaskEnd(const TaskEnd& event) override {
    task_end = event;
    executor_id = std::string(event.executor_id);
    ++task_ends;
    ++events;
  }
  void OnSqlExecutionStart(const SqlExecutionStart& event) override {
    sql = event;
    ++events;
  }
  void OnSqlExecutionEnd(const SqlExecutionEnd& event) override {
    sql_end = event;
    ++events;
  }
  void OnSqlAdaptiveUpdate(const SqlAdaptiveUpdate& event) override {
    adaptive_update = event;
    ++events;
  }
  void OnSqlAdaptiveMetricUpdates(const SqlAdaptiveMetricUpdates& event) override {
    adaptive_metrics = event;
    ++events;
  }
  void OnDriverAccumUpdates(const DriverAccumUpdates& event) override {
    driver = event;
    ++events;
  }

  int events = 0;  // calls of any On* method
  std::vector<std::string> spark_versions;
  ApplicationStart app;
  std::optional<int64_t> app_end;
  Properties spark_properties;
  std::string java_command;
  ExecutorAdded executor_added;
  ExecutorRemoved executor_removed;
  JobStart job;
  JobEnd job_end;
  std::vector<StageInfo> submitted_stages;
  std::vector<StageInfo> completed_stages;
  TaskEnd task_end;
  std::string executor_id;  // task_end.executor_id points into the line
  int task_ends = 0;
  SqlExecutionStart sql;
  SqlExecutionEnd sql_end;
  SqlAdaptiveUpdate adaptive_update;
  SqlAdaptiveMetricUpdates adaptive_metrics;
  DriverAccumUpdates driver;
};

}  // namespace prometheus::events::testing

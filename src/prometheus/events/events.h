// Typed Spark listener events, as decoded from one event-log line. String
// views point into the parser's buffers and are valid only during the sink
// callback that receives them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace prometheus::events {

// Counters of "Task Metrics"; absent fields stay zero. Units as Spark logs
// them: the *_ns fields are nanoseconds.
struct TaskMetrics {
  int64_t executor_deserialize_time_ms = 0;
  int64_t executor_deserialize_cpu_time_ns = 0;
  int64_t executor_run_time_ms = 0;
  int64_t executor_cpu_time_ns = 0;
  int64_t result_size_bytes = 0;
  int64_t jvm_gc_time_ms = 0;
  int64_t result_serialization_time_ms = 0;
  int64_t memory_bytes_spilled = 0;
  int64_t disk_bytes_spilled = 0;
  int64_t peak_execution_memory_bytes = 0;
  int64_t input_bytes = 0;
  int64_t input_records = 0;
  int64_t output_bytes = 0;
  int64_t output_records = 0;
  int64_t shuffle_remote_blocks_fetched = 0;
  int64_t shuffle_local_blocks_fetched = 0;
  int64_t shuffle_fetch_wait_ms = 0;
  int64_t shuffle_remote_bytes_read = 0;
  int64_t shuffle_remote_bytes_read_to_disk = 0;
  int64_t shuffle_local_bytes_read = 0;
  int64_t shuffle_records_read = 0;
  int64_t shuffle_write_bytes = 0;
  int64_t shuffle_write_time_ns = 0;
  int64_t shuffle_write_records = 0;
};

// How the History Server counts a finished task.
enum class TaskOutcome { kSuccess, kFailed, kKilled };

struct AccumulatorUpdate {
  int64_t id = 0;
  int64_t update = 0;
};

// A frame of a Java stack trace ("Stack Trace" of an ExceptionFailure).
struct StackFrame {
  std::string_view declaring_class;
  std::string_view method;
  std::string_view file;  // "" when the JVM did not know it
  int64_t line = -1;
};

// Why a task attempt did not succeed, as its "Task End Reason" says; read
// only for attempts that did not succeed, which are rare.
struct TaskFailure {
  // Spark's TaskEndReason: ExceptionFailure, ExecutorLostFailure,
  // FetchFailed, TaskKilled, Resubmitted, TaskResultLost...
  std::string_view reason;
  std::string_view class_name;  // ExceptionFailure: the exception's class
  // The reason's own words: an exception's Description, a lost executor's
  // Loss Reason, a fetch failure's Message, a kill's Kill Reason.
  std::string_view message;
  // ExceptionFailure: the exception, its stack and its causes' as text; a
  // Python traceback a wrapping exception does not repeat is here.
  std::string_view full_stack_trace;
  // The first frame of the stack that is not Spark's, the JVM's, Scala's or
  // a library's (IsFrameworkClass): where the user's JVM code threw.
  std::optional<StackFrame> user_frame;
  // ExecutorLostFailure: the executor lost; FetchFailed: the one that held
  // the shuffle block.
  std::string_view executor_id;
  std::string_view host;  // FetchFailed: the block manager's host
  int64_t shuffle_id = -1;  // FetchFailed
  int64_t map_id = -1;      // FetchFailed: the map task whose output was lost
  std::optional<bool> exit_caused_by_app;  // ExecutorLostFailure
};

// Classes of Spark, the JDK, Scala and the libraries Spark runs tasks
// through (Py4J, Netty, Hadoop, RAPIDS): frames that are not the user's.
bool IsFrameworkClass(std::string_view declaring_class);

struct TaskEnd {
  int64_t stage_id = -1;
  int64_t stage_attempt_id = 0;
  TaskOutcome outcome = TaskOutcome::kSuccess;
  int64_t task_id = -1;
  int64_t index = -1;
  int64_t attempt = 0;
  int64_t launch_time = 0;
  int64_t finish_time = 0;
  bool speculative = false;
  // Reason "Resubmitted": a task that had succeeded, rerun because its
  // executor's shuffle output was lost. Counted as failed, as Spark does.
  bool resubmitted = false;
  TaskFailure failure;  // empty for a success
  bool has_metrics = false;
  // "Task Executor Metrics".JVMHeapMemory (Spark 3.0+): the executor's heap
  // in use when the task ended; 0 when absent.
  int64_t jvm_heap_bytes = 0;
  std::string_view executor_id;
  TaskMetrics metrics;
  // Numeric updates of non-internal accumulators (SQL metrics).
  std::vector<AccumulatorUpdate> accumulables;
};

struct StageInfo {
  int64_t stage_id = -1;
  int64_t attempt_id = 0;
  std::string name;
  std::string details;
  int64_t num_tasks = 0;
  std::vector<int64_t> parent_ids;
  std::optional<int64_t> submission_time;
  std::optional<int64_t> completion_time;
  std::optional<std::string> failure_reason;
  // Stage-level accumulator values (name omitted): id and final value.
  std::vector<AccumulatorUpdate> accumulables;
};

struct ApplicationStart {
  std::string app_name;
  std::string app_id;
  std::string attempt_id;
  std::string user;
  int64_t timestamp = 0;
};

struct ExecutorAdded {
  std::string executor_id;
  std::string host;
  int64_t total_cores = 0;
  int64_t timestamp = 0;
};

struct ExecutorRemoved {
  std::string executor_id;
  std::string reason;
  int64_t timestamp = 0;
};

using Properties = std::vector<std::pair<std::string, std::string>>;

struct EnvironmentUpdate {
  Properties spark_properties;
  // The JVM's `sun.java.command` system property: how the driver was
  // started (`...SparkSubmit ... job.py args`); "" when absent.
  std::string java_command;
};

struct JobStart {
  int64_t job_id = -1;
  std::optional<int64_t> submission_time;  // absent before Spark 1.3
  std::vector<int64_t> stage_ids;
  std::vector<StageInfo> stage_infos;
  Properties properties;
};

struct JobEnd {
  int64_t job_id = -1;
  std::optional<int64_t> completion_time;
  std::string result;  // JobSucceeded or JobFailed
  std::string failure;
};

struct SqlMetricInfo {
  std::string name;
  int64_t accumulator_id = 0;
  std::string metric_type;
};

// One node of `sparkPlanInfo`.
struct SparkPlanInfo {
  std::string node_name;
  std::string simple_string;
  std::vector<SparkPlanInfo> children;
  std::vector<std::pair<std::string, std::string>> metadata;
  std::vector<SqlMetricInfo> metrics;
};

struct SqlExecutionStart {
  int64_t execution_id = -1;
  std::optional<int64_t> root_execution_id;
  std::string description;
  std::string details;
  std::string physical_plan;
  SparkPlanInfo plan;
  int64_t time = 0;
  Properties modified_configs;
};

struct SqlExecutionEnd {
  int64_t execution_id = -1;
  int64_t time = 0;
  std::string error_message;
};

struct SqlAdaptiveUpdate {
  int64_t execution_id = -1;
  std::string physical_plan;
  SparkPlanInfo plan;
};

struct SqlAdaptiveMetricUpdates {
  int64_t execution_id = -1;
  std::vector<SqlMetricInfo> metrics;
};

struct DriverAccumUpdates {
  int64_t execution_id = -1;
  std::vector<AccumulatorUpdate> updates;
};

// Receives decoded events in log order. Every method defaults to ignoring.
class EventSink {
 public:
  virtual ~EventSink() = default;
  // Whether TaskEnd events need their accumulator updates (SQL metrics);
  // reading them is a large share of the parse, so skip it when unused.
  virtual bool WantsAccumulatorUpdates() const { return true; }
  virtual void OnLogStart(std::string_view spark_version) {}
  virtual void OnApplicationStart(const ApplicationStart& event) {}
  virtual void OnApplicationEnd(int64_t timestamp) {}
  virtual void OnEnvironmentUpdate(const EnvironmentUpdate& event) {}
  virtual void OnExecutorAdded(const ExecutorAdded& event) {}
  virtual void OnExecutorRemoved(const ExecutorRemoved& event) {}
  virtual void OnJobStart(const JobStart& event) {}
  virtual void OnJobEnd(const JobEnd& event) {}
  virtual void OnStageSubmitted(const StageInfo& stage) {}
  virtual void OnStageCompleted(const StageInfo& stage) {}
  virtual void OnTaskEnd(const TaskEnd& event) {}
  virtual void OnSqlExecutionStart(const SqlExecutionStart& event) {}
  virtual void OnSqlExecutionEnd(const SqlExecutionEnd& event) {}
  virtual void OnSqlAdaptiveUpdate(const SqlAdaptiveUpdate& event) {}
  virtual void OnSqlAdaptiveMetricUpdates(
      const SqlAdaptiveMetricUpdates& event) {}
  virtual void OnDriverAccumUpdates(const DriverAccumUpdates& event) {}
};

}  // namespace prometheus::events

// Why task attempts failed: each failure's cause read from its "Task End
// Reason" (the exception and where the user's code raised it, the lost
// executor and its exit code, the shuffle that could not be fetched), and
// the failures of one stage attempt grouped by cause.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/events/events.h"

namespace prometheus::model {

enum class FailureCause {
  kTaskException,    // the task's code raised (the job's code, or its data)
  kHeapOutOfMemory,  // the executor JVM ran out of heap (or exited with 52)
  kContainerKilled,  // YARN or Kubernetes killed the container for memory
  kGpuOutOfMemory,   // a RAPIDS task ran out of GPU memory
  kExecutorLost,     // the executor went away for another reason
  kFetchFailed,      // a shuffle block could not be fetched
  kResubmitted,      // rerun: its shuffle output was lost with an executor
  kOther,            // TaskResultLost, UnknownReason...
};

// "task_exception", "heap_out_of_memory"...: the evidence's token.
std::string_view FailureCauseName(FailureCause cause);

bool IsMemoryCause(FailureCause cause);

// Where the user's code raised: a Python frame of a traceback, or a JVM
// frame outside Spark's and the libraries' classes.
struct CodeLocation {
  std::string file;  // as the log spells it: a path or a file name
  int64_t line = -1;
  std::string function;
};

// One failure, understood.
struct ClassifiedFailure {
  FailureCause cause = FailureCause::kOther;
  // What failed, in the log's words, on one line: "Exception: deliberate
  // permanent failure", "java.lang.OutOfMemoryError: Java heap space",
  // "Command exited with code 52".
  std::string error;
  std::optional<CodeLocation> location;
  std::optional<int64_t> exit_code;  // a lost executor's, when it says one
};

ClassifiedFailure ClassifyFailure(const events::TaskFailure& failure);

// Failures of one cause, error and location within a stage attempt.
struct FailureGroup {
  ClassifiedFailure failure;
  std::string reason;  // Spark's TaskEndReason
  int64_t count = 0;
  std::vector<std::string> executors;  // distinct, at most kMaxNames
  std::vector<std::string> hosts;      // FetchFailed: distinct block hosts
  std::vector<int64_t> shuffle_ids;    // FetchFailed: distinct shuffles
  std::vector<int64_t> map_ids;        // FetchFailed: distinct map outputs
  static constexpr size_t kMaxNames = 8;
};

// A stage attempt's failure groups, most frequent first after Finish().
// Bounded: past kMaxGroups distinct groups, failures are only counted.
// Add allocates only for a new group (or a longer error than any before):
// a failure is compared with the groups as views into the event.
struct StageFailures {
  std::vector<FailureGroup> groups;
  int64_t ungrouped = 0;
  static constexpr size_t kMaxGroups = 16;

  void Add(const events::TaskFailure& failure, std::string_view task_executor);
  void Finish();

 private:
  std::string scratch_;  // the error's words while Add compares them
};

}  // namespace prometheus::model

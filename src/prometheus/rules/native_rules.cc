#include "prometheus/rules/native_rules.h"

#include <fmt/format.h>

#include <algorithm>

#include "prometheus/rules/native_rules_internal.h"

namespace prometheus::rules {

RecommendationScope ApplicationScopeOf(const kpi::Analysis& analysis) {
  RecommendationScope scope;
  const model::Application& app = analysis.log.application;
  scope.app_id = app.app_id;
  scope.app_attempt_id = app.attempt_id;
  if (!analysis.stages.empty()) {
    scope.run_id = analysis.stages.front().run_id;
    scope.job_id = analysis.stages.front().job_id;
  }
  return scope;
}

const std::vector<NativeRule>& NativeRules() {
  static const auto* rules = new std::vector<NativeRule>{
      {"idle_cores", "Executor cores paid for but idle", &IdleCores},
      {"driver_gaps", "Time with no Spark job running (driver-bound)", &DriverGaps},
      {"log_data_quality", "Missing or corrupt events make results partial", &LogDataQuality},
      {"out_of_memory", "Tasks or executors died for lack of memory", &OutOfMemory},
      {"aqe_disabled", "Adaptive query execution is off", &AqeDisabled},
      {"executor_memory", "Executor memory over- or under-provisioned", &ExecutorMemory},
      {"missed_broadcast", "A shuffled join whose small side could be broadcast", &MissedBroadcast},
      {"oversized_broadcast", "A broadcast over 1 GiB", &OversizedBroadcast},
      {"small_files_read", "Many small files read", &SmallFilesRead},
      {"small_files_written", "Many small files written", &SmallFilesWritten},
      {"python_udf", "Python UDFs on the critical path", &PythonUdfs},
      {"cartesian_join", "Cross joins over many rows", &CartesianJoin},
  };
  return *rules;
}

}  // namespace prometheus::rules

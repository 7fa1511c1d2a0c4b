// Failed tasks, said with their cause: what the task end reasons tell
// (model/task_failure.h), the stage it happened in, where in the user's
// code, and the fix for that cause. `out_of_memory` takes the stages where
// tasks died for memory; `failures` the stages where they failed for
// anything else.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "prometheus/base/units.h"
#include "prometheus/plan/plan_analysis.h"
#include "prometheus/rules/internal/failure_text.h"
#include "prometheus/rules/internal/native_rules.h"
#include "prometheus/rules/native_rules.h"

namespace prometheus::rules {
namespace {

using model::FailureCause;
using model::FailureGroup;
using model::StageAttempt;

constexpr int64_t kMiB = 1 << 20;

double FailedShare(const StageAttempt& stage) {
  return static_cast<double>(stage.num_failed_tasks) /
         std::max<double>(1, static_cast<double>(stage.num_failed_tasks + stage.num_completed_tasks));
}

// Run time of the failed attempts, assumed as long as the average attempt.
double FailedTaskSeconds(const StageAttempt& stage) {
  return static_cast<double>(stage.totals.executor_run_time_ms) / 1000 * FailedShare(stage);
}

Recommendation StageRecommendation(const kpi::Analysis& a, const StageAttempt& stage,
                                   std::string rule) {
  Recommendation r;
  r.rule = std::move(rule);
  r.scope = ApplicationScopeOf(a);
  r.scope.stage_ids = {stage.stage_id};
  r.scope.spark_job_ids = stage.job_ids;
  r.impact_task_seconds = FailedTaskSeconds(stage);
  r.impact_basis = "run time of the failed task attempts, assumed as long as the average attempt";
  return r;
}

const FailureGroup* LargestWhere(const StageAttempt& stage, bool memory) {
  for (const FailureGroup& group : stage.failures.groups) {
    if (model::IsMemoryCause(group.failure.cause) == memory) return &group;
  }
  return nullptr;
}

// Failed attempts of the stage whose cause `matches`.
template <typename Predicate>
int64_t CountWhere(const StageAttempt& stage, Predicate matches) {
  int64_t count = 0;
  for (const FailureGroup& group : stage.failures.groups) {
    if (matches(group.failure.cause)) count += group.count;
  }
  return count;
}

int64_t MemoryDeaths(const StageAttempt& stage) { return CountWhere(stage, model::IsMemoryCause); }

// The cause that explains the stage's failures: an executor's loss explains
// the fetch failures and resubmissions that follow it.
const FailureGroup* Explaining(const StageAttempt& stage) {
  const FailureGroup* first = LargestWhere(stage, false);
  if (first == nullptr) return nullptr;
  FailureCause cause = first->failure.cause;
  if (cause == FailureCause::kResubmitted || cause == FailureCause::kFetchFailed) {
    for (const FailureGroup& group : stage.failures.groups) {
      if (group.failure.cause == FailureCause::kExecutorLost) return &group;
    }
  }
  return first;
}

std::optional<fix::CallSite> CodeSite(const FailureGroup& group) {
  if (!group.failure.location || group.failure.location->line <= 0) return std::nullopt;
  return fix::CallSite{group.failure.location->file, group.failure.location->line};
}

// The verdict and the fix for the stage's explaining cause.
void AdviseByCause(const StageAttempt& stage, const FailureGroup& group,
                   bool retries_succeeded, Recommendation& r, std::string& verdict) {
  const model::ClassifiedFailure& f = group.failure;
  switch (f.cause) {
    case FailureCause::kTaskException: {
      // "at job.py:60 (in f)", or why no line can be named.
      std::string where = f.location ? " at " + LocationText(*f.location) : "";
      std::string unnamed = f.location ? "" : " (its stack names no line of the job's own code)";
      if (retries_succeeded) {
        verdict = fmt::format(
            "Retries succeeded, so the error is intermittent (a flaky source or service, or "
            "code{} that fails now and then){}; no setting fixes it.", where, unnamed);
        r.fix = fix::Fix{fix::Investigate{fmt::format(
            "find what fails intermittently{}: retry or guard the call to the flaky source",
            f.location ? " in the code" + where : ", starting from `" + f.error + "`")}};
      } else {
        verdict = fmt::format(
            "Every attempt failed the same way: this is an error in the code or the data, "
            "which no setting fixes{}.",
            f.location ? ". Fix the code" + where : unnamed);
        r.fix = fix::Fix{fix::Investigate{fmt::format("fix the error `{}`{}", f.error,
                                                      f.location ? " in the code" + where
                                                                 : " in the job's code or data")}};
      }
      if (auto site = CodeSite(group)) r.fix->call_site = site;
      return;
    }
    case FailureCause::kExecutorLost:
    case FailureCause::kFetchFailed:
    case FailureCause::kResubmitted:
      verdict = f.cause == FailureCause::kExecutorLost &&
                        CountWhere(stage, [](FailureCause c) {
                          return c == FailureCause::kFetchFailed || c == FailureCause::kResubmitted;
                        }) == 0
                    ? "Executors were lost: the tasks running on them failed and ran again."
                    : "Lost executors take their shuffle output with them: tasks that read it "
                      "fail to fetch it and the tasks that wrote it run again.";
      r.fix = fix::Fix{fix::Investigate{
          "find why executors were lost (the cluster manager's logs, spot or preempted "
          "nodes); keep shuffle files when they go with the external shuffle service "
          "(spark.shuffle.service.enabled) or shuffle-block decommissioning "
          "(spark.decommission.enabled, spark.storage.decommission.shuffleBlocks.enabled); "
          "spark.shuffle.io.maxRetries and retryWait ride out a busy one"}};
      return;
    default:
      verdict = "The task end reasons name no cause Prometheus knows.";
      r.fix = fix::Fix{fix::Investigate{"read the failed tasks' end reasons in the Spark UI"}};
      return;
  }
}

// A later attempt of the same stage that completed: the failure was
// recovered (a fetch failure resubmits the stage by design).
bool LaterAttemptCompleted(const model::Application& app, const StageAttempt& stage) {
  for (auto it = app.stages.upper_bound({stage.stage_id, stage.attempt_id});
       it != app.stages.end() && it->first.first == stage.stage_id; ++it) {
    if (it->second.status == model::StageStatus::kComplete) return true;
  }
  return false;
}

}  // namespace

// HEURISTICS #15 (stage part). Ratio = failed / (completed + failed)
// attempts; 0.05/0.1/0.15/0.2 is Dr. Elephant's ladder, where a failed
// stage is critical. Here a failed stage is high, and critical once it saw
// spark.task.maxFailures (4) failed attempts, the count that aborts a job;
// the ratio's high and critical tiers need 5 min of task time. When the
// retries succeeded the failure is intermittent, at most medium.
std::vector<Recommendation> Failures(const kpi::Analysis& a, const Thresholds& t) {
  std::vector<Recommendation> out;
  const double low = t.Get("failures", "failures_low", 0.05);
  for (const auto& [key, stage] : a.log.application.stages) {
    const int64_t other = stage.num_failed_tasks - MemoryDeaths(stage);
    if (other <= 0) continue;  // out_of_memory speaks for these
    const bool attempt_failed = stage.status == model::StageStatus::kFailed;
    const bool recovered = attempt_failed && LaterAttemptCompleted(a.log.application, stage);
    const bool failed = attempt_failed && !recovered;
    const double ratio = FailedShare(stage);
    if (!attempt_failed && ratio < low) continue;
    const bool significant = static_cast<double>(stage.totals.executor_run_time_ms) >=
                             t.Get("failures", "failures_min_run", 300000);
    Recommendation r = StageRecommendation(a, stage, "failures");
    if ((failed && stage.num_failed_tasks >= t.Get("failures", "task_max_failures", 4)) ||
        (significant && ratio >= t.Get("failures", "failures_critical", 0.2))) {
      r.severity = Severity::kCritical;
    } else if (failed || (significant && ratio >= t.Get("failures", "failures_high", 0.15))) {
      r.severity = Severity::kHigh;
    } else if (ratio >= t.Get("failures", "failures_medium", 0.1)) {
      r.severity = Severity::kMedium;
    }
    if (!failed && r.severity > Severity::kMedium) r.severity = Severity::kMedium;
    std::string verdict;
    const FailureGroup* explaining = Explaining(stage);
    AdviseByCause(stage, explaining ? *explaining : FailureGroup{}, !failed, r, verdict);
    std::vector<std::string> lost = LostExecutors(a.log.application);
    if (explaining != nullptr && explaining->failure.cause != FailureCause::kTaskException &&
        !lost.empty()) {
      verdict += fmt::format(" Executors the application lost: {}.", fmt::join(lost, "; "));
    }
    r.message = fmt::format("Stage {} {}: {} of {} task attempts failed ({}): {}. {}",
                            stage.stage_id,
                            failed      ? "failed"
                            : recovered ? fmt::format("attempt {} failed and a later attempt completed",
                                                      stage.attempt_id)
                                        : "completed after retries",
                            stage.num_failed_tasks,
                            stage.num_failed_tasks + stage.num_completed_tasks, Percent(ratio),
                            GroupsText(stage.failures), verdict);
    r.evidence = {{"failure_ratio", ratio},
                  {"num_failed_tasks", stage.num_failed_tasks},
                  {"num_completed_tasks", stage.num_completed_tasks},
                  {"status", std::string(model::StageStatusName(stage.status))},
                  {"stage_attempt_id", stage.attempt_id},
                  {"retries_succeeded", !failed},
                  {"causes", CausesJson(stage.failures)},
                  {"executors_lost", lost},
                  {"threshold_failures_low", low}};
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

int64_t PropertyBytes(const model::Application& app, std::string_view key, int64_t fallback) {
  const std::string* text = app.Property(key);
  if (text == nullptr) return fallback;
  return plan::ParseByteSize(*text).value_or(fallback);
}

std::string Gibibytes(double bytes) {
  return fmt::format("{:.0f}g", std::max(1.0, std::ceil(bytes / (1 << 30))));
}

// The setting that gives the dying tasks more of what they lacked.
void AdviseMemory(const model::Application& app, const FailureGroup& group,
                  Recommendation& r, std::string& advice) {
  const int64_t memory = PropertyBytes(app, "spark.executor.memory", 1ll << 30);
  switch (group.failure.cause) {
    case FailureCause::kContainerKilled: {
      int64_t overhead = PropertyBytes(app, "spark.executor.memoryOverhead",
                                       std::max<int64_t>(384 * kMiB, memory / 10));
      std::string value = Gibibytes(2.0 * static_cast<double>(overhead));
      advice = fmt::format(
          "The cluster manager killed the container for using more memory than it was "
          "given: memory outside the heap (Python workers, off-heap buffers, native "
          "libraries) outgrew spark.executor.memoryOverhead. Raise it to {}.", value);
      r.fix = fix::Fix{fix::Conf{"spark.executor.memoryOverhead", value}};
      return;
    }
    case FailureCause::kGpuOutOfMemory: {
      // Split-and-retry already halved the batch as far as it could: what
      // is left is the GPU's memory shared by the tasks running on it.
      const std::string* text = app.Property("spark.rapids.sql.concurrentGpuTasks");
      int64_t concurrent = 2;  // RAPIDS' default
      if (text != nullptr) concurrent = std::strtoll(text->c_str(), nullptr, 10);
      const bool split = group.failure.error.find("SplitAndRetry") != std::string::npos;
      if (split && concurrent > 1) {
        std::string value = std::to_string(concurrent / 2);
        advice = fmt::format(
            "The GPU ran out of memory even after RAPIDS split the input as far as it could: "
            "{} tasks share each GPU's memory. Run fewer at once "
            "(spark.rapids.sql.concurrentGpuTasks={}), or give RAPIDS more of the GPU "
            "(spark.rapids.memory.gpu.allocFraction) or smaller input splits "
            "(spark.sql.files.maxPartitionBytes).", concurrent, value);
        r.fix = fix::Fix{fix::Conf{"spark.rapids.sql.concurrentGpuTasks", value}};
        return;
      }
      int64_t batch = PropertyBytes(app, "spark.rapids.sql.batchSizeBytes", 1ll << 30);
      std::string value = fmt::format("{}m", std::max<int64_t>(64, batch / 2 / kMiB));
      advice = fmt::format(
          "The GPU ran out of memory: halve the batch size "
          "(spark.rapids.sql.batchSizeBytes={}), run fewer tasks per GPU "
          "(spark.rapids.sql.concurrentGpuTasks), or give RAPIDS more of the GPU "
          "(spark.rapids.memory.gpu.allocFraction).", value);
      r.fix = fix::Fix{fix::Conf{"spark.rapids.sql.batchSizeBytes", value}};
      return;
    }
    default: {
      std::string value = Gibibytes(1.5 * static_cast<double>(memory));
      advice = fmt::format(
          "The executor JVM ran out of heap. Give each task more: raise "
          "spark.executor.memory to {}, or split the work into more partitions, or run "
          "fewer cores per executor.", value);
      r.fix = fix::Fix{fix::Conf{"spark.executor.memory", value}};
      return;
    }
  }
}

}  // namespace

// HEURISTICS #15: OutOfMemoryError, memory-limit container kills, GPU OOM.
std::vector<Recommendation> OutOfMemory(const kpi::Analysis& a, const Thresholds&) {
  std::vector<Recommendation> out;
  const model::Application& app = a.log.application;
  for (const auto& [key, stage] : app.stages) {
    const FailureGroup* memory = LargestWhere(stage, true);
    if (memory == nullptr) continue;
    const int64_t dead = MemoryDeaths(stage);
    const bool failed = stage.status == model::StageStatus::kFailed;
    Recommendation r = StageRecommendation(a, stage, "out_of_memory");
    r.severity = failed ? Severity::kCritical : Severity::kHigh;
    std::string advice;
    AdviseMemory(app, *memory, r, advice);
    r.message = fmt::format("{} task attempt(s) of stage {} ({}) died for lack of memory{}: {}. {}",
                            dead, stage.stage_id, stage.name,
                            failed ? " and the stage failed" : "", GroupsText(stage.failures),
                            advice);
    r.evidence = {{"out_of_memory_tasks", dead},
                  {"failed_tasks", stage.num_failed_tasks},
                  {"stage_status", std::string(model::StageStatusName(stage.status))},
                  {"cause", std::string(model::FailureCauseName(memory->failure.cause))},
                  {"causes", CausesJson(stage.failures)}};
    r.impact_basis = "run time of the failed task attempts, retried in vain";
    if (auto site = ParseCallSite(stage.name)) r.fix->call_site = site;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace prometheus::rules

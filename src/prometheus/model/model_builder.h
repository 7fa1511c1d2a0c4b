// Folds a stream of events into an Application.
#pragma once

#include <unordered_map>
#include <unordered_set>

#include "prometheus/events/events.h"
#include "prometheus/model/application.h"

namespace prometheus::model {

class ModelBuilder final : public events::EventSink {
 public:
  bool WantsAccumulatorUpdates() const override {
    return !sql_accumulators_.empty();
  }
  void OnLogStart(std::string_view spark_version) override;
  void OnApplicationStart(const events::ApplicationStart& event) override;
  void OnApplicationEnd(int64_t timestamp) override;
  void OnEnvironmentUpdate(const events::EnvironmentUpdate& event) override;
  void OnExecutorAdded(const events::ExecutorAdded& event) override;
  void OnExecutorRemoved(const events::ExecutorRemoved& event) override;
  void OnJobStart(const events::JobStart& event) override;
  void OnJobEnd(const events::JobEnd& event) override;
  void OnStageSubmitted(const events::StageInfo& stage) override;
  void OnStageCompleted(const events::StageInfo& stage) override;
  void OnTaskEnd(const events::TaskEnd& event) override;
  void OnSqlExecutionStart(const events::SqlExecutionStart& event) override;
  void OnSqlExecutionEnd(const events::SqlExecutionEnd& event) override;
  void OnSqlAdaptiveUpdate(const events::SqlAdaptiveUpdate& event) override;
  void OnSqlAdaptiveMetricUpdates(
      const events::SqlAdaptiveMetricUpdates& event) override;
  void OnDriverAccumUpdates(const events::DriverAccumUpdates& event) override;

  // Resolves SQL metric values into the plans and returns the application.
  // The builder must not be used afterwards.
  Application Finish() &&;

 private:
  StageAttempt& Stage(int64_t stage_id, int64_t attempt_id);
  void UpdateStageInfo(const events::StageInfo& info, StageAttempt& stage);
  void RegisterMetrics(const PlanNode& node);
  void RegisterMetric(int64_t accumulator_id, std::string_view name);
  void FoldPhotonMetric(const events::AccumulatorUpdate& update,
                        StageAttempt& stage) const;

  Application app_;
  StageAttempt* last_stage_ = nullptr;
  std::unordered_set<int64_t> sql_accumulators_;
  // The SQL metrics that stand in for task metrics on Photon, by accumulator
  // id.
  enum class PhotonMetric { kPeakMemory, kShuffleWriteTime };
  std::unordered_map<int64_t, PhotonMetric> photon_metrics_;
  // SQL metric values from stage completions, used only for accumulators no
  // task or driver update carried.
  std::unordered_map<int64_t, int64_t> stage_values_;
  // Jobs that listed each stage id, so attempts created later know them.
  std::unordered_map<int64_t, std::vector<int64_t>> stage_jobs_;
};

}  // namespace prometheus::model

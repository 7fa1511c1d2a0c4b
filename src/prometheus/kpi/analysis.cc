#include "prometheus/kpi/analysis.h"

#include <utility>

namespace prometheus::kpi {

Analysis Analyze(model::LoadedLog log, int64_t collected_at_ms) {
  Analysis analysis;
  analysis.plans = plan::AnalyzePlans(log.application);
  analysis.stages = ComputeStageKpis(log.application, collected_at_ms);
  for (StageKpis& row : analysis.stages) {
    row.broadcast_miss_flag = analysis.plans.broadcast_miss.contains(
        {row.stage_id, row.stage_attempt_id});
  }
  analysis.jobs = ComputeJobKpis(log.application, analysis.stages);
  analysis.application =
      ComputeApplicationKpis(log.application, analysis.stages);
  analysis.log = std::move(log);
  return analysis;
}

}  // namespace prometheus::kpi

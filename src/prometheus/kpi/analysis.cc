#include "prometheus/kpi/analysis.h"

#include <utility>

namespace prometheus::kpi {

Analysis Analyze(model::LoadedLog log, int64_t collected_at_ms) {
  Analysis analysis;
  analysis.stages = ComputeStageKpis(log.application, collected_at_ms);
  analysis.jobs = ComputeJobKpis(log.application, analysis.stages);
  analysis.application =
      ComputeApplicationKpis(log.application, analysis.stages);
  analysis.log = std::move(log);
  return analysis;
}

}  // namespace prometheus::kpi

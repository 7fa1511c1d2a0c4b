// Everything Prometheus computes about one application attempt's log.
#pragma once

#include <vector>

#include "prometheus/kpi/rollups.h"
#include "prometheus/kpi/stage_kpis.h"
#include "prometheus/model/load_event_log.h"
#include "prometheus/plan/plan_analysis.h"

namespace prometheus::kpi {

struct Analysis {
  model::LoadedLog log;
  std::vector<StageKpis> stages;
  std::vector<JobKpis> jobs;
  ApplicationKpis application;
  plan::PlanAnalysis plans;
};

Analysis Analyze(model::LoadedLog log, int64_t collected_at_ms);

}  // namespace prometheus::kpi

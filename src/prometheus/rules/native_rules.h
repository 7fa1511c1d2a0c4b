// Rules written in C++: those that need more than one scope's values (job
// timelines, plans, log quality). Each returns its recommendations without
// ids; the engine assigns them.
#pragma once

#include <string>
#include <vector>

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"
#include "prometheus/rules/thresholds.h"

namespace prometheus::rules {

struct NativeRule {
  std::string id;
  std::string title;
  std::vector<Recommendation> (*evaluate)(const kpi::Analysis& analysis,
                                          const Thresholds& thresholds);
  // The names --threshold may set for this rule, with their defaults.
  std::vector<std::pair<std::string, double>> thresholds;
};

const std::vector<NativeRule>& NativeRules();

// The scope fields every recommendation about `analysis` shares.
RecommendationScope ApplicationScopeOf(const kpi::Analysis& analysis);

// The job's entry point: spark.databricks.notebook.path, else the Python
// file the driver was submitted with (sun.java.command); "" for neither (a
// Jupyter kernel, a shell).
std::string EntryPointOf(const model::Application& app);

}  // namespace prometheus::rules

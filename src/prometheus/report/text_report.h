// The report for people: per application a summary and the stages that
// matter most (longest, most skewed, most spill).
#pragma once

#include <string>
#include <vector>

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"

namespace prometheus::report {

struct TextOptions {
  bool color = false;
  size_t top_stages = 5;
};

// `recommendations`, when given, are listed under each application.
std::string RenderText(
    const std::vector<kpi::Analysis>& analyses,
    const std::vector<std::string>& warnings, const TextOptions& options,
    const std::vector<std::vector<rules::Recommendation>>* recommendations = nullptr);

}  // namespace prometheus::report

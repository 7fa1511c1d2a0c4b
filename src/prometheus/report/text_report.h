// The report for people: per application a summary and the stages that
// matter most (longest, most skewed, most spill).
#pragma once

#include <string>
#include <vector>

#include "prometheus/kpi/analysis.h"

namespace prometheus::report {

struct TextOptions {
  bool color = false;
  size_t top_stages = 5;
};

std::string RenderText(const std::vector<kpi::Analysis>& analyses,
                       const std::vector<std::string>& warnings,
                       const TextOptions& options);

}  // namespace prometheus::report

// What-if sizing for people (a table of the curve and two answers) and for
// machines (one JSON document).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prometheus/model/application.h"
#include "prometheus/whatif/whatif.h"

namespace prometheus::report {

// One application's sizing, named by its application.
struct AppSizing {
  std::string app_id;
  std::string app_name;
  whatif::Sizing sizing;
};

nlohmann::ordered_json EstimateToJson(const whatif::Estimate& estimate);

// {"app_id", "app_name", "observed": {...}, "wall_ms", "driver_ms", ...,
// "curve": [...], "smallest_within": {...}, "knee": {...}}.
nlohmann::ordered_json SizingToJson(const AppSizing& sizing);

// {"applications": [...], "warnings": [...]}.
std::string RenderWhatIfJson(const std::vector<AppSizing>& sizings,
                             const std::vector<std::string>& warnings);

std::string RenderWhatIfText(const std::vector<AppSizing>& sizings);

}  // namespace prometheus::report

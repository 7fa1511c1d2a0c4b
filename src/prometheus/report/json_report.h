// The machine-readable report: one JSON document for all applications.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"

namespace prometheus::report {

// The KPI row as a JSON object with the contract's column names; times as
// ISO 8601 UTC strings, absent values as null.
nlohmann::ordered_json StageKpisToJson(const kpi::StageKpis& row);

// {"applications":[...], "corrupt_lines": N, "warnings": [...]}.
// `recommendations`, when given, holds each analysis' recommendations (same
// order) and adds "recommendations" to each application.
std::string RenderJson(
    const std::vector<kpi::Analysis>& analyses,
    const std::vector<std::string>& warnings,
    const std::vector<std::vector<rules::Recommendation>>* recommendations = nullptr);

}  // namespace prometheus::report

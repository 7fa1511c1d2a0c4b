// Stage KPI rows as CSV (RFC 4180), one header line then one row per stage.
#pragma once

#include <string>
#include <vector>

#include "prometheus/kpi/analysis.h"

namespace prometheus::report {

std::string RenderCsv(const std::vector<kpi::Analysis>& analyses);

}  // namespace prometheus::report

// Where the HTML report's data comes from: one analysis run (`analyze
// --html`), or a lake (`report --store`).
#pragma once

#include <filesystem>
#include <optional>

#include "prometheus/base/result.h"
#include "prometheus/pipeline/load_logs.h"
#include "prometheus/report/html_data.h"

namespace prometheus::report {

// The applications, stages and recommendations of `analyzed`, each with its
// what-if sizing.
ReportInput InputFromAnalyses(const pipeline::Analyzed& analyzed, std::string source,
                              int64_t now_ms, std::optional<double> core_hour_price);

// The lake's three tables at their latest versions; the drill-down
// applications' what-if sizing from their logs where the stored paths still
// read (a log that does not is left without one). Fails with kNotFound when
// the store holds no applications.
Result<ReportInput> InputFromLake(const std::filesystem::path& store, int64_t now_ms,
                                  std::optional<double> core_hour_price,
                                  const ReportLimits& limits = {});

}  // namespace prometheus::report

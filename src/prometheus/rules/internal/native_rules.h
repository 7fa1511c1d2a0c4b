// The native rules, one function each (native_rules_*.cc), private to rules:
// the engine runs them through NativeRules() (native_rules.h).
#pragma once

#include <vector>

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"
#include "prometheus/rules/thresholds.h"

namespace prometheus::rules {

std::vector<Recommendation> IdleCores(const kpi::Analysis& analysis,
                                      const Thresholds& t = Thresholds());
std::vector<Recommendation> DriverGaps(const kpi::Analysis& analysis,
                                       const Thresholds& t = Thresholds());
std::vector<Recommendation> LogDataQuality(const kpi::Analysis& analysis,
                                           const Thresholds& t = Thresholds());
std::vector<Recommendation> OutOfMemory(const kpi::Analysis& analysis,
                                        const Thresholds& t = Thresholds());
std::vector<Recommendation> Failures(const kpi::Analysis& analysis,
                                     const Thresholds& t = Thresholds());
std::vector<Recommendation> AqeDisabled(const kpi::Analysis& analysis,
                                        const Thresholds& t = Thresholds());
std::vector<Recommendation> ExecutorMemory(const kpi::Analysis& analysis,
                                           const Thresholds& t = Thresholds());

// "12%" of a ratio.
std::string Percent(double ratio);
std::vector<Recommendation> MissedBroadcast(const kpi::Analysis& analysis,
                                            const Thresholds& t = Thresholds());
std::vector<Recommendation> OversizedBroadcast(
    const kpi::Analysis& analysis, const Thresholds& t = Thresholds());
std::vector<Recommendation> SmallFilesRead(const kpi::Analysis& analysis,
                                           const Thresholds& t = Thresholds());
std::vector<Recommendation> SmallFilesWritten(
    const kpi::Analysis& analysis, const Thresholds& t = Thresholds());
std::vector<Recommendation> PythonUdfs(const kpi::Analysis& analysis,
                                       const Thresholds& t = Thresholds());
std::vector<Recommendation> CartesianJoin(const kpi::Analysis& analysis,
                                          const Thresholds& t = Thresholds());
std::vector<Recommendation> RepeatedScan(const kpi::Analysis& analysis,
                                         const Thresholds& t = Thresholds());

}  // namespace prometheus::rules

// What `observe` and `recommend` did to the lake, for people (text) or
// machines (JSON).
#pragma once

#include <string>
#include <string_view>

#include "prometheus/pipeline/observe.h"
#include "prometheus/pipeline/recommend.h"
#include "prometheus/lake/lake.h"

namespace prometheus::report {

// "STORE: N log(s) found, ..." on two lines.
std::string RenderObserveText(std::string_view store, const pipeline::ObserveBatch& batch,
                              const lake::IngestStats& stats);

// One object: the store, the counts of logs and applications, the commits
// and the warnings.
std::string RenderObserveJson(std::string_view store, const pipeline::ObserveBatch& batch,
                              const lake::IngestStats& stats);

// The text report of the applications with their recommendations, then how
// many were stored, and how many could not be evaluated for want of their log.
std::string RenderRecommendText(std::string_view store, const pipeline::Analyzed& analyzed,
                                const lake::IngestStats& stats, int64_t logs_missing = 0);

// {"recommendations": [...]}: every application's, in order.
std::string RenderRecommendJson(const pipeline::Analyzed& analyzed);

}  // namespace prometheus::report

// The what-if sizing (prometheus/whatif) cited by the rules that advise on
// executors: evidence fields and a sentence of message.
#pragma once

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"

namespace prometheus::rules {

// Adds evidence "whatif" (the observed shape, the model's time at it, the
// smallest cluster within 10% slowdown and the knee, each with executors,
// wall_ms and core_hours) to `recommendation` and, when a smaller cluster
// does within 10%, a sentence naming it to the message. Nothing when no task
// ran.
void CiteWhatIf(const kpi::Analysis& analysis, Recommendation& recommendation);

}  // namespace prometheus::rules

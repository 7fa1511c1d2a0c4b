// Formatting of times, sizes and durations for people and for machines.
#pragma once

#include <cstdint>
#include <string>

#include "prometheus/base/units.h"

namespace prometheus::report {

// ISO 8601 UTC with milliseconds: "2015-02-03T16:43:07.191Z".
std::string FormatTimestamp(int64_t epoch_ms);

// Sizes and durations live in base so that every layer can use them.
using ::prometheus::FormatBytes;
using ::prometheus::FormatDuration;

}  // namespace prometheus::report

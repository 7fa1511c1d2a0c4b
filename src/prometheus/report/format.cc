#include "prometheus/report/format.h"

#include "prometheus/base/time_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace prometheus::report {

std::string FormatTimestamp(int64_t epoch_ms) { return IsoUtcMillis(epoch_ms); }

}  // namespace prometheus::report

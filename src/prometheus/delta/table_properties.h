// Delta table properties (metaData.configuration) that writers honour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "prometheus/delta/delta_log.h"

namespace prometheus::delta {

// Delta's default delta.logRetentionDuration: 30 days.
inline constexpr int64_t kDefaultLogRetentionMs = 30LL * 24 * 3600 * 1000;

// Milliseconds of a Delta interval property value, as Delta writes them:
// "interval 7 days", "interval 1 week", "30 days", "12 hours"; units
// millisecond(s), second(s), minute(s), hour(s), day(s), week(s). nullopt
// when it is not of that form.
std::optional<int64_t> ParseIntervalMs(std::string_view text);

// The property `key` of `metadata` as an interval, or `fallback` when it
// is unset or unreadable.
int64_t PropertyDurationMs(const Metadata& metadata, const std::string& key, int64_t fallback);

}  // namespace prometheus::delta

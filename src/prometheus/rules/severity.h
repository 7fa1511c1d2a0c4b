// How bad a finding is.
#pragma once

#include <optional>
#include <string_view>

namespace prometheus::rules {

enum class Severity { kLow, kMedium, kHigh, kCritical };

std::string_view SeverityName(Severity severity);  // "low" ... "critical"
std::optional<Severity> ParseSeverity(std::string_view name);

}  // namespace prometheus::rules

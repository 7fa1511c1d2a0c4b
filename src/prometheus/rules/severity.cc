#include "prometheus/rules/severity.h"

namespace prometheus::rules {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kLow:
      return "low";
    case Severity::kMedium:
      return "medium";
    case Severity::kHigh:
      return "high";
    case Severity::kCritical:
      return "critical";
  }
  return "low";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  if (name == "low") return Severity::kLow;
  if (name == "medium") return Severity::kMedium;
  if (name == "high") return Severity::kHigh;
  if (name == "critical") return Severity::kCritical;
  return std::nullopt;
}

}  // namespace prometheus::rules

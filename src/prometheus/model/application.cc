#include "prometheus/model/application.h"

namespace prometheus::model {

std::string_view StageStatusName(StageStatus status) {
  switch (status) {
    case StageStatus::kActive:
      return "ACTIVE";
    case StageStatus::kComplete:
      return "COMPLETE";
    case StageStatus::kFailed:
      return "FAILED";
    case StageStatus::kSkipped:
      return "SKIPPED";
  }
  return "ACTIVE";
}

const std::string* Application::Property(std::string_view key) const {
  for (const auto& [name, value] : spark_properties) {
    if (name == key) return &value;
  }
  return nullptr;
}

}  // namespace prometheus::model

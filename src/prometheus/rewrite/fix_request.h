// One recommendation record as `prometheus fix` reads it: its id, its rule
// and its typed fix (fix/fix.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "prometheus/base/result.h"
#include "prometheus/fix/fix.h"

namespace prometheus::rewrite {

struct FixRequest {
  std::string id;    // the recommendation's id
  std::string rule;  // the rule that made it
  fix::Fix fix;
};

// Reads one recommendation record ({"id", "rule", "fix": {...}}). Fails
// naming the field that is missing or of the wrong type.
Result<FixRequest> ReadFixRequest(const nlohmann::json& recommendation);

// The request of a record that does not read: its id when it is a string,
// and fix::Unreadable of its fix, for reporting it.
FixRequest UnreadableRequest(const nlohmann::json& recommendation);

}  // namespace prometheus::rewrite

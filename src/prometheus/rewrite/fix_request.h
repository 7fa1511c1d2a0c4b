// One recommendation record as `prometheus fix` reads it: its id, its rule
// and its typed fix (fix/fix.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/fix/fix.h"

namespace prometheus::rewrite {

// Where the job whose log made a recommendation lives in the code (the
// recommendation's scope): a settings fix belongs in that job's file.
struct JobAnchors {
  std::string entry_point;               // scope.entry_point, "" unknown
  std::vector<fix::CallSite> call_sites;  // scope.call_sites

  bool empty() const { return entry_point.empty() && call_sites.empty(); }
};

struct FixRequest {
  std::string id;    // the recommendation's id
  std::string rule;  // the rule that made it
  fix::Fix fix;
  JobAnchors anchors;
};

// Reads one recommendation record ({"id", "rule", "scope", "fix": {...}}).
// Fails naming the field of the fix that is missing or of the wrong type;
// the scope's anchors are read leniently (what does not read is unknown).
Result<FixRequest> ReadFixRequest(const nlohmann::json& recommendation);

// The request of a record that does not read: its id when it is a string,
// and fix::Unreadable of its fix, for reporting it.
FixRequest UnreadableRequest(const nlohmann::json& recommendation);

}  // namespace prometheus::rewrite

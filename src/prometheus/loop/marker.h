// What Prometheus writes into its pull requests for itself: a hidden HTML
// comment at the end of the body with the job, the recommendations and
// their expected impact when proposed (how a closed pull request's findings
// are recognised later, and what `verify` compares), and the markers of its
// own comments (so that it comments once).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/loop/jobs.h"

namespace prometheus::loop {

struct Marker {
  std::string kind = "fixes";  // or "revert"
  JobKey job;
  // Finding (FindingId: the rule and the fix, the same on every run of the
  // job) -> expected task seconds per run when proposed.
  std::map<std::string, double> impact_by_finding;
  // The recommendations (of every run) the pull request carries out.
  std::vector<std::string> recommendation_ids;
  int64_t reverts = 0;  // for a revert: the pull request it reverts
};

// A finding's id: the same rule asking for the same fix of one job gets
// the same id on every run, where recommendation ids are per run.
std::string FindingId(const std::string& rule, const std::string& fix_json);

std::string WriteMarker(const Marker& marker);
// nullopt when the body has no marker (not Prometheus', or edited away).
std::optional<Marker> ReadMarker(const std::string& body);

// The hidden line that starts each of Prometheus' comments of a kind
// ("hands-off", "verdict", "waiting 2/3"...).
std::string CommentTag(const std::string& kind);
bool HasCommentTag(const std::string& body, const std::string& kind);

}  // namespace prometheus::loop

// The words of Prometheus' pull requests and comments (docs/LOOP.md): the
// commit message of one fix; the body listing each fix with its rule,
// evidence table, expected impact, safety class and how to silence it,
// under the job's before-figures; the before/after table of `verify`.
// Never holds a secret: only what the lake and the fixes say.
#pragma once

#include <string>
#include <vector>

#include "prometheus/lake/stored_records.h"
#include "prometheus/loop/jobs.h"
#include "prometheus/loop/marker.h"

namespace prometheus::loop {

struct FixText {
  const lake::StoredRecommendation* recommendation;
  std::string label;   // fix::Label
  std::string safety;  // fix::SafetyName
  std::string where;   // "jobs/etl.py:12", when known
};

std::string CommitMessage(const FixText& fix, const JobKey& job);

std::string PullRequestTitle(const JobKey& job, size_t fixes);
std::string PullRequestBody(const JobKey& job, const Figures& before,
                            const std::vector<FixText>& fixes, const Marker& marker);

// One metric before and after a merge, with its noise band.
struct Delta {
  std::string name;  // "duration"
  double before = 0;
  double after = 0;
  double band = 0;  // relative, e.g. 0.08 for +-8%
  bool bytes = false;
  double Change() const { return before == 0 ? 0 : (after - before) / before; }
};

std::string FiguresTable(const Figures& figures);
std::string DeltaTable(const std::vector<Delta>& deltas, size_t runs_before, size_t runs_after);

}  // namespace prometheus::loop

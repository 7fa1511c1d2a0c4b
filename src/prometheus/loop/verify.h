// `prometheus verify`: for each merged Prometheus pull request, the job's
// runs after the merge against the runs before it (medians of at least
// --min-runs each side, a noise band from the job's own run-to-run
// spread), commented on the pull request; a job that got worse beyond the
// band gets a revert pull request with the evidence (docs/LOOP.md).
#pragma once

#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/forge/forge.h"
#include "prometheus/git/repository.h"
#include "prometheus/loop/jobs.h"
#include "prometheus/loop/pr_text.h"

namespace prometheus::loop {

struct VerifyOptions {
  std::string store;
  size_t min_runs = 3;
  size_t max_runs = 10;  // the most recent runs of each side
  bool push = false;     // comment and open reverts; else print only
  std::string remote = "origin";
  git::Identity identity;
  git::Credentials credentials;
};

enum class Verdict { kNotEnoughRuns, kImproved, kWithinNoise, kWorse };
std::string_view VerdictName(Verdict verdict);

// A run is after the merge when its recorded git commit (Databricks'
// git_source used_commit) contains the merge commit; without a commit (or
// a repository that knows it), when it started after the merge time.
struct Comparison {
  Verdict verdict = Verdict::kNotEnoughRuns;
  size_t runs_before = 0;
  size_t runs_after = 0;
  std::vector<Delta> deltas;  // duration first
  std::string how;            // "by commit", "by time"
};

// The verdict on a comparison's deltas (duration, task time, spill,
// shuffle), each against its own noise band. The wall time and the task
// time (the cost) come first: worse when the job got slower and no
// cheaper; improved when it got faster and no dearer, or cheaper while its
// wall time stayed within the noise (on a shared cluster the wall time is
// the noisiest figure); with both within the noise, improved when spill or
// shuffle fell and neither grew. Anything else, mixed signals included, is
// within noise, and never leads to a revert.
Verdict VerdictOf(const std::vector<Delta>& deltas);

Comparison Compare(const std::vector<const lake::StoredApplication*>& runs, int64_t merged_at_ms,
                   const std::string& merge_commit, const git::Repository* repo,
                   size_t min_runs, size_t max_runs);

struct PullVerification {
  int64_t number = 0;
  std::string job;
  Comparison comparison;
  std::string action;  // "commented", "already verified", "revert opened #7"...
  std::string comment;
};

// `repo` (may be null) settles runs by commit and makes the revert; `forge`
// is required (the merged pull requests come from it).
Result<std::vector<PullVerification>> Verify(const VerifyOptions& options, git::Repository* repo,
                                             forge::Forge& forge);

}  // namespace prometheus::loop

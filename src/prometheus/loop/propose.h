// `prometheus propose`: the lake's safe fixes, grouped per job, each group
// on a deterministic branch from the default branch's tip with one commit
// per fix; with a forge, pushed and proposed as one pull request per
// branch, updated in place, never duplicated (docs/LOOP.md).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/forge/forge.h"
#include "prometheus/git/repository.h"

namespace prometheus::loop {

struct ProposeOptions {
  std::string store;
  std::string remote = "origin";
  int max_open = 5;
  git::Identity identity;
  git::Credentials credentials;  // for fetch and push
};

struct JobProposal {
  std::string job;     // the job's label
  std::string branch;  // prometheus/<job>/<short id>
  std::string base;    // the default branch's tip
  std::string tip;     // the last fix's commit
  std::vector<std::string> commits;  // their summaries, in order
  std::vector<std::string> ids;      // the recommendations, in commit order
  std::string title;
  std::string body;
  std::string diff;
  // What happened: "dry run", "opened #3", "updated #3", "unchanged #3",
  // "skipped: ..." (a human commit, --max-open, a closed pull request).
  std::string action;
  std::vector<std::string> notes;  // fixes not applied and why; pull requests superseded
};

struct ProposeReport {
  std::vector<JobProposal> jobs;
  std::vector<std::string> suppressed;  // "id: closed in #4"
  std::string warning;  // a dry run that could not fetch, and why
};

// Without a forge it is a dry run: it fetches (when the remote exists) and
// builds the commits, but pushes nothing and moves no ref.
Result<ProposeReport> Propose(const ProposeOptions& options, git::Repository& repo,
                              forge::Forge* forge);

}  // namespace prometheus::loop

// The closed loop's pull requests for the HTML report (docs/REPORT.md,
// "Fixes merged and realised savings"): the loop keeps no record of its
// own but the pull requests on the forge (their hidden markers), so the
// report reads them there and measures the merged ones on the lake's runs
// as `verify` does.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/forge/forge.h"
#include "prometheus/git/repository.h"
#include "prometheus/lake/stored_records.h"
#include "prometheus/report/html_data.h"

namespace prometheus::cli {

// Every pull request of `forge` on a `prometheus/` branch whose body holds
// Prometheus' marker: fixes with their state, job, recommendations and,
// when merged, verify's comparison of the job's runs before and after
// (loop::Compare with verify's defaults); a revert is attached to the pull
// request it reverts. With `repo` (may be null), merged runs are split by
// commit where they record one, and each pull request gets the diff of
// Prometheus' own commits on its branch when the repository holds them.
Result<std::vector<report::LoopPull>> LoopPulls(
    forge::Forge& forge, const git::Repository* repo,
    const std::vector<lake::StoredApplication>& applications,
    const std::vector<lake::StoredRecommendation>& recommendations);

// The diff of the commits Prometheus made on a branch ending at `head`
// (first parents back to the first commit by another committer, at most
// 100); "" when the repository does not hold `head`.
std::string ProposedDiff(const git::Repository& repo, const std::string& head);

// The diff `prometheus fix` would make in `repo` (a dry run: nothing is
// written) for each recommendation record (fix_input's shape) whose fix is
// of a safe kind, by recommendation id: "" when it changes nothing (the
// code has it already, or no place fits). Each distinct fix (its JSON and
// the job's entry point) is planned once on a tree of its own, at most
// `max_trees` of them, the records in the order given.
std::map<std::string, std::string> WouldFixDiffs(const std::filesystem::path& repo,
                                                 const std::vector<nlohmann::json>& records,
                                                 size_t max_trees = 40);

}  // namespace prometheus::cli

// What `fix` did: the diff of the changed files, a summary line per fix, or
// both as one JSON object.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "prometheus/rewrite/fix_batch.h"
#include "prometheus/rewrite/fix_request.h"
#include "prometheus/rewrite/fix_runner.h"
#include "prometheus/rewrite/source_tree.h"

namespace prometheus::report {

// One fix and what became of it, with every recommendation that asked for
// it (rewrite::FixBatch runs identical fixes once).
using FixResult = rewrite::BatchItem;

// Why each changed file could not be written, by path; empty when all were.
using FixWriteFailures = std::map<std::string, std::string>;

// The unified diff of every changed file of `tree`, coloured for a terminal
// when `color`.
std::string RenderFixDiff(const rewrite::SourceTree& tree, bool color);

// For people: the files that could not be read, those outside the
// repository, those that could not be written, a line per fix grouped by
// status (a described fix's sketch indented under it; "for N
// recommendations" when several asked for it), then the count of each
// status. `applied`: the files were written (else it says how to write
// them).
std::string RenderFixSummary(const std::vector<FixResult>& results,
                             const std::vector<std::string>& unreadable, bool applied,
                             const std::vector<std::string>& outside = {},
                             const FixWriteFailures& not_written = {});

// For machines: {"applied" (true when every changed file was written),
// "counts", "fixes" (with every recommendation's id in "ids"), "files"
// (with their diffs, and "applied" and "error" each), "unreadable",
// "outside"}.
std::string RenderFixJson(const std::vector<FixResult>& results,
                          const rewrite::SourceTree& tree, bool applied,
                          const FixWriteFailures& not_written = {});

}  // namespace prometheus::report

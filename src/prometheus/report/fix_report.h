// What `fix` did: the diff of the changed files, a summary line per fix, or
// both as one JSON object.
#pragma once

#include <string>
#include <vector>

#include "prometheus/rewrite/fix_request.h"
#include "prometheus/rewrite/fix_runner.h"
#include "prometheus/rewrite/source_tree.h"

namespace prometheus::report {

// One recommendation's fix and what became of it.
struct FixResult {
  rewrite::FixRequest request;
  rewrite::FixOutcome outcome;
};

// The unified diff of every changed file of `tree`, coloured for a terminal
// when `color`.
std::string RenderFixDiff(const rewrite::SourceTree& tree, bool color);

// For people: the files that could not be read, a line per fix (a described
// fix's sketch indented under it), then the count of each status. `applied`:
// the files were written (else it says how to write them).
std::string RenderFixSummary(const std::vector<FixResult>& results,
                             const std::vector<std::string>& unreadable, bool applied);

// For machines: {"applied", "counts", "fixes", "files" (with their diffs),
// "unreadable"}.
std::string RenderFixJson(const std::vector<FixResult>& results,
                          const rewrite::SourceTree& tree, bool applied);

}  // namespace prometheus::report

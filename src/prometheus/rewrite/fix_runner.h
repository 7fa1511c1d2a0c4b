// Carries one structured fix out on a source tree: finds the place from the
// call site (or, without one, from the data the plan names), plans the edit
// there, and adds it to the file. Ambiguity changes nothing.
#pragma once

#include <cstdint>
#include <string>

#include "prometheus/fix/fix.h"
#include "prometheus/rewrite/fix_request.h"
#include "prometheus/rewrite/source_tree.h"

namespace prometheus::rewrite {

enum class FixStatus {
  kApplied,    // edits were added
  kPresent,    // the fix is already in the code
  kDescribed,  // unsafe or manual: described, never applied
  kSkipped,    // the place was not found, or was ambiguous; `note` says why
};

std::string_view FixStatusName(FixStatus status);

struct FixOutcome {
  FixStatus status = FixStatus::kSkipped;
  fix::Safety safety = fix::Safety::kManual;
  std::string file;    // the file edited or meant, when known
  uint32_t line = 0;   // 1-based, in the file (a notebook's module), when known
  std::string note;    // what was done, or why not
  std::string sketch;  // code for a described fix
};

// Safe kinds are planned on the tree's documents and added to their files;
// the others are described. A setting goes where the job's session is
// made: the one file of the tree that makes one, or, when several do, the
// one the job's anchors lead to (its entry point, the files of its call
// sites, or a module they import).
FixOutcome RunFix(SourceTree& tree, const fix::Fix& fix,
                  const JobAnchors& anchors = {});

}  // namespace prometheus::rewrite

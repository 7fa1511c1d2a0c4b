// The fixes of many recommendations carried out on one tree. A lake with
// many applications recommends the same fix many times: identical fixes
// (same kind, parameters and place) run once and are reported once with
// every recommendation that asked for them, and settings fixes that give
// one key different values keep the smallest id's and skip the others, in words.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "prometheus/rewrite/fix_request.h"
#include "prometheus/rewrite/fix_runner.h"
#include "prometheus/rewrite/source_tree.h"

namespace prometheus::rewrite {

struct BatchItem {
  FixRequest request;  // of the recommendation with the smallest id asking
  FixOutcome outcome;
  // Every recommendation asking for it, in id order; empty means request.id
  // alone.
  std::vector<std::string> ids;
};

class FixBatch {
 public:
  explicit FixBatch(SourceTree& tree) : tree_(tree) {}

  // Announces a request before any is run, so that of the settings fixes
  // giving one key different values the one with the smallest id is kept,
  // whatever the order they come in: a rerun keeps the same value and finds
  // it present.
  void Expect(const FixRequest& request);
  // Runs the request's fix, unless the same fix was run already (the
  // request then joins that item, whatever the order they came in) or it
  // sets a key that an expected fix with a smaller id sets to another value
  // (then it is skipped, naming both values).
  void Run(const FixRequest& request);
  // Reports a request as skipped, saying why (a fix that does not read).
  void Skip(const FixRequest& request, std::string why);

  std::vector<BatchItem>& items() { return items_; }
  const std::vector<BatchItem>& items() const { return items_; }

 private:
  SourceTree& tree_;
  std::vector<BatchItem> items_;
  std::map<std::string, FixRequest> kept_settings_;  // by entry point, key
};

}  // namespace prometheus::rewrite

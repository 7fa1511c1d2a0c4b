// The rules step of the pipeline: which rules run, and running them on what
// was analysed.
#pragma once

#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/pipeline/load_logs.h"
#include "prometheus/rules/engine.h"

namespace prometheus::pipeline {

struct RuleOptions {
  std::vector<std::string> folders;     // of rule files; empty: ./rules when it exists
  std::vector<std::string> disabled;    // rule ids switched off
  std::vector<std::string> thresholds;  // RULE.NAME=VALUE
};

// The engine's options: the given rule folders, or ./rules when none is
// given and it exists. Fails with kInvalidArgument naming a bad threshold.
Result<rules::EngineOptions> EngineOptionsFrom(const RuleOptions& options);

// Runs the rules on every analysis, filling `analyzed.recommendations`; rule
// files that failed to load and rules that failed on an application become
// warnings. Fails as EngineOptionsFrom does, changing nothing.
Status RunRules(const RuleOptions& options, Analyzed& analyzed);

}  // namespace prometheus::pipeline

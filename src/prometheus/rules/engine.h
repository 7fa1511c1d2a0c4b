// The Oracle: evaluates every rule (the declarative ones from rule files and
// the native ones that read plans) on an analysed application.
#pragma once

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/recommendation.h"
#include "prometheus/rules/rule_file.h"
#include "prometheus/rules/thresholds.h"

namespace prometheus::rules {

struct EngineOptions {
  // Folders of user rule files, read after the built-in rules: a file with a
  // built-in rule's id replaces it (so thresholds can be changed, or the rule
  // switched off with enabled = false).
  std::vector<std::filesystem::path> rule_folders;
  std::set<std::string> disabled;  // rule ids switched off
  Thresholds thresholds;           // --threshold RULE.NAME=VALUE overrides
};

class RuleEngine {
 public:
  explicit RuleEngine(const EngineOptions& options);

  // Rule files that failed to load, each with file, line, column and what
  // was expected; the other rules still run.
  const std::vector<std::string>& errors() const { return errors_; }
  const std::vector<RuleDefinition>& declarative_rules() const { return rules_; }
  // Ids of every rule that runs, declarative and native.
  std::vector<std::string> RuleIds() const;

  // Every recommendation for the application, ranked by impact. Errors of a
  // rule's evaluation are appended to `problems` and skip only that rule.
  std::vector<Recommendation> Evaluate(const kpi::Analysis& analysis,
                                       std::vector<std::string>& problems) const;

 private:
  // Applies --threshold overrides; unknown rules or names become errors.
  void ApplyThresholds();

  std::vector<RuleDefinition> rules_;
  std::vector<std::string> errors_;
  std::set<std::string> disabled_;
  Thresholds thresholds_;
};

}  // namespace prometheus::rules

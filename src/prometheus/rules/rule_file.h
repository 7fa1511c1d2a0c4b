// Declarative rules in TOML files: a condition over one scope's values
// (a stage's KPI row, or an application's), a severity ladder, a message
// template, evidence, an estimated impact and a fix. docs/RULES.md documents
// the format; rules/*.toml hold the built-in ones.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/fix/fix.h"
#include "prometheus/rules/expression.h"
#include "prometheus/rules/severity.h"

namespace prometheus::rules {

struct RuleDefinition {
  std::string id;           // e.g. "spill"
  std::string title;        // one line, for docs and listings
  std::string description;  // what it detects and why it matters
  std::string scope;        // "stage" or "application"; "native" below
  bool enabled = true;
  // A file whose id names a native rule (native_rules.h) only switches it
  // off or sets its thresholds: no condition, message or fix of its own.
  bool native = false;
  std::string source;  // the file it came from
  // Named constants usable in every expression; a user may override them.
  std::map<std::string, double> thresholds;
  // [values]: named derived values in file order, each computed once per
  // scope; one may read the scope, the thresholds and the values before it.
  std::vector<std::pair<std::string, Expression>> values;
  Expression condition;  // the rule fires when this is truthy
  // Checked from the most severe down; the first truthy one sets the
  // severity. When none holds, a firing rule is `default_severity`.
  std::vector<std::pair<Severity, Expression>> severities;
  Severity default_severity = Severity::kLow;
  // "{name}" or "{name:fmt}" placeholders: names of values in scope or of
  // evidence entries; fmt is one of bytes, duration, pct, int, or a
  // printf-like precision such as .1f.
  std::string message;
  std::vector<std::pair<std::string, Expression>> evidence;  // in file order
  std::optional<Expression> impact_task_seconds;
  std::optional<Expression> impact_wall_seconds;
  std::string impact_basis;
  // The fix record: "kind" plus string parameters, which may hold the same
  // placeholders as the message (so "{shuffle_partitions_suggested:int}").
  std::string fix_kind;
  std::vector<std::pair<std::string, std::string>> fix_params;
};

// Parses one rule file. Errors read "FILE:LINE:COLUMN: expected ...",
// positions in the file (for an expression, the position inside it added to
// where its string starts).
Result<RuleDefinition> ParseRuleFile(std::string_view text,
                                     const std::string& file);

struct RuleSet {
  std::vector<RuleDefinition> rules;
  std::vector<std::string> errors;  // one per bad file; the others still load
};

// Loads every *.toml in `folder` (sorted by name). A missing folder is an
// empty set, not an error.
RuleSet LoadRuleFolder(const std::filesystem::path& folder);

// What a rule found in one scope.
struct RuleFinding {
  Severity severity = Severity::kLow;
  std::string message;
  nlohmann::ordered_json evidence;  // evidence values and the thresholds read
  std::optional<double> impact_task_seconds;
  std::optional<double> impact_wall_seconds;
  std::optional<::prometheus::fix::Fix> fix;  // none without a [fix]
};

// The finding's fix as its JSON record, null when there is none.
nlohmann::ordered_json FixJson(const RuleFinding& finding);

// Evaluates `rule` in `scope` (thresholds are added to the scope). nullopt
// when the condition does not hold.
Result<std::optional<RuleFinding>> EvaluateRule(const RuleDefinition& rule,
                                                const Scope& scope);

}  // namespace prometheus::rules

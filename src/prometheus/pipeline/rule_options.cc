#include "prometheus/pipeline/rule_options.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "prometheus/pipeline/recode.h"

namespace prometheus::pipeline {

Result<rules::EngineOptions> EngineOptionsFrom(const RuleOptions& options) {
  rules::EngineOptions out;
  for (const auto& assignment : options.thresholds) {
    if (auto added = out.thresholds.Add(assignment); !added) {
      return Recode(ErrorCode::kInvalidArgument, std::move(added).error());
    }
  }
  std::error_code ec;
  for (const auto& folder : options.folders) {
    if (!std::filesystem::is_directory(folder, ec)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--rules {}: no such folder: expected a folder of rule files (*.toml)",
                  folder);
    }
    out.rule_folders.emplace_back(folder);
  }
  if (options.folders.empty() && std::filesystem::is_directory("rules", ec)) {
    out.rule_folders.emplace_back("rules");
  }
  out.disabled.insert(options.disabled.begin(), options.disabled.end());
  return out;
}

Status RunRules(const RuleOptions& options, Analyzed& analyzed) {
  PROM_ASSIGN_OR_RETURN(rules::EngineOptions engine_options, EngineOptionsFrom(options));
  rules::RuleEngine engine(engine_options);
  auto& warnings = analyzed.warnings;
  warnings.insert(warnings.end(), engine.errors().begin(), engine.errors().end());
  if (!options.disabled.empty()) {
    // A typo in --disable would leave the rule on without a word.
    rules::EngineOptions every_rule = engine_options;
    every_rule.disabled.clear();
    const std::vector<std::string> known = rules::RuleEngine(every_rule).RuleIds();
    for (const auto& id : options.disabled) {
      if (std::find(known.begin(), known.end(), id) == known.end()) {
        warnings.push_back(fmt::format("--disable {}: no rule has this id (the rules are {})",
                                       id, fmt::join(known, ", ")));
      }
    }
  }
  analyzed.recommendations.clear();
  for (const auto& analysis : analyzed.analyses) {
    analyzed.recommendations.push_back(engine.Evaluate(analysis, warnings));
  }
  return Ok();
}

}  // namespace prometheus::pipeline

#include "prometheus/pipeline/rule_options.h"

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
  for (const auto& folder : options.folders) out.rule_folders.emplace_back(folder);
  std::error_code ec;
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
  analyzed.recommendations.clear();
  for (const auto& analysis : analyzed.analyses) {
    analyzed.recommendations.push_back(engine.Evaluate(analysis, warnings));
  }
  return Ok();
}

}  // namespace prometheus::pipeline

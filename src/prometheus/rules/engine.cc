#include "prometheus/rules/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "prometheus/rules/builtin_rules.h"
#include "prometheus/rules/native_rules.h"
#include "prometheus/rules/scopes.h"
#include "prometheus/rules/stake.h"

namespace prometheus::rules {
namespace {

// The files the application's jobs were called from (callSite.short), each
// once with its first line, in job order; at most 16.
std::vector<CallSite> JobCallSites(const model::Application& app) {
  std::vector<CallSite> sites;
  for (const auto& [id, job] : app.jobs) {
    auto site = ParseCallSite(job.call_site);
    if (!site || sites.size() >= 16) continue;
    bool seen = std::any_of(sites.begin(), sites.end(), [&](const CallSite& s) {
      return s.file == site->file;
    });
    if (!seen) sites.push_back(std::move(*site));
  }
  return sites;
}

// A rule from a later source replaces one with the same id.
void AddOrReplace(std::vector<RuleDefinition>& rules, RuleDefinition rule) {
  for (auto& existing : rules) {
    if (existing.id == rule.id) {
      existing = std::move(rule);
      return;
    }
  }
  rules.push_back(std::move(rule));
}

Recommendation FromFinding(const RuleDefinition& rule, RuleFinding finding,
                           RecommendationScope scope) {
  Recommendation r;
  r.rule = rule.id;
  r.severity = finding.severity;
  r.scope = std::move(scope);
  r.message = std::move(finding.message);
  r.evidence = std::move(finding.evidence);
  r.impact_task_seconds = finding.impact_task_seconds.value_or(0);
  r.impact_wall_seconds = finding.impact_wall_seconds.value_or(0);
  r.impact_basis = rule.impact_basis;
  r.fix = std::move(finding.fix);
  return r;
}

RecommendationScope StageScopeOf(const kpi::Analysis& analysis,
                                 const kpi::StageKpis& row) {
  RecommendationScope scope = ApplicationScopeOf(analysis);
  scope.run_id = row.run_id;
  scope.job_id = row.job_id;
  scope.stage_ids = {row.stage_id};
  const model::Application& app = analysis.log.application;
  auto stage = app.stages.find({row.stage_id, row.stage_attempt_id});
  if (stage != app.stages.end()) {
    scope.spark_job_ids = stage->second.job_ids;
    for (int64_t job_id : stage->second.job_ids) {
      auto job = app.jobs.find(job_id);
      if (job != app.jobs.end() && job->second.sql_execution_id) {
        scope.sql_execution_id = job->second.sql_execution_id;
        break;
      }
    }
  }
  return scope;
}

}  // namespace

RuleEngine::RuleEngine(const EngineOptions& options)
    : disabled_(options.disabled), thresholds_(options.thresholds) {
  for (const EmbeddedRuleFile& file : BuiltinRuleFiles()) {
    auto rule = ParseRuleFile(file.text, "rules/" + std::string(file.name));
    if (rule) {
      AddOrReplace(rules_, std::move(*rule));
    } else {
      errors_.push_back(rule.error().message);
    }
  }
  for (const auto& folder : options.rule_folders) {
    RuleSet set = LoadRuleFolder(folder);
    for (auto& rule : set.rules) {
      if (!rule.native) {
        AddOrReplace(rules_, std::move(rule));
        continue;
      }
      if (!rule.enabled) disabled_.insert(rule.id);
      for (const auto& [name, value] : rule.thresholds)
        thresholds_.SetIfAbsent(rule.id, name, value);
    }
    errors_.insert(errors_.end(), set.errors.begin(), set.errors.end());
  }
  ApplyThresholds();
}

void RuleEngine::ApplyThresholds() {
  for (const auto& [rule_id, values] : thresholds_.all()) {
    bool known = false;
    for (auto& rule : rules_) {
      if (rule.id != rule_id) continue;
      known = true;
      for (const auto& [name, value] : values) {
        if (!rule.thresholds.contains(name)) {
          errors_.push_back(
              fmt::format("--threshold {}.{}: rule {} has no threshold {}",
                          rule_id, name, rule_id, name));
        } else {
          rule.thresholds[name] = value;
        }
      }
    }
    for (const auto& native : NativeRules()) {
      if (native.id != rule_id) continue;
      known = true;
      for (const auto& [name, value] : values) {
        bool has = false;
        for (const auto& [known_name, fallback] : native.thresholds)
          has |= known_name == name;
        if (!has) {
          errors_.push_back(
              fmt::format("--threshold {}.{}: rule {} has no threshold {}",
                          rule_id, name, rule_id, name));
        }
      }
    }
    if (!known)
      errors_.push_back(
          fmt::format("--threshold {}: no rule {}", rule_id, rule_id));
  }
}

std::vector<std::string> RuleEngine::RuleIds() const {
  std::vector<std::string> ids;
  for (const auto& rule : rules_) {
    if (rule.enabled && !disabled_.contains(rule.id)) ids.push_back(rule.id);
  }
  for (const auto& rule : NativeRules()) {
    if (!disabled_.contains(rule.id)) ids.push_back(rule.id);
  }
  return ids;
}

std::vector<Recommendation> RuleEngine::Evaluate(
    const kpi::Analysis& analysis, std::vector<std::string>& problems) const {
  std::vector<Recommendation> out;
  auto report = [&](const RuleDefinition& rule, const Error& error) {
    problems.push_back(
        fmt::format("{}: rule {}: {}", rule.source, rule.id, error.message));
  };
  const MapScope application = ApplicationScope(analysis);
  for (const auto& rule : rules_) {
    if (!rule.enabled || disabled_.contains(rule.id)) continue;
    if (rule.scope == "application") {
      auto finding = EvaluateRule(rule, application);
      if (!finding) {
        report(rule, finding.error());
      } else if (*finding) {
        out.push_back(FromFinding(rule, std::move(**finding),
                                  ApplicationScopeOf(analysis)));
      }
      continue;
    }
    for (const auto& stage : analysis.stages) {
      auto finding = EvaluateRule(rule, StageScope(application, stage));
      if (!finding) {
        report(rule, finding.error());
        break;  // the same error would repeat on every stage
      }
      if (!*finding) continue;
      Recommendation r = FromFinding(rule, std::move(**finding),
                                     StageScopeOf(analysis, stage));
      if (auto site = ParseCallSite(stage.stage_name);
          site && r.fix && !r.fix->call_site) {
        r.fix->call_site = site;
      }
      out.push_back(std::move(r));
    }
  }
  for (const auto& rule : NativeRules()) {
    if (disabled_.contains(rule.id)) continue;
    for (auto& r : rule.evaluate(analysis, thresholds_))
      out.push_back(std::move(r));
  }
  std::vector<CallSite> sites = JobCallSites(analysis.log.application);
  for (auto& r : out) {
    if (r.fix && std::holds_alternative<fix::Conf>(r.fix->kind))
      r.scope.call_sites = sites;
    CalibrateSeverity(analysis, r);
    AssignStableId(r);
  }
  RankByImpact(out);
  return out;
}

}  // namespace prometheus::rules

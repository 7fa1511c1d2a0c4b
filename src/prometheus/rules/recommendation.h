// A recommendation: the Oracle's output and the refactorer's input. Its JSON
// form is the contract documented in docs/RECOMMENDATIONS.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "prometheus/fix/fix.h"
#include "prometheus/rules/severity.h"

namespace prometheus::rules {

using CallSite = ::prometheus::fix::CallSite;

struct RecommendationScope {
  std::string app_id;
  std::string app_attempt_id;
  std::optional<int64_t> run_id;  // Databricks job run
  std::optional<int64_t> job_id;  // Databricks job
  std::vector<int64_t> spark_job_ids;
  std::vector<int64_t> stage_ids;
  std::optional<int64_t> sql_execution_id;
  std::string plan_node;
  // Where the job's code starts, for fixes that belong in the job's own
  // file (settings): the Databricks notebook path, or the script the driver
  // was submitted with; "" when the log names neither.
  std::string entry_point;
  // The job's call sites, one per file, for the same purpose: set on
  // recommendations whose fix is a setting.
  std::vector<CallSite> call_sites;
};

struct Recommendation {
  std::string id;  // stable: the same finding on the same run, the same id
  std::string rule;
  Severity severity = Severity::kLow;
  RecommendationScope scope;
  std::string message;
  nlohmann::ordered_json evidence = nlohmann::ordered_json::object();
  double impact_task_seconds = 0;
  double impact_wall_seconds = 0;
  std::string impact_basis;
  // The structured fix; its call site is added when known. None (a rule
  // file without [fix]) is written as null.
  std::optional<::prometheus::fix::Fix> fix;
};

// Fills `id` from the rule and the scope (not from the numbers, so a re-run
// with new values keeps the id).
void AssignStableId(Recommendation& recommendation);

nlohmann::ordered_json ToJson(const Recommendation& recommendation);
// The "fix" of ToJson: the fix's record, or null when there is none.
nlohmann::ordered_json FixJson(const Recommendation& recommendation);

// Parses "<what> at <file>:<line>" (Spark's call sites and stage names);
// nullopt when there is no file and positive line, or the file is a JVM
// frame (.java, .scala) rather than user code.
std::optional<CallSite> ParseCallSite(std::string_view text);

// Most impact first (the larger of task and wall seconds saved); ties by
// severity, then id, so the order is stable.
void RankByImpact(std::vector<Recommendation>& recommendations);

}  // namespace prometheus::rules

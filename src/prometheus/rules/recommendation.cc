#include "prometheus/rules/recommendation.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "prometheus/base/fnv1a.h"

namespace prometheus::rules {
namespace {

template <typename T>
nlohmann::ordered_json Nullable(const std::optional<T>& value) {
  return value ? nlohmann::ordered_json(*value)
               : nlohmann::ordered_json(nullptr);
}

}  // namespace

void AssignStableId(Recommendation& r) {
  std::string key =
      fmt::format("{}|{}|{}|{}|{}|{}", r.rule, r.scope.app_id,
                  r.scope.app_attempt_id, fmt::join(r.scope.stage_ids, ","),
                  r.scope.sql_execution_id.value_or(-1), r.scope.plan_node);
  uint64_t high = Fnv1a(kStableHashSeed, key);
  uint64_t low = Fnv1a(high ^ 0x9e3779b97f4a7c15ull, key);
  r.id = fmt::format("{:016x}{:016x}", high, low);
}

nlohmann::ordered_json ToJson(const Recommendation& r) {
  nlohmann::ordered_json scope{
      {"app_id", r.scope.app_id},
      {"app_attempt_id", r.scope.app_attempt_id.empty()
                             ? nlohmann::ordered_json(nullptr)
                             : nlohmann::ordered_json(r.scope.app_attempt_id)},
      {"run_id", Nullable(r.scope.run_id)},
      {"job_id", Nullable(r.scope.job_id)},
      {"spark_job_ids", r.scope.spark_job_ids},
      {"stage_ids", r.scope.stage_ids},
      {"sql_execution_id", Nullable(r.scope.sql_execution_id)},
      {"plan_node", r.scope.plan_node.empty()
                        ? nlohmann::ordered_json(nullptr)
                        : nlohmann::ordered_json(r.scope.plan_node)},
      {"entry_point", r.scope.entry_point.empty()
                          ? nlohmann::ordered_json(nullptr)
                          : nlohmann::ordered_json(r.scope.entry_point)}};
  if (!r.scope.call_sites.empty()) {
    nlohmann::ordered_json sites = nlohmann::ordered_json::array();
    for (const CallSite& site : r.scope.call_sites) {
      sites.push_back({{"file", site.file}, {"line", Nullable(site.line)}});
    }
    scope["call_sites"] = std::move(sites);
  }
  return {{"id", r.id},
          {"rule", r.rule},
          {"severity", SeverityName(r.severity)},
          {"scope", scope},
          {"message", r.message},
          {"evidence", r.evidence},
          {"impact",
           {{"task_seconds", r.impact_task_seconds},
            {"wall_seconds", r.impact_wall_seconds},
            {"basis", r.impact_basis}}},
          {"fix", FixJson(r)}};
}

nlohmann::ordered_json FixJson(const Recommendation& r) {
  return r.fix ? fix::ToJson(*r.fix) : nlohmann::ordered_json();
}

std::optional<CallSite> ParseCallSite(std::string_view text) {
  size_t at = text.rfind(" at ");
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view where = text.substr(at + 4);
  where = where.substr(0, where.find_first_of(" \n\t"));
  size_t colon = where.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  int64_t line = 0;
  std::string_view digits = where.substr(colon + 1);
  auto [ptr, ec] =
      std::from_chars(digits.data(), digits.data() + digits.size(), line);
  if (ec != std::errc() || ptr != digits.data() + digits.size() || line <= 0) {
    return std::nullopt;
  }
  std::string_view file = where.substr(0, colon);
  // A JVM frame (NativeMethodAccessorImpl.java, DriverLocal.scala) is where
  // Spark found no user code, not a place in the job's sources.
  if (file.ends_with(".java") || file.ends_with(".scala")) return std::nullopt;
  return CallSite{std::string(file), line};
}

void RankByImpact(std::vector<Recommendation>& recommendations) {
  std::stable_sort(recommendations.begin(), recommendations.end(),
                   [](const Recommendation& a, const Recommendation& b) {
                     double impact_a =
                         std::max(a.impact_task_seconds, a.impact_wall_seconds);
                     double impact_b =
                         std::max(b.impact_task_seconds, b.impact_wall_seconds);
                     if (impact_a != impact_b) return impact_a > impact_b;
                     if (a.severity != b.severity)
                       return a.severity > b.severity;
                     return a.id < b.id;
                   });
}

}  // namespace prometheus::rules

#include "prometheus/report/whatif_report.h"

#include <fmt/format.h>

#include <cmath>

#include "prometheus/report/format.h"

namespace prometheus::report {
namespace {

std::string Percent(double fraction) {
  return fmt::format("{:+.0f}%", fraction * 100);
}

// Three significant figures, no exponent below a million: 0.0123, 4.56, 789.
std::string Figure(double value) {
  if (std::abs(value) >= 1000) return fmt::format("{:.0f}", value);
  return fmt::format("{:.3g}", value);
}

double Change(int64_t value, int64_t base) {
  return base > 0 ? static_cast<double>(value - base) / static_cast<double>(base) : 0;
}

std::string Shape(const whatif::ClusterShape& shape) {
  return fmt::format("{} executor{} × {} core{}", shape.executors,
                     shape.executors == 1 ? "" : "s", shape.cores_per_executor,
                     shape.cores_per_executor == 1 ? "" : "s");
}

std::string Answer(const whatif::Estimate& estimate, const whatif::Estimate& observed) {
  std::string text = fmt::format("{} ({}, {} time, {} core-hours, {} core-hours",
                                 Shape(estimate.shape), FormatDuration(estimate.wall_ms),
                                 Percent(Change(estimate.wall_ms, observed.wall_ms)),
                                 Figure(estimate.core_hours),
                                 Percent(observed.core_hours > 0
                                             ? estimate.core_hours / observed.core_hours - 1
                                             : 0));
  if (estimate.cost) text += ", cost " + Figure(*estimate.cost);
  return text + ")";
}

}  // namespace

nlohmann::ordered_json EstimateToJson(const whatif::Estimate& estimate) {
  nlohmann::ordered_json json;
  json["executors"] = estimate.shape.executors;
  json["cores_per_executor"] = estimate.shape.cores_per_executor;
  json["wall_ms"] = estimate.wall_ms;
  json["core_hours"] = estimate.core_hours;
  json["cost"] = estimate.cost ? nlohmann::ordered_json(*estimate.cost) : nullptr;
  return json;
}

nlohmann::ordered_json SizingToJson(const AppSizing& app) {
  const whatif::Sizing& sizing = app.sizing;
  const whatif::Workload& workload = sizing.workload;
  nlohmann::ordered_json json;
  json["app_id"] = app.app_id;
  json["app_name"] = app.app_name;
  json["observed"] = {{"executors", workload.observed.executors},
                      {"cores_per_executor", workload.observed.cores_per_executor},
                      {"guessed", workload.shape_guessed}};
  json["wall_ms"] = workload.wall_ms;
  json["driver_ms"] = workload.driver_ms;
  json["task_ms"] = workload.task_ms;
  json["tasks"] = workload.tasks;
  json["model_wall_ms"] = sizing.observed.wall_ms;
  json["model_error"] = sizing.model_error;
  json["max_slowdown"] = sizing.max_slowdown;
  json["knee_tolerance"] = whatif::kKneeTolerance;
  json["curve"] = nlohmann::ordered_json::array();
  for (const auto& estimate : sizing.curve) json["curve"].push_back(EstimateToJson(estimate));
  json["smallest_within"] = EstimateToJson(sizing.smallest_within);
  json["knee"] = EstimateToJson(sizing.knee);
  return json;
}

std::string RenderWhatIfJson(const std::vector<AppSizing>& sizings,
                             const std::vector<std::string>& warnings) {
  nlohmann::ordered_json json;
  json["applications"] = nlohmann::ordered_json::array();
  for (const auto& sizing : sizings) json["applications"].push_back(SizingToJson(sizing));
  json["warnings"] = warnings;
  return json.dump(2) + "\n";
}

std::string RenderWhatIfText(const std::vector<AppSizing>& sizings) {
  std::string out;
  for (const AppSizing& app : sizings) {
    const whatif::Sizing& sizing = app.sizing;
    const whatif::Workload& workload = sizing.workload;
    if (!out.empty()) out += "\n";
    out += fmt::format("{} ({})\n", app.app_name.empty() ? app.app_id : app.app_name, app.app_id);
    out += fmt::format("  observed   {}{}, wall {}, driver {} outside stages, task time {} in {} tasks\n",
                       Shape(workload.observed), workload.shape_guessed ? " (guessed)" : "",
                       FormatDuration(workload.wall_ms), FormatDuration(workload.driver_ms),
                       FormatDuration(workload.task_ms), workload.tasks);
    out += fmt::format("  model      {} at the observed size ({:+.1f}% from the real wall)\n",
                       FormatDuration(sizing.observed.wall_ms), sizing.model_error * 100);
    if (workload.tasks == 0) {
      out += "  no tasks ran: nothing to size\n";
      continue;
    }
    bool priced = sizing.observed.cost.has_value();
    out += fmt::format("  {:>9}  {:>5}  {:>10}  {:>6}  {:>10}{}\n", "executors", "cores",
                       "wall", "time", "core-hours", priced ? "        cost" : "");
    for (const whatif::Estimate& estimate : sizing.curve) {
      std::string mark;
      if (estimate.shape.executors == workload.observed.executors) mark += " observed";
      if (estimate.shape.executors == sizing.smallest_within.shape.executors) mark += " smallest";
      if (estimate.shape.executors == sizing.knee.shape.executors) mark += " knee";
      out += fmt::format("  {:>9}  {:>5}  {:>10}  {:>6}  {:>10}{}{}\n",
                         estimate.shape.executors, estimate.shape.cores(),
                         FormatDuration(estimate.wall_ms),
                         Percent(Change(estimate.wall_ms, sizing.observed.wall_ms)),
                         Figure(estimate.core_hours),
                         priced ? fmt::format("  {:>10}", Figure(*estimate.cost)) : "", mark);
    }
    out += fmt::format("  smallest within {:.0f}% slowdown: {}\n", sizing.max_slowdown * 100,
                       Answer(sizing.smallest_within, sizing.observed));
    out += fmt::format("  knee (more executors save under {:.0f}%): {}\n",
                       whatif::kKneeTolerance * 100, Answer(sizing.knee, sizing.observed));
  }
  return out;
}

}  // namespace prometheus::report

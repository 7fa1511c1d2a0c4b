#include "prometheus/report/html_input.h"

#include <sstream>

#include "prometheus/kpi/cost_estimate.h"
#include "prometheus/lake/lake.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/model/load_event_log.h"

namespace prometheus::report {
namespace {

AppSizing SizingOf(const model::Application& app, std::optional<double> price) {
  whatif::SizingOptions options;
  options.core_hour_price = price;
  return {app.app_id, app.name, whatif::Size(whatif::WorkloadOf(app), options)};
}

// The log a stored application came from: its one file, or the folder of its
// rolling parts.
std::optional<std::filesystem::path> StoredLog(const lake::StoredApplication& app) {
  std::istringstream lines(app.source_paths);
  std::string first;
  if (!std::getline(lines, first) || first.empty()) return std::nullopt;
  std::filesystem::path path(first);
  if (app.source_layout == "file") return path;
  return path.parent_path();
}

}  // namespace

ReportInput InputFromAnalyses(const pipeline::Analyzed& analyzed, std::string source,
                              int64_t now_ms, std::optional<double> core_hour_price) {
  ReportInput input;
  input.title = "Prometheus report";
  input.source = std::move(source);
  input.generated_at_ms = now_ms;
  input.core_hour_price = core_hour_price;
  input.drill_every_run = true;
  input.loop_note = "A single analysis: the closed loop's pull requests are in the lake's "
                    "report, `prometheus report --store STORE --repo DIR`.";
  for (size_t i = 0; i < analyzed.analyses.size(); ++i) {
    const kpi::Analysis& analysis = analyzed.analyses[i];
    // As observe estimates it (the built-in price table): a Databricks
    // cluster's list cost from the log's properties.
    static const kpi::PriceTable builtin =
        kpi::ParsePriceTable(kpi::BuiltinPriceTableJson(), "built-in").value();
    auto cost = kpi::EstimateCost(analysis.log.application, analysis.application.duration_ms, builtin);
    input.applications.push_back(
        lake::ApplicationRecord(analysis, "", now_ms, nullptr, cost ? &*cost : nullptr));
    std::optional<double> price = CoreHourPrice(input.applications.back(), core_hour_price);
    input.stages.insert(input.stages.end(), analysis.stages.begin(), analysis.stages.end());
    if (i < analyzed.recommendations.size()) {
      for (const auto& r : analyzed.recommendations[i]) {
        input.recommendations.push_back(lake::RecommendationRecord(r, now_ms));
      }
    }
    const model::Application& app = analysis.log.application;
    input.sizings.emplace(app.app_id, SizingOf(app, price));
    input.core_uses.emplace(app.app_id, whatif::CoreUseOf(app));
  }
  return input;
}

Result<ReportInput> InputFromLake(const std::filesystem::path& store, int64_t now_ms,
                                  std::optional<double> core_hour_price,
                                  const ReportLimits& limits) {
  lake::Lake lake(store);
  PROM_ASSIGN_OR_RETURN(auto applications, lake::ReadApplications(lake));
  if (applications.rows.empty()) {
    return Fail(ErrorCode::kNotFound,
                "{} holds no applications yet: run `prometheus observe --source LOGS --store {}` first",
                store.string(), store.string());
  }
  PROM_ASSIGN_OR_RETURN(auto stages, lake::ReadStageRows(lake));
  PROM_ASSIGN_OR_RETURN(auto recommendations, lake::ReadRecommendations(lake));
  ReportInput input;
  input.title = "Prometheus report";
  input.source = store.string();
  input.generated_at_ms = now_ms;
  input.core_hour_price = core_hour_price;
  input.applications = std::move(applications.rows);
  input.stages = std::move(stages.rows);
  input.recommendations = std::move(recommendations.rows);
  for (const auto* app : DrilldownApplications(input.applications, limits.drilldowns)) {
    auto path = StoredLog(*app);
    if (!path) continue;
    auto found = io::FindEventLogs({*path});
    if (!found || found->inputs.size() != 1) continue;
    auto log = model::LoadEventLog(found->inputs.front());
    if (!log || log->application.app_id != app->app_id) continue;
    input.sizings.emplace(app->app_id,
                          SizingOf(log->application, CoreHourPrice(*app, core_hour_price)));
    input.core_uses.emplace(app->app_id, whatif::CoreUseOf(log->application));
  }
  return input;
}

}  // namespace prometheus::report

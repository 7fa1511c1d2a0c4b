#include "prometheus/kpi/cost_estimate.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace prometheus::kpi {
namespace {

constexpr std::string_view kTag = "spark.databricks.clusterUsageTags.";

std::string Tag(const model::Application& app, std::string_view name) {
  const std::string* value = app.Property(std::string(kTag) + std::string(name));
  return value ? *value : "";
}

}  // namespace

Result<PriceTable> ParsePriceTable(std::string_view text, const std::string& source) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_object()) return Fail(ErrorCode::kInvalidArgument, "{}: not a JSON object", source);
  PriceTable table;
  table.source = source;
  try {
    table.currency = json.at("currency").get<std::string>();
    table.price_per_dbu = json.at("usd_per_dbu").get<std::map<std::string, double>>();
    table.photon_dbu_multiplier = json.value("photon_dbu_multiplier", 1.0);
    table.dbu_per_hour = json.at("dbu_per_hour").get<std::map<std::string, double>>();
  } catch (const nlohmann::json::exception& error) {
    return Fail(ErrorCode::kInvalidArgument,
                "{}: expected currency, usd_per_dbu {{JOBS, ALL_PURPOSE}}, dbu_per_hour "
                "{{node type: DBU}}: {}", source, error.what());
  }
  return table;
}

std::optional<CostEstimate> EstimateCost(const model::Application& app,
                                         std::optional<int64_t> duration_ms,
                                         const PriceTable& prices, std::string* why_not) {
  auto refuse = [&](std::string reason) -> std::optional<CostEstimate> {
    if (why_not) *why_not = std::move(reason);
    return std::nullopt;
  };
  std::string worker = Tag(app, "clusterNodeType");
  if (worker.empty()) return refuse("not a Databricks cluster's log");
  if (!duration_ms || *duration_ms <= 0) return refuse("no duration (the log is in progress)");
  std::string driver = Tag(app, "driverNodeType");
  if (driver.empty()) driver = worker;
  std::string workers_text = Tag(app, "clusterWorkers");
  if (workers_text.empty()) workers_text = Tag(app, "clusterTargetWorkers");
  int64_t workers = 0;
  try {
    workers = workers_text.empty() ? 0 : std::stoll(workers_text);
  } catch (...) {
    return refuse(fmt::format("clusterWorkers '{}' is not a number", workers_text));
  }
  auto worker_rate = prices.dbu_per_hour.find(worker);
  auto driver_rate = prices.dbu_per_hour.find(driver);
  if (worker_rate == prices.dbu_per_hour.end() || driver_rate == prices.dbu_per_hour.end()) {
    return refuse(fmt::format("node type {} is not in the price table ({})",
                              worker_rate == prices.dbu_per_hour.end() ? worker : driver,
                              prices.source));
  }
  bool photon = Tag(app, "runtimeEngine") == "PHOTON" ||
                Tag(app, "sparkVersion").find("photon") != std::string::npos;
  // A job cluster is named job-<job id>-run-<run id>; others are all-purpose.
  bool jobs = Tag(app, "clusterName").starts_with("job-") ||
              Tag(app, "clusterSource") == "JOB" || !Tag(app, "jobId").empty();
  std::string workload = jobs ? "JOBS" : "ALL_PURPOSE";
  auto price = prices.price_per_dbu.find(workload);
  if (price == prices.price_per_dbu.end()) {
    return refuse(fmt::format("no price per DBU for {} in {}", workload, prices.source));
  }
  double hours = static_cast<double>(*duration_ms) / 3'600'000.0;
  double per_hour = driver_rate->second + static_cast<double>(workers) * worker_rate->second;
  if (photon) per_hour *= prices.photon_dbu_multiplier;
  CostEstimate estimate;
  estimate.dbus = per_hour * hours;
  estimate.list_cost = estimate.dbus * price->second;
  estimate.currency = prices.currency;
  estimate.basis = fmt::format(
      "estimate: {} x {} worker(s) + {} driver for {:.3f} h{}, {} compute at {} {}/DBU (price "
      "table: {})",
      workers, worker, driver, hours, photon ? fmt::format(", Photon x{}", prices.photon_dbu_multiplier) : "",
      jobs ? "jobs" : "all-purpose", price->second, prices.currency, prices.source);
  return estimate;
}

}  // namespace prometheus::kpi

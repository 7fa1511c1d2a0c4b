// What a Databricks cluster's run probably cost, from what its event log
// says of the cluster (node types, workers, Photon, job or all-purpose
// compute) and a price table: an estimate, for when the workspace's billing
// tables are not at hand.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/model/application.h"

namespace prometheus::kpi {

struct PriceTable {
  std::string currency;
  std::map<std::string, double> price_per_dbu;  // by workload: JOBS, ALL_PURPOSE
  double photon_dbu_multiplier = 1;
  std::map<std::string, double> dbu_per_hour;  // by node type
  std::string source;                          // "built-in" or the file
};

// The table shipped in data/databricks_prices.json (compiled in).
std::string_view BuiltinPriceTableJson();

// Parses a table; `source` names it in errors and in estimates' basis.
Result<PriceTable> ParsePriceTable(std::string_view json, const std::string& source);

struct CostEstimate {
  double dbus = 0;
  double list_cost = 0;
  std::string currency;
  // How it was reckoned, in words: "estimate: 2 x m6gd.2xlarge workers + ...".
  std::string basis;
};

// nullopt when the log is not a Databricks cluster's, has no duration, or
// names a node type the table does not price (then `why_not`, if given,
// says so).
std::optional<CostEstimate> EstimateCost(const model::Application& app,
                                         std::optional<int64_t> duration_ms,
                                         const PriceTable& prices,
                                         std::string* why_not = nullptr);

}  // namespace prometheus::kpi

#include "prometheus/pipeline/log_rows.h"

#include <iterator>
#include <utility>

#include "prometheus/lake/tables.h"
#include "prometheus/parquet/json_rows.h"
#include "prometheus/pipeline/observe.h"
#include "prometheus/pipeline/recommend.h"

namespace prometheus::pipeline {
namespace {

void Append(std::vector<std::string>& rows, const parquet::Table& table) {
  auto more = parquet::JsonRows(table);
  rows.insert(rows.end(), std::make_move_iterator(more.begin()),
              std::make_move_iterator(more.end()));
}

}  // namespace

Result<LogRows> RowsOfLogs(const LogRowsRequest& request) {
  ObserveRequest observe;
  observe.sources = request.sources;
  observe.held.emplace(2);  // nothing held: every log is new
  observe.since_ms = request.since_ms;
  observe.threads = request.threads;
  observe.now_ms = NowMs(request.now_ms);
  observe.prices = request.prices;
  PROM_ASSIGN_OR_RETURN(ObserveBatch batch, CollectNewLogs(observe, nullptr));

  LogRows rows;
  rows.applications_read = batch.applications_read;
  rows.applications_before_since = batch.applications_before_since;
  rows.warnings = std::move(batch.warnings);
  Analyzed analyzed;
  analyzed.analyses = std::move(batch.analyses);
  PROM_TRY(RunRules(request.rules, analyzed));
  rows.warnings.insert(rows.warnings.end(), analyzed.warnings.begin(), analyzed.warnings.end());
  for (size_t i = 0; i < analyzed.analyses.size(); ++i) {
    const kpi::Analysis& analysis = analyzed.analyses[i];
    const kpi::CostEstimate* cost = batch.costs[i] ? &*batch.costs[i] : nullptr;
    Append(rows.metrics, lake::MetricsRows(analysis));
    Append(rows.applications,
           lake::ApplicationRow(analysis, batch.fingerprints[i], batch.now_ms, nullptr, cost));
    // As `recommend` does from the row `observe` stored.
    AddCostAtStake(lake::ApplicationRecord(analysis, batch.fingerprints[i], batch.now_ms,
                                           nullptr, cost),
                   analyzed.recommendations[i]);
    Append(rows.recommendations,
           lake::RecommendationRows(analyzed.recommendations[i], batch.now_ms));
  }
  return rows;
}

}  // namespace prometheus::pipeline

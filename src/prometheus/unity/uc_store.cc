#include "prometheus/unity/uc_store.h"

#include <fmt/format.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "prometheus/base/fnv1a.h"
#include "prometheus/databricks/files.h"
#include "prometheus/lake/tables.h"
#include "prometheus/parquet/parquet.h"
#include "prometheus/unity/uc_rows.h"

namespace prometheus::unity {
namespace {

// The Parquet bytes of `rows`, through a temporary local file.
Result<std::string> ParquetBytes(const parquet::Table& rows) {
  static std::atomic<uint64_t> files{0};
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               fmt::format("prometheus-uc-{}-{}.parquet", ::getpid(), files++);
  auto written = parquet::WriteParquet(path, rows);
  if (!written) return std::unexpected(written.error());
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  std::error_code ec;
  std::filesystem::remove(path, ec);
  if (!in) return Fail(ErrorCode::kIo, "{}: cannot be read back", path.string());
  return bytes.str();
}

}  // namespace

Result<databricks::StatementResult> UcStore::Run(
    const std::string& statement, const std::vector<databricks::StatementParameter>& parameters) const {
  ++statements_;
  return databricks::ExecuteStatement(*workspace_, options_, statement, parameters);
}

Status UcStore::EnsureTables() const {
  if (location_.default_volume) PROM_TRY(Run(CreateDefaultVolumeSql(location_), {}));
  for (auto table : {lake::kMetricsTable, lake::kApplicationsTable, lake::kRecommendationsTable}) {
    PROM_ASSIGN_OR_RETURN(std::string sql, CreateTableSql(location_, table));
    PROM_TRY(Run(sql, {}));
  }
  return Ok();
}

Result<std::map<std::string, lake::IngestedApp>> UcStore::Ingested() const {
  PROM_ASSIGN_OR_RETURN(
      auto result,
      Run(fmt::format("SELECT `app_id`, `app_attempt_id`, `task_run_id`, `fingerprint`, `status` "
                      "FROM {}", location_.Table(lake::kApplicationsTable)), {}));
  std::map<std::string, lake::IngestedApp> apps;
  for (const auto& row : result.rows) {
    if (row.size() != 5 || !row[0]) {
      return Fail(ErrorCode::kCorrupt, "{}: a row without its app_id",
                  location_.Table(lake::kApplicationsTable));
    }
    std::string key = lake::AppKey(*row[0], row[1].value_or(""));
    if (row[2]) key += "@" + *row[2];
    lake::IngestedApp& app = apps[key];
    app.key = key;
    app.fingerprint = row[3].value_or("");
    app.status = row[4].value_or("");
  }
  return apps;
}

Status UcStore::Load(std::string_view table, const parquet::Table& rows) const {
  if (rows.num_rows() == 0) return Ok();
  PROM_ASSIGN_OR_RETURN(std::string bytes, ParquetBytes(rows));
  // Named by content: a batch retried with the same rows finds its file put.
  std::string path = fmt::format("{}/{}/{:016x}-{}.parquet", location_.staging_volume, table,
                                 Fnv1a(kStableHashSeed, bytes), bytes.size());
  PROM_ASSIGN_OR_RETURN(bool created, databricks::UploadOnce(*workspace_, path, std::move(bytes)));
  if (created) ++files_put_;
  PROM_ASSIGN_OR_RETURN(std::string merge, MergeSql(location_, table));
  PROM_TRY(Run(merge, {{"staged", path, ""}}));
  // Loaded: the staged file has done its work. One left by a batch cut
  // short before this point is merged again by the next (adding nothing).
  return databricks::DeleteFile(*workspace_, path);
}

Result<lake::IngestStats> UcStore::Ingest(const std::vector<lake::AnalysisToStore>& batch,
                                          int64_t now_ms) const {
  PROM_ASSIGN_OR_RETURN(auto stored, Ingested());
  lake::IngestStats stats;
  parquet::Table metrics = parquet::MakeTable(lake::MetricsSchema());
  parquet::Table applications = parquet::MakeTable(lake::ApplicationsSchema());
  for (const auto& item : batch) {
    const std::string key = lake::AppKey(*item.analysis, item.run);
    auto there = stored.find(key);
    if (there != stored.end() &&
        (there->second.status == "complete" || there->second.fingerprint == item.fingerprint)) {
      ++stats.unchanged;
      continue;
    }
    ++(there == stored.end() ? stats.appended : stats.replaced);
    AppendRows(metrics, lake::MetricsRows(*item.analysis, item.run));
    AppendRows(applications,
               lake::ApplicationRow(*item.analysis, item.fingerprint, now_ms, item.run, item.cost));
  }
  PROM_TRY(Load(lake::kMetricsTable, metrics));
  PROM_TRY(Load(lake::kApplicationsTable, applications));
  stats.commits = applications.num_rows() > 0 ? 2 : 0;
  return stats;
}

Result<std::set<std::string>> UcStore::RecommendedApps() const {
  PROM_ASSIGN_OR_RETURN(auto result,
                        Run(fmt::format("SELECT DISTINCT `app_id`, `app_attempt_id` FROM {}",
                                        location_.Table(lake::kRecommendationsTable)), {}));
  std::set<std::string> keys;
  for (const auto& row : result.rows) {
    if (row.size() == 2 && row[0]) keys.insert(lake::AppKey(*row[0], row[1].value_or("")));
  }
  return keys;
}

Result<lake::IngestStats> UcStore::IngestRecommendations(
    const std::vector<lake::AppRecommendations>& batch, bool replace, int64_t now_ms) const {
  PROM_ASSIGN_OR_RETURN(std::set<std::string> done, RecommendedApps());
  lake::IngestStats stats;
  parquet::Table rows = parquet::MakeTable(lake::RecommendationsSchema());
  std::string replaced;  // AppKeys, one per line
  for (const auto& item : batch) {
    const model::Application& app = item.analysis->log.application;
    const std::string key = lake::AppKey(app.app_id, app.attempt_id);
    if (done.contains(key)) {
      if (!replace) {
        ++stats.unchanged;
        continue;
      }
      ++stats.replaced;
      replaced += key + "\n";
    } else {
      ++stats.appended;
    }
    done.insert(key);
    AppendRows(rows, lake::RecommendationRows(*item.recommendations, now_ms));
  }
  if (!replaced.empty()) {
    // The separator is a parameter too: no escapes in the text to differ
    // between SQL dialects.
    PROM_TRY(Run(fmt::format("DELETE FROM {} WHERE array_contains(split(:apps, :separator), "
                             "concat(`app_id`, '#', coalesce(`app_attempt_id`, '')))",
                             location_.Table(lake::kRecommendationsTable)),
                 {{"apps", replaced, ""}, {"separator", "\n", ""}}));
  }
  PROM_TRY(Load(lake::kRecommendationsTable, rows));
  stats.commits = rows.num_rows() > 0 ? 1 : 0;
  return stats;
}

Result<std::map<int64_t, kpi::CostEstimate>> UcStore::BilledCosts(const std::set<int64_t>& run_ids,
                                                                  int64_t from_ms) const {
  std::map<int64_t, kpi::CostEstimate> costs;
  if (run_ids.empty()) return costs;
  std::string ids;
  for (int64_t id : run_ids) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  const int64_t day_ms = 86'400'000;
  const std::chrono::year_month_day day{
      std::chrono::sys_days(std::chrono::days((from_ms - day_ms) / day_ms))};
  const std::string from_date = fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(day.year()),
                                            static_cast<unsigned>(day.month()),
                                            static_cast<unsigned>(day.day()));
  PROM_ASSIGN_OR_RETURN(
      auto result,
      Run("SELECT u.usage_metadata.job_run_id AS run_id, SUM(u.usage_quantity) AS dbus,\n"
          "  SUM(u.usage_quantity * lp.pricing.effective_list.default) AS list_cost,\n"
          "  MAX(lp.currency_code) AS currency\n"
          "FROM system.billing.usage u\n"
          "JOIN system.billing.list_prices lp\n"
          "  ON u.cloud = lp.cloud AND u.sku_name = lp.sku_name\n"
          " AND u.usage_end_time >= lp.price_start_time\n"
          " AND (lp.price_end_time IS NULL OR u.usage_end_time < lp.price_end_time)\n"
          "WHERE array_contains(split(:run_ids, ','), u.usage_metadata.job_run_id)\n"
          "  AND u.usage_date >= :from_date\n"
          "GROUP BY u.usage_metadata.job_run_id",
          {{"run_ids", ids, ""}, {"from_date", from_date, "DATE"}}));
  for (const auto& row : result.rows) {
    if (row.size() != 4 || !row[0] || !row[1] || !row[2]) continue;
    int64_t run_id = 0;
    auto [end, ec] = std::from_chars(row[0]->data(), row[0]->data() + row[0]->size(), run_id);
    if (ec != std::errc() || end != row[0]->data() + row[0]->size()) {
      return Fail(ErrorCode::kCorrupt, "system.billing.usage: job_run_id '{}' is not a run id", *row[0]);
    }
    kpi::CostEstimate cost;
    cost.dbus = std::strtod(row[1]->c_str(), nullptr);
    cost.list_cost = std::strtod(row[2]->c_str(), nullptr);
    cost.currency = row[3].value_or("");
    cost.basis = fmt::format("billed: system.billing.usage of job run {} (all its tasks) at "
                             "system.billing.list_prices' effective list price", run_id);
    costs[run_id] = std::move(cost);
  }
  return costs;
}

Result<parquet::Table> UcStore::ReadTable(std::string_view table) const {
  PROM_ASSIGN_OR_RETURN(std::string sql, SelectSql(location_, table));
  PROM_ASSIGN_OR_RETURN(auto result, Run(sql, {}));
  return TableFromResult(*lake::TableSchema(table), result, location_.Table(table));
}

}  // namespace prometheus::unity

#include "prometheus/cli/fix_input.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "prometheus/cli/uc_store_access.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/pipeline/recode.h"

namespace prometheus::cli {

using nlohmann::json;

namespace {


Result<std::vector<json>> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(ErrorCode::kIo, "{}: cannot read", path);
  std::ostringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Fail(ErrorCode::kCorrupt, "{}: not a JSON object", path);
  std::vector<json> out;
  if (doc.contains("recommendations") && doc["recommendations"].is_array()) {
    for (const auto& r : doc["recommendations"]) out.push_back(r);
  } else if (doc.contains("applications") && doc["applications"].is_array()) {
    for (const auto& app : doc["applications"]) {
      if (!app.contains("recommendations") ||
          !app["recommendations"].is_array())
        continue;
      for (const auto& r : app["recommendations"]) out.push_back(r);
    }
  } else {
    return Fail(
        ErrorCode::kCorrupt, "{}: neither recommendations[] nor applications[].recommendations[]",
        path);
  }
  return out;
}

// prometheus_recommendations of a lake folder, or of a Unity Catalog store
// (the warehouse from DATABRICKS_WAREHOUSE_ID), and the table's name.
Result<std::pair<lake::TableRead<std::vector<lake::StoredRecommendation>>, std::string>>
ReadRecommendationRows(const std::string& store) {
  if (unity::IsUcStore(store)) {
    PROM_ASSIGN_OR_RETURN(UcAccess access, OpenUcStore(store, {}));
    PROM_ASSIGN_OR_RETURN(parquet::Table rows, access.store->ReadTable(lake::kRecommendationsTable));
    return std::pair{lake::TableRead<std::vector<lake::StoredRecommendation>>{
                         0, lake::RecommendationRecords(rows)},
                     access.store->location().Table(lake::kRecommendationsTable)};
  }
  lake::Lake lake(store);
  PROM_ASSIGN_OR_RETURN(auto stored, lake::ReadRecommendations(lake));
  return std::pair{std::move(stored), lake.Table(lake::kRecommendationsTable).root().string()};
}

Result<std::vector<json>> ReadStore(const std::string& store) {
  PROM_ASSIGN_OR_RETURN(auto read, ReadRecommendationRows(store));
  auto& [stored, table] = read;
  if (stored.version < 0) {
    return Fail(ErrorCode::kNotFound,
                "{} holds no table yet: run `prometheus recommend --store {}` first", table,
                store);
  }
  std::vector<lake::StoredRecommendation>& rows = stored.rows;
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.created_at.value.value_or(0) > b.created_at.value.value_or(0);
  });
  std::vector<json> out;
  std::set<std::string> seen;
  for (const lake::StoredRecommendation& row : rows) {
    if (!seen.insert(row.recommendation_id).second) continue;
    json parsed_fix = json::parse(row.fix, nullptr, false);
    if (parsed_fix.is_discarded()) {
      return Fail(ErrorCode::kCorrupt, "{}: row of recommendation {}: column fix is not JSON",
                  table, row.recommendation_id);
    }
    json scope = {{"app_id", row.app_id}};
    if (row.entry_point) scope["entry_point"] = *row.entry_point;
    if (row.call_sites) {
      // Anchors are read leniently (ReadFixRequest): a column that does not
      // parse leaves the job's place unknown.
      json sites = json::parse(*row.call_sites, nullptr, false);
      if (sites.is_array()) scope["call_sites"] = std::move(sites);
    }
    out.push_back({{"id", row.recommendation_id},
                   {"rule", row.rule},
                   {"severity", row.severity},
                   {"scope", std::move(scope)},
                   {"message", row.message},
                   {"fix", parsed_fix}});
  }
  return out;
}

// The recommendations are the command's input: failing to read them is bad
// input, whatever went wrong below.
Result<std::vector<json>> AsInput(Result<std::vector<json>> read) {
  if (!read) return pipeline::Recode(ErrorCode::kInvalidArgument, std::move(read).error());
  return read;
}

}  // namespace

Result<std::vector<json>> RecommendationsFromFile(const std::string& path) {
  return AsInput(ReadFile(path));
}

Result<std::vector<json>> RecommendationsFromStore(const std::string& store) {
  return AsInput(ReadStore(store));
}

}  // namespace prometheus::cli

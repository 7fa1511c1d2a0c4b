#include "prometheus/cli/fix_input.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "prometheus/pipeline/recode.h"
#include "prometheus/store/delta_table.h"
#include "prometheus/store/tables.h"

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

Result<std::vector<json>> ReadStore(const std::string& store) {
  store::DeltaTable delta(std::filesystem::path(store) /
                          std::string(store::kRecommendationsTable));
  PROM_ASSIGN_OR_RETURN(store::Snapshot snapshot, delta.Load());
  if (snapshot.version < 0) {
    return Fail(
        ErrorCode::kNotFound, "{} holds no table yet: run `prometheus recommend --store {}` first",
        delta.root().string(), store);
  }
  PROM_ASSIGN_OR_RETURN(store::Table table, delta.ReadAll(snapshot));
  auto column = [&](std::string_view name) -> Result<size_t> {
    auto index = table.ColumnIndex(name);
    if (!index) return Fail(ErrorCode::kCorrupt, "{}: no column {}", delta.root().string(), name);
    return *index;
  };
  PROM_ASSIGN_OR_RETURN(size_t id, column("recommendation_id"));
  PROM_ASSIGN_OR_RETURN(size_t app, column("app_id"));
  PROM_ASSIGN_OR_RETURN(size_t rule, column("rule"));
  PROM_ASSIGN_OR_RETURN(size_t severity, column("severity"));
  PROM_ASSIGN_OR_RETURN(size_t message, column("message"));
  PROM_ASSIGN_OR_RETURN(size_t fix, column("fix"));
  PROM_ASSIGN_OR_RETURN(size_t created, column("created_at"));
  auto text = [&](size_t c, size_t row) {
    store::Value value = table.Get(c, row);
    const auto* s = std::get_if<std::string>(&value);
    return s ? *s : std::string();
  };
  std::vector<size_t> rows(table.num_rows());
  for (size_t row = 0; row < rows.size(); ++row) rows[row] = row;
  auto created_at = [&](size_t row) {
    store::Value value = table.Get(created, row);
    const auto* micros = std::get_if<int64_t>(&value);
    return micros ? *micros : 0;
  };
  std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) {
    return created_at(a) > created_at(b);
  });
  std::vector<json> out;
  std::set<std::string> seen;
  for (size_t row : rows) {
    std::string rid = text(id, row);
    if (!seen.insert(rid).second) continue;
    json parsed_fix = json::parse(text(fix, row), nullptr, false);
    if (parsed_fix.is_discarded()) {
      return Fail(ErrorCode::kCorrupt, "{}: row of recommendation {}: column fix is not JSON",
                  delta.root().string(), rid);
    }
    out.push_back({{"id", rid},
                   {"rule", text(rule, row)},
                   {"severity", text(severity, row)},
                   {"scope", {{"app_id", text(app, row)}}},
                   {"message", text(message, row)},
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

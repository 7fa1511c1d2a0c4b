#include "prometheus/unity/uc_sql.h"

#include <fmt/format.h>

#include "prometheus/lake/tables.h"

namespace prometheus::unity {
namespace {

constexpr std::string_view kPrefix = "uc:";

bool IsName(std::string_view name) {
  if (name.empty() || name.size() > 255 || std::isdigit(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

bool IsFolder(std::string_view name) {
  if (name.empty() || name == "." || name == "..") return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

std::vector<std::string_view> Split(std::string_view text, char by) {
  std::vector<std::string_view> parts;
  for (size_t start = 0;;) {
    size_t end = text.find(by, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::string Quote(std::string_view name) { return fmt::format("`{}`", name); }

Result<const parquet::Schema*> SchemaOf(std::string_view table) {
  const parquet::Schema* schema = lake::TableSchema(table);
  if (schema == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "{}: not one of Prometheus' tables (prometheus_metrics, prometheus_applications, "
                "prometheus_recommendations)", table);
  }
  return schema;
}

}  // namespace

std::string UcLocation::Table(std::string_view table) const {
  return fmt::format("{}.{}.{}", Quote(catalog), Quote(schema), Quote(table));
}

bool IsUcStore(std::string_view store) { return store.starts_with(kPrefix); }

Result<UcLocation> ParseUcStore(std::string_view store, std::string_view staging_volume) {
  if (!IsUcStore(store)) return Fail(ErrorCode::kInvalidArgument, "{}: not uc:CATALOG.SCHEMA", store);
  auto names = Split(store.substr(kPrefix.size()), '.');
  if (names.size() != 2 || !IsName(names[0]) || !IsName(names[1])) {
    return Fail(ErrorCode::kInvalidArgument,
                "--store {}: expected uc:CATALOG.SCHEMA, each name letters, digits and '_' "
                "(not starting with a digit)", store);
  }
  UcLocation location{std::string(names[0]), std::string(names[1]), std::string(staging_volume)};
  if (location.staging_volume.empty()) {
    location.default_volume = true;
    location.staging_volume =
        fmt::format("/Volumes/{}/{}/prometheus_staging", location.catalog, location.schema);
  }
  while (location.staging_volume.size() > 1 && location.staging_volume.ends_with('/')) {
    location.staging_volume.pop_back();
  }
  auto parts = Split(location.staging_volume, '/');
  bool ok = parts.size() >= 5 && parts[0].empty() && parts[1] == "Volumes";
  for (size_t i = 2; ok && i < parts.size(); ++i) ok = i < 5 ? IsName(parts[i]) : IsFolder(parts[i]);
  if (!ok) {
    return Fail(ErrorCode::kInvalidArgument,
                "--staging-volume {}: expected /Volumes/CATALOG/SCHEMA/VOLUME[/FOLDER...]",
                location.staging_volume);
  }
  return location;
}

std::string SqlType(parquet::ColumnType type) {
  switch (type) {
    case parquet::ColumnType::kInt32: return "INT";
    case parquet::ColumnType::kInt64: return "BIGINT";
    case parquet::ColumnType::kDouble: return "DOUBLE";
    case parquet::ColumnType::kBoolean: return "BOOLEAN";
    case parquet::ColumnType::kString: return "STRING";
    case parquet::ColumnType::kTimestamp: return "TIMESTAMP";
  }
  return "STRING";
}

std::string CreateDefaultVolumeSql(const UcLocation& location) {
  return fmt::format("CREATE VOLUME IF NOT EXISTS {}", location.Table("prometheus_staging"));
}

Result<std::string> CreateTableSql(const UcLocation& location, std::string_view table) {
  PROM_ASSIGN_OR_RETURN(const parquet::Schema* schema, SchemaOf(table));
  std::string columns;
  for (const auto& column : *schema) {
    if (!columns.empty()) columns += ",\n  ";
    columns += fmt::format("{} {}{}", Quote(column.name), SqlType(column.type),
                           column.nullable ? "" : " NOT NULL");
  }
  return fmt::format("CREATE TABLE IF NOT EXISTS {} (\n  {}\n) USING DELTA", location.Table(table),
                     columns);
}

const std::vector<std::string>& MergeKeys(std::string_view table) {
  static const std::vector<std::string> kMetrics = {"app_id", "app_attempt_id", "task_run_id",
                                                    "stage_id", "stage_attempt_id"};
  static const std::vector<std::string> kApplications = {"app_id", "app_attempt_id", "task_run_id"};
  static const std::vector<std::string> kRecommendations = {"recommendation_id"};
  if (table == lake::kMetricsTable) return kMetrics;
  if (table == lake::kApplicationsTable) return kApplications;
  return kRecommendations;
}

Result<std::string> MergeSql(const UcLocation& location, std::string_view table) {
  PROM_ASSIGN_OR_RETURN(const parquet::Schema* schema, SchemaOf(table));
  (void)schema;
  std::string on;
  for (const auto& key : MergeKeys(table)) {
    if (!on.empty()) on += " AND ";
    on += fmt::format("t.{0} IS NOT DISTINCT FROM s.{0}", Quote(key));
  }
  return fmt::format(
      "MERGE INTO {} AS t\n"
      "USING (SELECT * FROM read_files(:staged, format => 'parquet')) AS s\n"
      "ON {}\n"
      "WHEN MATCHED THEN UPDATE SET *\n"
      "WHEN NOT MATCHED THEN INSERT *",
      location.Table(table), on);
}

Result<std::string> SelectSql(const UcLocation& location, std::string_view table) {
  PROM_ASSIGN_OR_RETURN(const parquet::Schema* schema, SchemaOf(table));
  std::string columns;
  for (const auto& column : *schema) {
    if (!columns.empty()) columns += ", ";
    columns += column.type == parquet::ColumnType::kTimestamp
                   ? fmt::format("unix_micros({0}) AS {0}", Quote(column.name))
                   : Quote(column.name);
  }
  std::string order;
  for (const auto& key : MergeKeys(table)) order += (order.empty() ? "" : ", ") + Quote(key);
  return fmt::format("SELECT {} FROM {} ORDER BY {}", columns, location.Table(table), order);
}

}  // namespace prometheus::unity

#include "prometheus/lake/readers.h"

#include <string>

#include "prometheus/delta/delta_table.h"
#include "prometheus/lake/internal/record_columns.h"
#include "prometheus/lake/tables.h"

namespace prometheus::lake {
namespace {

using internal::ReadRecords;

// kpi::VisitColumns shows a row's fields by const reference and its points
// in time as EpochMillis values made on the fly: the fields are filled
// through those references (they refer to `row`, which is not const), the
// times by name.
kpi::StageKpis StageRow(const parquet::Table& table, size_t row,
                        const std::vector<std::optional<size_t>>& columns) {
  kpi::StageKpis stage;
  size_t c = 0;
  kpi::VisitColumns(stage, [&](std::string_view name, const auto& value) {
    using V = std::decay_t<decltype(value)>;
    const std::optional<size_t>& column = columns[c++];
    if (!column) return;
    if constexpr (std::is_same_v<V, kpi::EpochMillis>) {
      kpi::EpochMillis time;
      internal::Take(table, *column, row, time);
      if (name == "submission_time") stage.submission_time = time.value;
      if (name == "completion_time") stage.completion_time = time.value;
      if (name == "collected_at") stage.collected_at = time.value.value_or(0);
    } else {
      internal::Take(table, *column, row, const_cast<V&>(value));
    }
  });
  return stage;
}

}  // namespace

Result<TableRead<parquet::Table>> ReadTable(const Lake& lake, std::string_view table) {
  delta::DeltaTable delta = lake.Table(table);
  PROM_ASSIGN_OR_RETURN(delta::Snapshot snapshot,
                        delta.Load({.tombstones = false, .stats = false}));
  TableRead<parquet::Table> read;
  read.version = snapshot.version;
  if (snapshot.version < 0) return read;
  PROM_ASSIGN_OR_RETURN(read.rows, delta.ReadAll(snapshot));
  return read;
}

Result<TableHead> ReadTableHead(const Lake& lake, std::string_view table, size_t limit) {
  delta::DeltaTable delta = lake.Table(table);
  PROM_ASSIGN_OR_RETURN(delta::Snapshot snapshot, delta.Load({.tombstones = false}));
  TableHead head;
  head.version = snapshot.version;
  if (snapshot.version < 0) return head;
  PROM_ASSIGN_OR_RETURN(head.rows, delta.ReadFirst(snapshot, limit));
  PROM_ASSIGN_OR_RETURN(head.total_rows, delta.CountRows(snapshot));
  return head;
}

Result<TableRead<std::vector<StoredApplication>>> ReadApplications(const Lake& lake) {
  PROM_ASSIGN_OR_RETURN(TableRead<parquet::Table> table, ReadTable(lake, kApplicationsTable));
  return TableRead<std::vector<StoredApplication>>{
      table.version, ReadRecords<StoredApplication>(table.rows)};
}

Result<TableRead<std::vector<StoredRecommendation>>> ReadRecommendations(const Lake& lake) {
  PROM_ASSIGN_OR_RETURN(TableRead<parquet::Table> table, ReadTable(lake, kRecommendationsTable));
  return TableRead<std::vector<StoredRecommendation>>{
      table.version, ReadRecords<StoredRecommendation>(table.rows)};
}

std::vector<StoredApplication> ApplicationRecords(const parquet::Table& table) {
  return ReadRecords<StoredApplication>(table);
}

std::vector<StoredRecommendation> RecommendationRecords(const parquet::Table& table) {
  return ReadRecords<StoredRecommendation>(table);
}

Result<TableRead<std::vector<kpi::StageKpis>>> ReadStageRows(const Lake& lake) {
  PROM_ASSIGN_OR_RETURN(TableRead<parquet::Table> table, ReadTable(lake, kMetricsTable));
  std::vector<std::optional<size_t>> columns;
  kpi::VisitColumns(kpi::StageKpis{}, [&](std::string_view name, const auto&) {
    columns.push_back(table.rows.ColumnIndex(name));
  });
  TableRead<std::vector<kpi::StageKpis>> read{table.version, {}};
  for (size_t row = 0; row < table.rows.num_rows(); ++row) {
    read.rows.push_back(StageRow(table.rows, row, columns));
  }
  return read;
}

}  // namespace prometheus::lake

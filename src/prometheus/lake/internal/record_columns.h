// A record type and its table rows, in both directions. A record lists its
// columns once, with `VisitColumns(record, visit)` calling visit(name, field)
// in table order; its schema, its rows and its reading back all follow.
// Field types: int64_t, std::optional<int64_t>, double, std::optional<double>,
// bool, std::string, std::optional<std::string> and kpi::EpochMillis (a
// timestamp column).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "prometheus/kpi/stage_kpis.h"
#include "prometheus/parquet/table.h"

namespace prometheus::lake::internal {

// The column type that holds a field of type T.
template <typename T>
constexpr parquet::ColumnType ColumnTypeOf() {
  using V = std::decay_t<T>;
  if constexpr (std::is_same_v<V, kpi::EpochMillis>) {
    return parquet::ColumnType::kTimestamp;
  } else if constexpr (std::is_same_v<V, bool>) {
    return parquet::ColumnType::kBoolean;
  } else if constexpr (std::is_same_v<V, double> || std::is_same_v<V, std::optional<double>>) {
    return parquet::ColumnType::kDouble;
  } else if constexpr (std::is_same_v<V, std::string> ||
                       std::is_same_v<V, std::optional<std::string>>) {
    return parquet::ColumnType::kString;
  } else {
    return parquet::ColumnType::kInt64;
  }
}

// Stores `value` at (column, row); an empty optional leaves a null.
template <typename T>
void Put(parquet::Table& table, size_t column, size_t row, const T& value) {
  using V = std::decay_t<T>;
  if constexpr (std::is_same_v<V, kpi::EpochMillis>) {
    if (value.value) table.SetInt(column, row, *value.value * 1000);
  } else if constexpr (std::is_same_v<V, bool>) {
    table.SetBool(column, row, value);
  } else if constexpr (std::is_same_v<V, double>) {
    table.SetDouble(column, row, value);
  } else if constexpr (std::is_same_v<V, std::optional<double>>) {
    if (value) table.SetDouble(column, row, *value);
  } else if constexpr (std::is_same_v<V, std::string>) {
    table.SetString(column, row, value);
  } else if constexpr (std::is_same_v<V, std::optional<std::string>>) {
    if (value) table.SetString(column, row, *value);
  } else if constexpr (std::is_same_v<V, std::optional<int64_t>>) {
    if (value) table.SetInt(column, row, *value);
  } else {
    table.SetInt(column, row, value);
  }
}

// Reads (column, row) into `field`; a null reads as the field's empty value
// (nullopt, 0, false or "").
template <typename T>
void Take(const parquet::Table& table, size_t column, size_t row, T& field) {
  const parquet::Value value = table.Get(column, row);
  const auto* integer = std::get_if<int64_t>(&value);
  const auto* real = std::get_if<double>(&value);
  const auto* text = std::get_if<std::string>(&value);
  if constexpr (std::is_same_v<T, kpi::EpochMillis>) {
    field.value = integer ? std::optional<int64_t>(*integer / 1000) : std::nullopt;
  } else if constexpr (std::is_same_v<T, bool>) {
    const auto* flag = std::get_if<bool>(&value);
    field = flag && *flag;
  } else if constexpr (std::is_same_v<T, double>) {
    field = real ? *real : 0;
  } else if constexpr (std::is_same_v<T, std::optional<double>>) {
    field = real ? std::optional<double>(*real) : std::nullopt;
  } else if constexpr (std::is_same_v<T, std::string>) {
    field = text ? *text : std::string();
  } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
    field = text ? std::optional<std::string>(*text) : std::nullopt;
  } else if constexpr (std::is_same_v<T, std::optional<int64_t>>) {
    field = integer ? std::optional<int64_t>(*integer) : std::nullopt;
  } else {
    field = integer ? *integer : 0;
  }
}

// The table schema of `Record`: every column nullable.
template <typename Record>
parquet::Schema SchemaOf() {
  parquet::Schema schema;
  VisitColumns(Record{}, [&](std::string_view name, const auto& field) {
    schema.push_back({std::string(name), ColumnTypeOf<decltype(field)>(), true});
  });
  return schema;
}

// Appends `record` as a row of `table`, whose schema is SchemaOf<Record>().
template <typename Record>
void AppendRecord(parquet::Table& table, const Record& record) {
  const size_t row = table.AddRow();
  size_t column = 0;
  VisitColumns(record, [&](std::string_view, const auto& field) {
    Put(table, column++, row, field);
  });
}

// The rows of `table` as records, columns found by name: a column the table
// lacks (written by an older release) reads as empty.
template <typename Record>
std::vector<Record> ReadRecords(const parquet::Table& table) {
  std::vector<std::optional<size_t>> columns;
  VisitColumns(Record{}, [&](std::string_view name, const auto&) {
    columns.push_back(table.ColumnIndex(name));
  });
  std::vector<Record> records(table.num_rows());
  for (size_t row = 0; row < records.size(); ++row) {
    size_t c = 0;
    VisitColumns(records[row], [&](std::string_view, auto& field) {
      if (const auto& column = columns[c++]) Take(table, *column, row, field);
    });
  }
  return records;
}

}  // namespace prometheus::lake::internal

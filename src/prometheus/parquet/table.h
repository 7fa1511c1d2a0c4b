// Flat, columnar tables: what is written to and read from Parquet.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace prometheus::parquet {

enum class ColumnType {
  kInt32,
  kInt64,
  kDouble,
  kBoolean,
  kString,
  kTimestamp,  // microseconds since the epoch, UTC
};

struct Column {
  std::string name;
  ColumnType type = ColumnType::kString;
  bool nullable = true;
};

using Schema = std::vector<Column>;

// One column's values. Integers, booleans and timestamps live in `ints`,
// doubles in `doubles`, strings in `strings`; only the vector of the
// column's type is used. `valid[i]` is false for a null.
struct ColumnVector {
  std::vector<uint8_t> valid;
  std::vector<int64_t> ints;
  std::vector<double> doubles;
  std::vector<std::string> strings;

  size_t size() const { return valid.size(); }
};

// A single value, for statistics and small lookups; monostate is null.
using Value = std::variant<std::monostate, int64_t, double, bool, std::string>;

struct Table {
  Schema schema;
  std::vector<ColumnVector> columns;  // one per schema column

  size_t num_rows() const { return columns.empty() ? 0 : columns[0].size(); }

  // Appends a row of nulls and returns its index; callers then set values.
  size_t AddRow();
  void SetInt(size_t column, size_t row, int64_t value);
  void SetDouble(size_t column, size_t row, double value);
  void SetBool(size_t column, size_t row, bool value);
  void SetString(size_t column, size_t row, std::string value);

  // The value at (column, row), or monostate for null.
  Value Get(size_t column, size_t row) const;

  // Index of the column named `name`, or nullopt.
  std::optional<size_t> ColumnIndex(std::string_view name) const;
};

// Stores `value` at (column, row), converting numbers to the column's type;
// monostate leaves a null.
void SetValue(Table& table, size_t column, size_t row, const Value& value);

// An empty table with `schema`, each column sized for `reserve_rows`.
Table MakeTable(Schema schema, size_t reserve_rows = 0);

// Per-column statistics of one written file.
struct ColumnStats {
  int64_t null_count = 0;
  Value min;  // monostate when unknown or not collected
  Value max;
};

}  // namespace prometheus::parquet

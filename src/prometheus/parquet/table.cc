#include "prometheus/parquet/table.h"

namespace prometheus::parquet {

Table MakeTable(Schema schema, size_t reserve_rows) {
  Table table;
  table.columns.resize(schema.size());
  for (size_t i = 0; i < schema.size(); ++i) {
    ColumnVector& column = table.columns[i];
    column.valid.reserve(reserve_rows);
    switch (schema[i].type) {
      case ColumnType::kDouble:
        column.doubles.reserve(reserve_rows);
        break;
      case ColumnType::kString:
        column.strings.reserve(reserve_rows);
        break;
      default:
        column.ints.reserve(reserve_rows);
    }
  }
  table.schema = std::move(schema);
  return table;
}

size_t Table::AddRow() {
  size_t row = num_rows();
  for (size_t i = 0; i < columns.size(); ++i) {
    ColumnVector& column = columns[i];
    column.valid.push_back(0);
    switch (schema[i].type) {
      case ColumnType::kDouble:
        column.doubles.push_back(0);
        break;
      case ColumnType::kString:
        column.strings.emplace_back();
        break;
      default:
        column.ints.push_back(0);
    }
  }
  return row;
}

void Table::SetInt(size_t column, size_t row, int64_t value) {
  columns[column].valid[row] = 1;
  columns[column].ints[row] = value;
}

void Table::SetDouble(size_t column, size_t row, double value) {
  columns[column].valid[row] = 1;
  columns[column].doubles[row] = value;
}

void Table::SetBool(size_t column, size_t row, bool value) {
  columns[column].valid[row] = 1;
  columns[column].ints[row] = value ? 1 : 0;
}

void Table::SetString(size_t column, size_t row, std::string value) {
  columns[column].valid[row] = 1;
  columns[column].strings[row] = std::move(value);
}

Value Table::Get(size_t column, size_t row) const {
  const ColumnVector& c = columns[column];
  if (!c.valid[row]) return std::monostate{};
  switch (schema[column].type) {
    case ColumnType::kDouble:
      return c.doubles[row];
    case ColumnType::kString:
      return c.strings[row];
    case ColumnType::kBoolean:
      return c.ints[row] != 0;
    default:
      return c.ints[row];
  }
}

void SetValue(Table& table, size_t column, size_t row, const Value& value) {
  ColumnType type = table.schema[column].type;
  if (const auto* i = std::get_if<int64_t>(&value)) {
    if (type == ColumnType::kDouble) {
      table.SetDouble(column, row, static_cast<double>(*i));
    } else if (type == ColumnType::kString) {
      table.SetString(column, row, std::to_string(*i));
    } else {
      table.SetInt(column, row, *i);
    }
  } else if (const auto* d = std::get_if<double>(&value)) {
    if (type == ColumnType::kDouble) {
      table.SetDouble(column, row, *d);
    } else if (type != ColumnType::kString) {
      table.SetInt(column, row, static_cast<int64_t>(*d));
    }
  } else if (const auto* b = std::get_if<bool>(&value)) {
    table.SetBool(column, row, *b);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    if (type == ColumnType::kString) table.SetString(column, row, *s);
  }
}

std::optional<size_t> Table::ColumnIndex(std::string_view name) const {
  for (size_t i = 0; i < schema.size(); ++i) {
    if (schema[i].name == name) return i;
  }
  return std::nullopt;
}

}  // namespace prometheus::parquet

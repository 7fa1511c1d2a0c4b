#include "prometheus/report/table_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "prometheus/base/time_format.h"

namespace prometheus::report {
namespace {

nlohmann::ordered_json CellJson(const parquet::Table& table, size_t column, size_t row) {
  parquet::Value value = table.Get(column, row);
  if (std::holds_alternative<std::monostate>(value)) return nullptr;
  if (table.schema[column].type == parquet::ColumnType::kTimestamp) {
    return CellText(table, column, row);
  }
  if (const auto* i = std::get_if<int64_t>(&value)) return *i;
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* b = std::get_if<bool>(&value)) return *b;
  return std::get<std::string>(value);
}

std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string CellText(const parquet::Table& table, size_t column, size_t row) {
  parquet::Value value = table.Get(column, row);
  if (std::holds_alternative<std::monostate>(value)) return "";
  if (const auto* i = std::get_if<int64_t>(&value)) {
    if (table.schema[column].type == parquet::ColumnType::kTimestamp) {
      int64_t micros = *i;
      return IsoUtcMillis(micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000));
    }
    return std::to_string(*i);
  }
  if (const auto* d = std::get_if<double>(&value)) return fmt::format("{}", *d);
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  return std::get<std::string>(value);
}

Result<std::vector<size_t>> SelectRows(const parquet::Table& table,
                                       const std::vector<std::string>& where, int64_t limit,
                                       std::string_view table_name) {
  std::vector<std::pair<size_t, std::string>> filters;
  for (const auto& condition : where) {
    size_t eq = condition.find('=');
    auto column = eq == std::string::npos ? std::nullopt
                                          : table.ColumnIndex(condition.substr(0, eq));
    if (!column) {
      return Fail(ErrorCode::kInvalidArgument,
                  "--where {}: expected COLUMN=VALUE with a column of {}", condition,
                  table_name);
    }
    filters.emplace_back(*column, condition.substr(eq + 1));
  }
  std::vector<size_t> rows;
  for (size_t row = 0; row < table.num_rows(); ++row) {
    bool keep = std::all_of(filters.begin(), filters.end(), [&](const auto& f) {
      return CellText(table, f.first, row) == f.second;
    });
    if (keep) rows.push_back(row);
    if (limit > 0 && static_cast<int64_t>(rows.size()) >= limit) break;
  }
  return rows;
}

std::string RenderTableText(const parquet::Table& table, const std::vector<size_t>& rows) {
  const auto& schema = table.schema;
  std::string out;
  if (schema.size() > 8) {
    size_t width = 0;
    for (const auto& column : schema) width = std::max(width, column.name.size());
    for (size_t n = 0; n < rows.size(); ++n) {
      out += fmt::format("-[ RECORD {} ]{}\n", n + 1, std::string(width, '-'));
      for (size_t c = 0; c < schema.size(); ++c) {
        out += schema[c].name;
        out.append(width - std::min(width, schema[c].name.size()), ' ');
        out += " | " + CellText(table, c, rows[n]) + "\n";
      }
    }
    return out;
  }
  std::vector<size_t> widths;
  for (size_t c = 0; c < schema.size(); ++c) {
    size_t w = schema[c].name.size();
    for (size_t row : rows) w = std::max(w, std::min<size_t>(40, CellText(table, c, row).size()));
    widths.push_back(w);
  }
  for (size_t c = 0; c < schema.size(); ++c) {
    out += fmt::format("{:<{}}  ", schema[c].name, widths[c]);
  }
  out += "\n";
  for (size_t row : rows) {
    for (size_t c = 0; c < schema.size(); ++c) {
      std::string text = CellText(table, c, row);
      if (text.size() > 40) text = text.substr(0, 37) + "...";
      out += fmt::format("{:<{}}  ", text, widths[c]);
    }
    out += "\n";
  }
  return out;
}

std::string RenderTableJson(const parquet::Table& table, const std::vector<size_t>& rows) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (size_t row : rows) {
    nlohmann::ordered_json record = nlohmann::ordered_json::object();
    for (size_t c = 0; c < table.schema.size(); ++c) {
      record[table.schema[c].name] = CellJson(table, c, row);
    }
    out.push_back(std::move(record));
  }
  return out.dump(2) + "\n";
}

std::string RenderTableCsv(const parquet::Table& table, const std::vector<size_t>& rows) {
  std::string out;
  for (size_t c = 0; c < table.schema.size(); ++c) {
    out += (c ? "," : "") + table.schema[c].name;
  }
  out += "\n";
  for (size_t row : rows) {
    for (size_t c = 0; c < table.schema.size(); ++c) {
      out += (c ? "," : "") + CsvField(CellText(table, c, row));
    }
    out += "\n";
  }
  return out;
}

std::string RenderRowCount(size_t shown, size_t total, int64_t version) {
  return fmt::format("({} row(s) of {}, version {})\n", shown, total, version);
}

}  // namespace prometheus::report

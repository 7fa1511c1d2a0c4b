#include "prometheus/cli/show_command.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "prometheus/base/time_format.h"
#include "prometheus/cli/cli.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"

namespace prometheus::cli {
namespace {

struct ShowOptions {
  std::string table;
  std::string store = "prometheus-lake";
  std::vector<std::string> where;
  int64_t limit = 50;
  std::string format = "table";
};

// A cell as text: timestamps in ISO 8601, nulls as "".
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

void PrintTable(const parquet::Table& table, const std::vector<size_t>& rows) {
  const auto& schema = table.schema;
  if (schema.size() > 8) {
    // Wide tables read best one record at a time, like psql's \x.
    size_t width = 0;
    for (const auto& column : schema) width = std::max(width, column.name.size());
    for (size_t n = 0; n < rows.size(); ++n) {
      std::printf("-[ RECORD %zu ]%s\n", n + 1, std::string(width, '-').c_str());
      for (size_t c = 0; c < schema.size(); ++c) {
        std::printf("%-*s | %s\n", static_cast<int>(width), schema[c].name.c_str(),
                    CellText(table, c, rows[n]).c_str());
      }
    }
    return;
  }
  std::vector<size_t> widths;
  for (size_t c = 0; c < schema.size(); ++c) {
    size_t w = schema[c].name.size();
    for (size_t row : rows) w = std::max(w, std::min<size_t>(40, CellText(table, c, row).size()));
    widths.push_back(w);
  }
  std::string line;
  for (size_t c = 0; c < schema.size(); ++c) {
    line += fmt::format("{:<{}}  ", schema[c].name, widths[c]);
  }
  std::puts(line.c_str());
  for (size_t row : rows) {
    line.clear();
    for (size_t c = 0; c < schema.size(); ++c) {
      std::string text = CellText(table, c, row);
      if (text.size() > 40) text = text.substr(0, 37) + "...";
      line += fmt::format("{:<{}}  ", text, widths[c]);
    }
    std::puts(line.c_str());
  }
}

int RunShow(const ShowOptions& options) {
  if (!lake::TableSchema(options.table)) {
    std::fprintf(stderr,
                 "prometheus: unknown table %s: expected prometheus_metrics, "
                 "prometheus_applications or prometheus_recommendations\n",
                 options.table.c_str());
    return kExitBadInput;
  }
  lake::Lake lake(options.store);
  auto read = lake::ReadTable(lake, options.table);
  if (!read) {
    std::fprintf(stderr, "prometheus: %s\n", read.error().message.c_str());
    return kExitFailure;
  }
  if (read->version < 0) {
    std::fprintf(stderr, "prometheus: %s holds no table yet: run `prometheus observe` first\n",
                 lake.Table(options.table).root().c_str());
    return kExitBadInput;
  }
  const parquet::Table* table = &read->rows;
  std::vector<std::pair<size_t, std::string>> filters;
  for (const auto& condition : options.where) {
    size_t eq = condition.find('=');
    auto column = eq == std::string::npos ? std::nullopt
                                          : table->ColumnIndex(condition.substr(0, eq));
    if (!column) {
      std::fprintf(stderr, "prometheus: --where %s: expected COLUMN=VALUE with a column of %s\n",
                   condition.c_str(), options.table.c_str());
      return kExitBadInput;
    }
    filters.emplace_back(*column, condition.substr(eq + 1));
  }
  std::vector<size_t> rows;
  for (size_t row = 0; row < table->num_rows(); ++row) {
    bool keep = std::all_of(filters.begin(), filters.end(), [&](const auto& f) {
      return CellText(*table, f.first, row) == f.second;
    });
    if (keep) rows.push_back(row);
    if (options.limit > 0 && static_cast<int64_t>(rows.size()) >= options.limit) break;
  }
  if (options.format == "json") {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (size_t row : rows) {
      nlohmann::ordered_json record = nlohmann::ordered_json::object();
      for (size_t c = 0; c < table->schema.size(); ++c) {
        record[table->schema[c].name] = CellJson(*table, c, row);
      }
      out.push_back(std::move(record));
    }
    std::puts(out.dump(2).c_str());
  } else if (options.format == "csv") {
    std::string line;
    for (size_t c = 0; c < table->schema.size(); ++c) {
      line += (c ? "," : "") + table->schema[c].name;
    }
    std::puts(line.c_str());
    for (size_t row : rows) {
      line.clear();
      for (size_t c = 0; c < table->schema.size(); ++c) {
        line += (c ? "," : "") + CsvField(CellText(*table, c, row));
      }
      std::puts(line.c_str());
    }
  } else {
    PrintTable(*table, rows);
    std::fprintf(stderr, "(%zu row(s) of %zu, version %lld)\n", rows.size(),
                 table->num_rows(), static_cast<long long>(read->version));
  }
  return kExitOk;
}

}  // namespace

void AddShowCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ShowOptions>();
  CLI::App* cmd = app.add_subcommand("show", "Print a table of the lake.");
  cmd->footer(
      "TABLE is prometheus_metrics, prometheus_applications or "
      "prometheus_recommendations (docs/TABLES.md).\n\nExit codes: 0 done; 1 "
      "the table could not be read; 2 bad arguments or no such table yet.");
  cmd->add_option("table", options->table, "The table to print")->required();
  cmd->add_option("--store", options->store, "The lake folder")->capture_default_str();
  cmd->add_option("--where", options->where,
                  "Keep rows whose COLUMN=VALUE (the value as printed); repeatable");
  cmd->add_option("--limit", options->limit, "At most this many rows (0: all)")
      ->capture_default_str();
  cmd->add_option("-f,--format", options->format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = RunShow(*options); });
}

}  // namespace prometheus::cli

#include "prometheus/parquet/json_rows.h"

#include <fmt/format.h>

#include <cmath>

namespace prometheus::parquet {
namespace {

void AppendString(std::string& out, const std::string& text) {
  out += '"';
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void AppendDouble(std::string& out, double value) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "Infinity" : "-Infinity";
  } else {
    fmt::format_to(std::back_inserter(out), "{}", value);
  }
}

}  // namespace

std::vector<std::string> JsonRows(const Table& table) {
  std::vector<std::string> rows;
  rows.reserve(table.num_rows());
  for (size_t row = 0; row < table.num_rows(); ++row) {
    std::string out = "{";
    for (size_t c = 0; c < table.schema.size(); ++c) {
      if (c) out += ',';
      AppendString(out, table.schema[c].name);
      out += ':';
      const ColumnVector& column = table.columns[c];
      if (!column.valid[row]) {
        out += "null";
        continue;
      }
      switch (table.schema[c].type) {
        case ColumnType::kDouble:
          AppendDouble(out, column.doubles[row]);
          break;
        case ColumnType::kString:
          AppendString(out, column.strings[row]);
          break;
        case ColumnType::kBoolean:
          out += column.ints[row] ? "true" : "false";
          break;
        default:
          fmt::format_to(std::back_inserter(out), "{}", column.ints[row]);
      }
    }
    rows.push_back(out + "}");
  }
  return rows;
}

}  // namespace prometheus::parquet

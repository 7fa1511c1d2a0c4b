#include "prometheus/unity/uc_rows.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <optional>
#include <string>

namespace prometheus::unity {
namespace {

std::optional<int64_t> ParseInt(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Spark renders doubles as Java does ("1.5E9", "NaN", "Infinity"); strtod
// reads all of them exactly.
std::optional<double> ParseDouble(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

Result<parquet::Table> TableFromResult(const parquet::Schema& schema,
                                       const databricks::StatementResult& result,
                                       std::string_view table) {
  if (result.columns.size() != schema.size()) {
    return Fail(ErrorCode::kCorrupt, "{}: {} columns read, {} expected", table,
                result.columns.size(), schema.size());
  }
  for (size_t c = 0; c < schema.size(); ++c) {
    if (result.columns[c] != schema[c].name) {
      return Fail(ErrorCode::kCorrupt, "{}: column {} is {}, expected {}", table, c,
                  result.columns[c], schema[c].name);
    }
  }
  parquet::Table out = parquet::MakeTable(schema, result.rows.size());
  for (size_t r = 0; r < result.rows.size(); ++r) {
    size_t row = out.AddRow();
    for (size_t c = 0; c < schema.size(); ++c) {
      const auto& value = result.rows[r][c];
      if (!value) continue;
      auto bad = [&] {
        return Fail(ErrorCode::kCorrupt, "{} row {} column {}: '{}' is not a {}", table, r + 1,
                    schema[c].name, value->substr(0, 40), schema[c].type == parquet::ColumnType::kBoolean
                                                              ? "boolean" : "number");
      };
      switch (schema[c].type) {
        case parquet::ColumnType::kString:
          out.SetString(c, row, *value);
          break;
        case parquet::ColumnType::kDouble: {
          auto number = ParseDouble(*value);
          if (!number) return bad();
          out.SetDouble(c, row, *number);
          break;
        }
        case parquet::ColumnType::kBoolean:
          if (*value != "true" && *value != "false") return bad();
          out.SetBool(c, row, *value == "true");
          break;
        default: {  // integers, and timestamps as microseconds
          auto number = ParseInt(*value);
          if (!number) return bad();
          out.SetInt(c, row, *number);
        }
      }
    }
  }
  return out;
}

void AppendRows(parquet::Table& into, const parquet::Table& from) {
  for (size_t r = 0; r < from.num_rows(); ++r) {
    size_t row = into.AddRow();
    for (size_t c = 0; c < from.columns.size(); ++c) SetValue(into, c, row, from.Get(c, r));
  }
}

}  // namespace prometheus::unity

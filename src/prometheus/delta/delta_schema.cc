#include "prometheus/delta/delta_schema.h"

#include <charconv>
#include <nlohmann/json.hpp>

namespace prometheus::delta {

using parquet::ColumnType;
using parquet::Schema;
using parquet::Value;

std::string_view DeltaTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kInt32:
      return "integer";
    case ColumnType::kInt64:
      return "long";
    case ColumnType::kDouble:
      return "double";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kString:
      return "string";
    case ColumnType::kTimestamp:
      return "timestamp";
  }
  return "string";
}
namespace {

using Json = nlohmann::json;

std::optional<ColumnType> TypeFromName(std::string_view name) {
  if (name == "integer" || name == "short" || name == "byte") return ColumnType::kInt32;
  if (name == "long") return ColumnType::kInt64;
  if (name == "double" || name == "float") return ColumnType::kDouble;
  if (name == "boolean") return ColumnType::kBoolean;
  if (name == "string") return ColumnType::kString;
  if (name == "timestamp") return ColumnType::kTimestamp;
  return std::nullopt;
}

// Days from 1970-01-01 of a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// "2020-01-01 08:09:10.001" or "2020-01-01T08:09:10Z" as UTC microseconds.
std::optional<int64_t> ParseTimestamp(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  long frac = 0;
  int frac_digits = 0;
  if (text.size() < 19) return std::nullopt;
  auto num = [&](size_t at, size_t len, int& out) {
    return std::from_chars(text.data() + at, text.data() + at + len, out).ec == std::errc();
  };
  if (!num(0, 4, y) || !num(5, 2, mo) || !num(8, 2, d) || !num(11, 2, h) ||
      !num(14, 2, mi) || !num(17, 2, s)) {
    return std::nullopt;
  }
  size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    ++at;
    while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
      if (frac_digits < 6) {
        frac = frac * 10 + (text[at] - '0');
        ++frac_digits;
      }
      ++at;
    }
  }
  while (frac_digits < 6) {
    frac *= 10;
    ++frac_digits;
  }
  int64_t seconds = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                    h * 3600 + mi * 60 + s;
  return seconds * 1000000 + frac;
}

}  // namespace

std::string SchemaString(const Schema& schema) {
  Json fields = Json::array();
  for (const auto& column : schema) {
    fields.push_back({{"name", column.name},
                      {"type", std::string(DeltaTypeName(column.type))},
                      {"nullable", column.nullable},
                      {"metadata", Json::object()}});
  }
  return Json{{"type", "struct"}, {"fields", fields}}.dump();
}

Result<Schema> ParseSchemaString(const std::string& text) {
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("fields") ||
      !doc["fields"].is_array()) {
    return Fail(ErrorCode::kCorrupt,
                "schemaString is not a Spark StructType JSON object with \"fields\"");
  }
  Schema schema;
  for (const auto& field : doc["fields"]) {
    std::string name = field.value("name", "");
    const Json& type = field.contains("type") ? field["type"] : Json();
    std::string type_name = type.is_string() ? type.get<std::string>()
                                             : type.value("type", "complex");
    auto column_type = TypeFromName(type_name);
    if (!column_type) {
      return Fail(ErrorCode::kCorrupt,
                  "column \"{}\" has type {}, which this reader does not support "
                  "(supported: integer, long, double, float, boolean, string, timestamp)",
                  name, type_name);
    }
    schema.push_back({name, *column_type, field.value("nullable", true)});
  }
  return schema;
}

Result<Value> ParsePartitionValue(const std::optional<std::string>& text,
                                  ColumnType type) {
  if (!text) return Value{};
  const std::string& s = *text;
  if (type == ColumnType::kString) return Value{s};
  if (s.empty() || s == "__HIVE_DEFAULT_PARTITION__") return Value{};
  switch (type) {
    case ColumnType::kInt32:
    case ColumnType::kInt64: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (ec != std::errc() || ptr != s.data() + s.size()) break;
      return Value{v};
    }
    case ColumnType::kDouble:
      try {
        return Value{std::stod(s)};
      } catch (...) {
        break;
      }
    case ColumnType::kBoolean:
      if (s == "true") return Value{true};
      if (s == "false") return Value{false};
      break;
    case ColumnType::kTimestamp:
      if (auto micros = ParseTimestamp(s)) return Value{*micros};
      break;
    case ColumnType::kString:
      break;
  }
  return Fail(ErrorCode::kCorrupt,
              "partition value \"{}\" is not a valid {}", s, DeltaTypeName(type));
}

}  // namespace prometheus::delta

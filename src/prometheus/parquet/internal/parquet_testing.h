// Test helpers for the Parquet tests (header-only, never linked into the
// library): sample tables, table comparison, and running the independent
// validators of tools/validators through node.
#pragma once

#include <fmt/format.h>
#include <stdio.h>
#include <sys/wait.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "prometheus/parquet/table.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::parquet::internal {

// Every column type, nullable and not, with nulls, an all-null column,
// empty and non-ASCII strings, repeating (dictionary) and unique (plain)
// strings, integer extremes and special doubles.
// A byte string from its values, for spec examples.
inline std::string Bytes(std::initializer_list<int> bytes) {
  std::string out;
  for (int b : bytes) out.push_back(static_cast<char>(b));
  return out;
}

inline Table SampleTable(size_t rows, uint32_t seed = 1) {
  Table t = MakeTable({{"i32", ColumnType::kInt32, true},
                       {"i64", ColumnType::kInt64, true},
                       {"d", ColumnType::kDouble, true},
                       {"b", ColumnType::kBoolean, true},
                       {"s", ColumnType::kString, true},
                       {"u", ColumnType::kString, true},
                       {"ts", ColumnType::kTimestamp, true},
                       {"req", ColumnType::kInt64, false},
                       {"none", ColumnType::kString, true}},
                      rows);
  static const char* kWords[] = {"",     "alpha", "héllo wörld", "日本語",
                                 "🚀 go", "x",     "stage 1",     "ñ"};
  const int32_t kInt32s[] = {std::numeric_limits<int32_t>::min(),
                             std::numeric_limits<int32_t>::max(), 0, -1};
  const int64_t kInt64s[] = {std::numeric_limits<int64_t>::min(),
                             std::numeric_limits<int64_t>::max(), 0, -1};
  const double kDoubles[] = {std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             -0.0,
                             5e-324,
                             std::numeric_limits<double>::max(),
                             0.1};
  std::mt19937_64 random(seed);
  for (size_t r = 0; r < rows; ++r) {
    t.AddRow();
    const bool null = r % 7 == 3;
    if (!null) {
      t.SetInt(0, r, r < 4 ? kInt32s[r] : static_cast<int32_t>(random()));
      t.SetInt(1, r, r < 4 ? kInt64s[r] : static_cast<int64_t>(random()));
      t.SetDouble(
          2, r,
          r < 7 ? kDoubles[r]
                : static_cast<double>(random() % 2000000) / 64.0 - 10000.0);
      t.SetBool(3, r, random() % 3 == 0);
      t.SetString(4, r, kWords[random() % 8]);
      t.SetString(5, r, fmt::format("row-{}-{:x}", r, random() % 100000));
      // 1900 to 2200, in micros.
      t.SetInt(6, r,
               -2208988800000000LL +
                   static_cast<int64_t>(random() % 9467280000000000ULL));
    }
    t.SetInt(7, r, static_cast<int64_t>(r) * 1000003 - 7);
  }
  return t;
}

inline bool SameDouble(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

// The first difference between two tables, or "" when they are equal
// (doubles bit for bit, any NaN equal to any NaN).
inline std::string TableDifference(const Table& want, const Table& got) {
  if (want.schema.size() != got.schema.size()) {
    return fmt::format("{} columns, expected {}", got.schema.size(),
                       want.schema.size());
  }
  if (want.num_rows() != got.num_rows()) {
    return fmt::format("{} rows, expected {}", got.num_rows(), want.num_rows());
  }
  for (size_t c = 0; c < want.schema.size(); ++c) {
    const Column& w = want.schema[c];
    const Column& g = got.schema[c];
    if (w.name != g.name || w.type != g.type || w.nullable != g.nullable) {
      return fmt::format("column {} is {} {} nullable={}, expected {} {} {}", c,
                         g.name, static_cast<int>(g.type), g.nullable, w.name,
                         static_cast<int>(w.type), w.nullable);
    }
    for (size_t r = 0; r < want.num_rows(); ++r) {
      const Value a = want.Get(c, r);
      const Value b = got.Get(c, r);
      const bool same =
          a.index() == b.index() &&
          (!std::holds_alternative<double>(a) ||
           SameDouble(std::get<double>(a), std::get<double>(b))) &&
          (std::holds_alternative<double>(a) || a == b);
      if (!same) {
        return fmt::format("column {} row {} differs", w.name, r);
      }
    }
  }
  return "";
}

// ---------------------------------------------------------------- node

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string ShellQuote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

// Runs `args` through the shell, capturing stdout and stderr.
inline CommandResult RunCommand(const std::vector<std::string>& args) {
  prometheus::testing::TempDir dir;
  std::string command;
  for (const std::string& arg : args) command += ShellQuote(arg) + " ";
  const std::filesystem::path err = dir.path() / "stderr";
  command += "2>" + ShellQuote(err.string()) + " </dev/null";
  CommandResult result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[1 << 16];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    result.out.append(buffer, n);
  }
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = prometheus::testing::Slurp(err);
  return result;
}

inline std::string ValidatorScript(const std::string& name) {
  return prometheus::testing::RepoPath("tools/validators/" + name);
}

// Why the validators cannot run here, or "" when they can.
inline std::string ValidatorsMissing() {
  static const std::string reason = [] {
    const std::string modules =
        prometheus::testing::RepoPath("tools/validators/node_modules");
    if (!std::filesystem::exists(modules + "/@duckdb/node-api") ||
        !std::filesystem::exists(modules + "/hyparquet") ||
        !std::filesystem::exists(modules + "/parquet-wasm")) {
      return std::string(
          "tools/validators/node_modules is not installed; run "
          "tools/install-deps.sh");
    }
    if (RunCommand({"node", "--version"}).exit_code != 0) {
      return std::string("node is not installed; run tools/install-deps.sh");
    }
    return std::string();
  }();
  return reason;
}

// The validators' canonical JSON cell for row `r` of column `c`: integers
// and timestamps (micros) as decimal strings, doubles as numbers or
// "NaN"/"Infinity"/"-Infinity", booleans, strings, null.
inline nlohmann::json CanonicalCell(const Table& t, size_t c, size_t r) {
  const Value v = t.Get(c, r);
  if (std::holds_alternative<std::monostate>(v)) return nullptr;
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&v)) return *b;
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  const double d = std::get<double>(v);
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  return d;
}

inline std::string CanonicalType(ColumnType type) {
  switch (type) {
    case ColumnType::kInt32:
      return "int32";
    case ColumnType::kInt64:
      return "int64";
    case ColumnType::kDouble:
      return "double";
    case ColumnType::kBoolean:
      return "boolean";
    case ColumnType::kString:
      return "string";
    case ColumnType::kTimestamp:
      return "timestamp";
  }
  return "?";
}

inline bool SameCell(const nlohmann::json& want, const nlohmann::json& got) {
  if (want.is_number() && got.is_number()) {
    return SameDouble(want.get<double>(), got.get<double>()) ||
           want.get<double>() == got.get<double>();  // -0 printed as 0
  }
  return want == got;
}

// The first difference between `table` and a validator's canonical JSON
// ({"columns":[{"name","type"}], "rows":[[...]]}), or "" when equal.
// `check_types` compares the column types too.
inline std::string CanonicalDifference(const Table& table,
                                       const nlohmann::json& canonical,
                                       bool check_types = true) {
  const nlohmann::json& columns = canonical.at("columns");
  const nlohmann::json& rows = canonical.at("rows");
  if (columns.size() != table.schema.size()) {
    return fmt::format("{} columns, expected {}", columns.size(),
                       table.schema.size());
  }
  for (size_t c = 0; c < columns.size(); ++c) {
    const std::string name = columns[c].at("name");
    const std::string type = columns[c].at("type");
    if (name != table.schema[c].name ||
        (check_types && type != CanonicalType(table.schema[c].type))) {
      return fmt::format("column {} is {} {}, expected {} {}", c, name, type,
                         table.schema[c].name,
                         CanonicalType(table.schema[c].type));
    }
  }
  if (rows.size() != table.num_rows()) {
    return fmt::format("{} rows, expected {}", rows.size(), table.num_rows());
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < columns.size(); ++c) {
      const nlohmann::json want = CanonicalCell(table, c, r);
      if (!SameCell(want, rows[r].at(c))) {
        return fmt::format("row {} column {}: {} but expected {}", r,
                           table.schema[c].name, rows[r].at(c).dump(),
                           want.dump());
      }
    }
  }
  return "";
}

}  // namespace prometheus::parquet::internal

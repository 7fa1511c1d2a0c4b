#include "prometheus/parquet/json_rows.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

namespace prometheus::parquet {
namespace {

Table Sample() {
  Table table = MakeTable({{"id", ColumnType::kInt64, false},
                           {"ratio", ColumnType::kDouble},
                           {"name", ColumnType::kString},
                           {"flag", ColumnType::kBoolean},
                           {"at", ColumnType::kTimestamp}});
  size_t row = table.AddRow();
  table.SetInt(0, row, -9'007'199'254'740'993);  // beyond a double's integers
  table.SetDouble(1, row, 0.1 + 0.2);
  table.SetString(2, row, "a \"quoted\"\\ line\nwith\ttabs and \x01 and é");
  table.SetBool(3, row, true);
  table.SetInt(4, row, 1'700'000'000'123'456);
  row = table.AddRow();
  table.SetInt(0, row, 7);
  return table;
}

TEST(JsonRows, EveryValueReadsBackExactlyWithAnIndependentParser) {
  Table table = Sample();
  auto rows = JsonRows(table);
  ASSERT_EQ(rows.size(), 2u);
  auto first = nlohmann::json::parse(rows[0]);
  EXPECT_EQ(first["id"].get<int64_t>(), -9'007'199'254'740'993);
  EXPECT_EQ(first["ratio"].get<double>(), 0.1 + 0.2);
  EXPECT_EQ(first["name"].get<std::string>(), table.columns[2].strings[0]);
  EXPECT_TRUE(first["flag"].get<bool>());
  EXPECT_EQ(first["at"].get<int64_t>(), 1'700'000'000'123'456);
  // Keys in schema order; nulls as null.
  EXPECT_EQ(rows[1], R"({"id":7,"ratio":null,"name":null,"flag":null,"at":null})");
}

TEST(JsonRows, NonFiniteDoublesAreSparksTokens) {
  Table table = MakeTable({{"x", ColumnType::kDouble}});
  for (double value : {std::nan(""), std::numeric_limits<double>::infinity(),
                       -std::numeric_limits<double>::infinity()}) {
    table.SetDouble(0, table.AddRow(), value);
  }
  EXPECT_EQ(JsonRows(table),
            (std::vector<std::string>{R"({"x":NaN})", R"({"x":Infinity})", R"({"x":-Infinity})"}));
}

}  // namespace
}  // namespace prometheus::parquet

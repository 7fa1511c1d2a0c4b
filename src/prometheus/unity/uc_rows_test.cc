#include "prometheus/unity/uc_rows.h"

#include <gtest/gtest.h>

#include <cmath>

namespace prometheus::unity {
namespace {

using parquet::ColumnType;

parquet::Schema Schema() {
  return {{"id", ColumnType::kInt64, false}, {"ratio", ColumnType::kDouble},
          {"flag", ColumnType::kBoolean}, {"name", ColumnType::kString},
          {"at", ColumnType::kTimestamp}};
}

TEST(UcRowsTest, TypesEachValueAndKeepsNulls) {
  databricks::StatementResult result;
  result.columns = {"id", "ratio", "flag", "name", "at"};
  result.rows = {{"9007199254740993", "1.5E9", "true", "x", "1700000000123456"},
                 {"-1", "NaN", "false", std::nullopt, std::nullopt},
                 {"0", "4.9E-324", std::nullopt, "", "0"}};
  auto table = TableFromResult(Schema(), result, "t");
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->num_rows(), 3u);
  EXPECT_EQ(std::get<int64_t>(table->Get(0, 0)), 9007199254740993);
  EXPECT_EQ(std::get<double>(table->Get(1, 0)), 1.5e9);
  EXPECT_TRUE(std::isnan(std::get<double>(table->Get(1, 1))));
  EXPECT_EQ(std::get<double>(table->Get(1, 2)), 4.9e-324);
  EXPECT_EQ(std::get<bool>(table->Get(2, 0)), true);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(table->Get(2, 2)));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(table->Get(3, 1)));
  EXPECT_EQ(std::get<std::string>(table->Get(3, 2)), "");
  EXPECT_EQ(std::get<int64_t>(table->Get(4, 0)), 1700000000123456);
}

TEST(UcRowsTest, AValueOfTheWrongTypeNamesItsRowAndColumn) {
  databricks::StatementResult result;
  result.columns = {"id", "ratio", "flag", "name", "at"};
  result.rows = {{"1", "0.5", "true", "x", "0"}, {"2", "half", "true", "y", "0"}};
  auto table = TableFromResult(Schema(), result, "`c`.`s`.`t`");
  ASSERT_FALSE(table);
  EXPECT_EQ(table.error().message, "`c`.`s`.`t` row 2 column ratio: 'half' is not a number");
  result.rows = {{"1", "0.5", "yes", "x", "0"}};
  EXPECT_FALSE(TableFromResult(Schema(), result, "t"));
  result.columns = {"id", "ratio", "flag", "label", "at"};
  EXPECT_FALSE(TableFromResult(Schema(), result, "t"));
}

TEST(UcRowsTest, AppendsRowsOfTheSameSchema) {
  parquet::Table a = parquet::MakeTable(Schema());
  parquet::Table b = parquet::MakeTable(Schema());
  size_t row = b.AddRow();
  b.SetInt(0, row, 7);
  b.SetBool(2, row, true);
  b.SetString(3, row, "seven");
  AppendRows(a, b);
  AppendRows(a, b);
  ASSERT_EQ(a.num_rows(), 2u);
  EXPECT_EQ(std::get<int64_t>(a.Get(0, 1)), 7);
  EXPECT_EQ(std::get<bool>(a.Get(2, 1)), true);
  EXPECT_EQ(std::get<std::string>(a.Get(3, 1)), "seven");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(a.Get(1, 1)));
}

}  // namespace
}  // namespace prometheus::unity

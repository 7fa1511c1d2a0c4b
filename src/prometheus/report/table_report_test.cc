#include "prometheus/report/table_report.h"

#include <gtest/gtest.h>

namespace prometheus::report {
namespace {

// Two rows: ("a", 1.5, 2015-02-03T16:43:07.191Z) and ("b,\"c\"", null, null).
parquet::Table Sample() {
  parquet::Table table = parquet::MakeTable({{"name", parquet::ColumnType::kString},
                                         {"ratio", parquet::ColumnType::kDouble},
                                         {"at", parquet::ColumnType::kTimestamp}});
  size_t row = table.AddRow();
  table.SetString(0, row, "a");
  table.SetDouble(1, row, 1.5);
  table.SetInt(2, row, 1422981787191000);
  row = table.AddRow();
  table.SetString(0, row, "b,\"c\"");
  return table;
}

TEST(CellText, TimestampsInIsoAndNullsEmpty) {
  parquet::Table table = Sample();
  EXPECT_EQ(CellText(table, 2, 0), "2015-02-03T16:43:07.191Z");
  EXPECT_EQ(CellText(table, 1, 0), "1.5");
  EXPECT_EQ(CellText(table, 1, 1), "");
}

TEST(SelectRows, FiltersAsPrintedAndLimits) {
  parquet::Table table = Sample();
  EXPECT_EQ(*SelectRows(table, {}, 0, "t"), (std::vector<size_t>{0, 1}));
  EXPECT_EQ(*SelectRows(table, {}, 1, "t"), (std::vector<size_t>{0}));
  EXPECT_EQ(*SelectRows(table, {"at=2015-02-03T16:43:07.191Z"}, 0, "t"),
            (std::vector<size_t>{0}));
  EXPECT_EQ(*SelectRows(table, {"ratio="}, 0, "t"), (std::vector<size_t>{1}));
  auto bad = SelectRows(table, {"nope=1"}, 0, "t");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad.error().message, "--where nope=1: expected COLUMN=VALUE with a column of t");
  EXPECT_FALSE(SelectRows(table, {"no equals sign"}, 0, "t"));
}

TEST(RenderTable, TextJsonAndCsv) {
  parquet::Table table = Sample();
  std::vector<size_t> rows = {0, 1};
  EXPECT_EQ(RenderTableText(table, rows),
            "name   ratio  at                        \n"
            "a      1.5    2015-02-03T16:43:07.191Z  \n"
            "b,\"c\"                                   \n");
  EXPECT_EQ(RenderTableCsv(table, rows),
            "name,ratio,at\na,1.5,2015-02-03T16:43:07.191Z\n\"b,\"\"c\"\"\",,\n");
  EXPECT_EQ(RenderTableJson(table, {1}),
            "[\n  {\n    \"name\": \"b,\\\"c\\\"\",\n    \"ratio\": null,\n    \"at\": null\n"
            "  }\n]\n");
  EXPECT_EQ(RenderRowCount(1, 2, 3), "(1 row(s) of 2, version 3)\n");
}

TEST(RenderTable, WideTablesOneRecordAtATime) {
  parquet::Schema schema;
  for (int c = 0; c < 9; ++c) {
    schema.push_back({"c" + std::to_string(c), parquet::ColumnType::kInt64});
  }
  schema[8].name = "longest";
  parquet::Table table = parquet::MakeTable(schema);
  size_t row = table.AddRow();
  for (size_t c = 0; c < 9; ++c) table.SetInt(c, row, static_cast<int64_t>(c));
  std::string text = RenderTableText(table, {0});
  EXPECT_TRUE(text.starts_with("-[ RECORD 1 ]-------\nc0      | 0\n")) << text;
  EXPECT_TRUE(text.ends_with("longest | 8\n")) << text;
}

}  // namespace
}  // namespace prometheus::report

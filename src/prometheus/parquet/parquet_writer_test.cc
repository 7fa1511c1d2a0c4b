// WriteParquet read back by our own reader, and the layout it promises:
// dictionaries where they pay, ~1 MiB pages, row groups, statistics, and
// files that appear whole or not at all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/internal/parquet_testing.h"
#include "prometheus/parquet/parquet.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::parquet {
namespace {

using internal::SampleTable;
using internal::TableDifference;
using prometheus::testing::Slurp;
using prometheus::testing::TempDir;
using ::testing::HasSubstr;

// The footer of a Parquet file, decoded.
internal::FileMetaData Footer(const std::filesystem::path& path) {
  const std::string bytes = Slurp(path);
  EXPECT_GE(bytes.size(), 12u);
  EXPECT_EQ(bytes.substr(0, 4), "PAR1");
  EXPECT_EQ(bytes.substr(bytes.size() - 4), "PAR1");
  uint32_t size;
  std::memcpy(&size, bytes.data() + bytes.size() - 8, 4);
  auto meta = internal::DecodeFileMetaData(
      std::string_view(bytes).substr(bytes.size() - 8 - size, size));
  EXPECT_TRUE(meta) << meta.error().message;
  return meta ? *meta : internal::FileMetaData{};
}

bool HasEncoding(const internal::ColumnMetaData& meta, int32_t encoding) {
  return std::find(meta.encodings.begin(), meta.encodings.end(), encoding) !=
         meta.encodings.end();
}

int32_t DataPages(const internal::ColumnMetaData& meta) {
  int32_t pages = 0;
  for (const auto& s : meta.encoding_stats) {
    if (s.page_type == internal::kDataPage) pages += s.count;
  }
  return pages;
}

class ParquetCodecTest : public ::testing::TestWithParam<ParquetCodec> {};

TEST_P(ParquetCodecTest, EveryTypeRoundTrips) {
  TempDir dir;
  const Table table = SampleTable(5000);
  const auto path = dir.path() / "t.parquet";
  auto info = WriteParquet(path, table, {.codec = GetParam()});
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->num_rows, 5000);
  EXPECT_EQ(info->size_bytes, std::filesystem::file_size(path));
  auto read = ReadParquet(path);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(TableDifference(table, *read), "");
  const int32_t codec = GetParam() == ParquetCodec::kSnappy ? internal::kSnappy
                        : GetParam() == ParquetCodec::kZstd
                            ? internal::kZstd
                            : internal::kUncompressed;
  const internal::FileMetaData footer = Footer(path);
  for (const auto& chunk : footer.row_groups.at(0).columns) {
    EXPECT_EQ(chunk.meta_data->codec, codec);
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, ParquetCodecTest,
                         ::testing::Values(ParquetCodec::kUncompressed,
                                           ParquetCodec::kSnappy,
                                           ParquetCodec::kZstd));

TEST(ParquetWriterTest, SplitsRowGroupsAndPages) {
  TempDir dir;
  const Table table = SampleTable(300000, 7);
  const auto path = dir.path() / "big.parquet";
  ASSERT_TRUE(WriteParquet(path, table, {.row_group_rows = 70000}));
  const internal::FileMetaData meta = Footer(path);
  ASSERT_EQ(meta.row_groups.size(), 5u);  // 4 x 70000 + 20000
  EXPECT_EQ(meta.row_groups[4].num_rows, 20000);
  EXPECT_EQ(meta.num_rows, 300000);
  // 70000 int64 values (~560 KB) fit one page; a 300000-row group would not.
  EXPECT_EQ(DataPages(*meta.row_groups[0].columns[1].meta_data), 1);
  auto read = ReadParquet(path);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(TableDifference(table, *read), "");

  const auto one_group = dir.path() / "one.parquet";
  ASSERT_TRUE(WriteParquet(one_group, table));
  const internal::FileMetaData single = Footer(one_group);
  ASSERT_EQ(single.row_groups.size(), 1u);
  // 300000 x 8 bytes split at 1 MiB: 131072 values per page.
  EXPECT_EQ(DataPages(*single.row_groups[0].columns[1].meta_data), 3);
  read = ReadParquet(one_group);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(TableDifference(table, *read), "");
}

TEST(ParquetWriterTest, DictionaryEncodesRepeatingStringsOnly) {
  TempDir dir;
  const Table table = SampleTable(4000);
  const auto path = dir.path() / "d.parquet";
  ASSERT_TRUE(WriteParquet(path, table));
  const internal::FileMetaData footer = Footer(path);
  const auto& columns = footer.row_groups.at(0).columns;
  const auto& repeating = *columns[4].meta_data;  // 8 distinct words
  const auto& unique = *columns[5].meta_data;
  EXPECT_TRUE(HasEncoding(repeating, internal::kRleDictionary));
  ASSERT_TRUE(repeating.dictionary_page_offset);
  EXPECT_LT(*repeating.dictionary_page_offset, repeating.data_page_offset);
  EXPECT_FALSE(HasEncoding(unique, internal::kRleDictionary));
  EXPECT_FALSE(unique.dictionary_page_offset);

  const auto plain = dir.path() / "p.parquet";
  ASSERT_TRUE(WriteParquet(plain, table, {.dictionary = false}));
  EXPECT_FALSE(HasEncoding(*Footer(plain).row_groups[0].columns[4].meta_data,
                           internal::kRleDictionary));
  EXPECT_LT(std::filesystem::file_size(path),
            std::filesystem::file_size(plain));
}

TEST(ParquetWriterTest, FallsBackToPlainWhenTheDictionaryIsTooBig) {
  TempDir dir;
  // 6000 distinct 200-byte values, each twice: few enough distinct values,
  // but a 1.2 MB dictionary.
  Table table = MakeTable({{"s", ColumnType::kString, true}});
  for (size_t r = 0; r < 12000; ++r) {
    table.AddRow();
    table.SetString(0, r, fmt::format("{:0>200}", r / 2));
  }
  const auto path = dir.path() / "big-dict.parquet";
  ASSERT_TRUE(WriteParquet(path, table));
  EXPECT_FALSE(HasEncoding(*Footer(path).row_groups[0].columns[0].meta_data,
                           internal::kRleDictionary));
  auto read = ReadParquet(path);
  ASSERT_TRUE(read);
  EXPECT_EQ(TableDifference(table, *read), "");
}

TEST(ParquetWriterTest, ReportsStatisticsPerColumn) {
  TempDir dir;
  const Table table = SampleTable(700);
  auto info =
      WriteParquet(dir.path() / "s.parquet", table, {.row_group_rows = 300});
  ASSERT_TRUE(info);
  const auto& stats = info->stats;
  ASSERT_EQ(stats.size(), table.schema.size());
  EXPECT_EQ(stats[0].null_count, 100);  // rows 3, 10, 17, ... (r % 7 == 3)
  EXPECT_EQ(stats[0].min, Value(int64_t{std::numeric_limits<int32_t>::min()}));
  EXPECT_EQ(stats[0].max, Value(int64_t{std::numeric_limits<int32_t>::max()}));
  EXPECT_EQ(stats[1].min, Value(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(stats[1].max, Value(std::numeric_limits<int64_t>::max()));
  // Row 0 holds a NaN: no bound is given for the double column.
  EXPECT_TRUE(std::holds_alternative<std::monostate>(stats[2].min));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(stats[2].max));
  EXPECT_EQ(stats[3].min, Value(false));
  EXPECT_EQ(stats[3].max, Value(true));
  // Unsigned byte order: "" first, the emoji (0xF0...) last.
  EXPECT_EQ(stats[4].min, Value(std::string()));
  EXPECT_EQ(stats[4].max, Value(std::string("🚀 go")));
  int64_t lo = std::numeric_limits<int64_t>::max();
  int64_t hi = std::numeric_limits<int64_t>::min();
  for (size_t r = 0; r < table.num_rows(); ++r) {
    if (!table.columns[6].valid[r]) continue;
    lo = std::min(lo, table.columns[6].ints[r]);
    hi = std::max(hi, table.columns[6].ints[r]);
  }
  EXPECT_EQ(stats[6].min, Value(lo));
  EXPECT_EQ(stats[6].max, Value(hi));
  EXPECT_EQ(stats[7].null_count, 0);
  EXPECT_EQ(stats[8].null_count, 700);  // all null: no bounds
  EXPECT_TRUE(std::holds_alternative<std::monostate>(stats[8].min));
}

TEST(ParquetWriterTest, FooterCarriesStatisticsAndParsableCreatedBy) {
  TempDir dir;
  Table table = MakeTable(
      {{"x", ColumnType::kDouble, true}, {"s", ColumnType::kString, false}});
  const double values[] = {2.5, 0.0, -1.25};
  for (size_t r = 0; r < 3; ++r) {
    table.AddRow();
    table.SetDouble(0, r, values[r]);
    table.SetString(1, r, r == 1 ? "b" : "a\xff");
  }
  const auto path = dir.path() / "f.parquet";
  ASSERT_TRUE(WriteParquet(path, table));
  const internal::FileMetaData meta = Footer(path);
  EXPECT_EQ(meta.created_by, "prometheus version 0.1.0 (build local)");
  const internal::Statistics& x =
      *meta.row_groups[0].columns[0].meta_data->statistics;
  double lo, hi;
  std::memcpy(&lo, x.min_value->data(), 8);
  std::memcpy(&hi, x.max_value->data(), 8);
  EXPECT_EQ(lo, -1.25);
  EXPECT_EQ(hi, 2.5);
  EXPECT_EQ(x.null_count, 0);
  const internal::Statistics& s =
      *meta.row_groups[0].columns[1].meta_data->statistics;
  EXPECT_EQ(*s.min_value, "a\xff");  // 0xff sorts after "b" only if signed
  EXPECT_EQ(*s.max_value, "b");
  EXPECT_EQ(meta.schema[2].repetition, internal::kRequired);
}

TEST(ParquetWriterTest, ZeroRowsAndAllNullColumnsRoundTrip) {
  TempDir dir;
  Table empty = SampleTable(0);
  auto info = WriteParquet(dir.path() / "empty.parquet", empty);
  ASSERT_TRUE(info) << info.error().message;
  auto read = ReadParquet(dir.path() / "empty.parquet");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(TableDifference(empty, *read), "");

  Table nulls = MakeTable({{"a", ColumnType::kInt64, true},
                           {"b", ColumnType::kString, true},
                           {"c", ColumnType::kBoolean, true}});
  for (int r = 0; r < 1000; ++r) nulls.AddRow();
  ASSERT_TRUE(WriteParquet(dir.path() / "nulls.parquet", nulls));
  read = ReadParquet(dir.path() / "nulls.parquet");
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(TableDifference(nulls, *read), "");
}

TEST(ParquetWriterTest, NeverOverwritesAndLeavesNoTemporaryFiles) {
  TempDir dir;
  const auto path = dir.path() / "once.parquet";
  ASSERT_TRUE(WriteParquet(path, SampleTable(10)));
  const std::string first = Slurp(path);
  auto again = WriteParquet(path, SampleTable(20, 2));
  ASSERT_FALSE(again);
  EXPECT_THAT(again.error().message, HasSubstr("already exists"));
  EXPECT_THAT(again.error().message, HasSubstr("once.parquet"));
  EXPECT_EQ(Slurp(path), first);
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);

  auto missing_folder =
      WriteParquet(dir.path() / "no" / "such.parquet", SampleTable(1));
  ASSERT_FALSE(missing_folder);
  EXPECT_THAT(missing_folder.error().message, HasSubstr("such.parquet"));
}

TEST(ParquetWriterTest, RejectsTablesThatBreakTheirSchema) {
  TempDir dir;
  Table table = MakeTable({{"id", ColumnType::kInt64, false}});
  table.AddRow();
  auto written = WriteParquet(dir.path() / "a.parquet", table);
  ASSERT_FALSE(written);
  EXPECT_THAT(written.error().message,
              HasSubstr("column 'id' is not nullable but row 0 is null"));

  Table ragged = MakeTable(
      {{"a", ColumnType::kInt64, true}, {"b", ColumnType::kString, true}});
  ragged.AddRow();
  ragged.columns[1].valid.push_back(1);
  written = WriteParquet(dir.path() / "b.parquet", ragged);
  ASSERT_FALSE(written);
  EXPECT_THAT(written.error().message, HasSubstr("column 'b'"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "b.parquet"));
}

TEST(ParquetWriterTest, ValidityBytesOtherThanOneStillMeanPresent) {
  TempDir dir;
  Table table = MakeTable({{"v", ColumnType::kInt32, true}});
  for (int r = 0; r < 20; ++r) {
    table.AddRow();
    table.SetInt(0, r, r);
    table.columns[0].valid[r] = r % 3 == 0 ? 0 : 7;
  }
  ASSERT_TRUE(WriteParquet(dir.path() / "v.parquet", table));
  auto read = ReadParquet(dir.path() / "v.parquet");
  ASSERT_TRUE(read);
  for (int r = 0; r < 20; ++r) {
    EXPECT_EQ(read->Get(0, r), table.Get(0, r)) << r;
  }
}

}  // namespace
}  // namespace prometheus::parquet

// ReadParquet and ReadParquetLeaves on files that are wrong in every way we
// could think of, on the golden Delta tables' files, and on damaged copies.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "prometheus/parquet/internal/parquet_testing.h"
#include "prometheus/parquet/parquet.h"
#include "prometheus/parquet/partial_read.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::parquet {
namespace {

using internal::SampleTable;
using internal::TableDifference;
using prometheus::testing::RepoPath;
using prometheus::testing::Slurp;
using prometheus::testing::TempDir;
using ::testing::AllOf;
using ::testing::HasSubstr;

std::string Golden(const std::string& relative) {
  return RepoPath("../shared/delta-golden/" + relative);
}

const std::string kCheckpoint =
    "delta-io__delta/checkpoint/_delta_log/"
    "00000000000000000010.checkpoint.parquet";
const std::string kPrimitives =
    "delta-io__delta/data-reader-primitives/"
    "part-00000-4f2f0b9f-50b3-4e7b-96a1-e2bb0f246b06-c000.snappy.parquet";

std::string ReadError(const std::filesystem::path& path) {
  auto table = ReadParquet(path);
  return table ? std::string("no error") : table.error().message;
}

TEST(ParquetReaderTest, RejectsFilesThatAreNotParquet) {
  TempDir dir;
  EXPECT_THAT(ReadError(dir.path() / "missing.parquet"),
              AllOf(HasSubstr("missing.parquet"), HasSubstr("cannot open")));
  EXPECT_THAT(ReadError(dir.Write("short.parquet", "PAR1PAR1")),
              AllOf(HasSubstr("short.parquet"), HasSubstr("at least 12")));
  EXPECT_THAT(ReadError(dir.Write("csv.parquet", "a,b,c\n1,2,3\n4,5,6\n")),
              AllOf(HasSubstr("csv.parquet"), HasSubstr("\"PAR1\" at byte 0")));

  const auto good = dir.path() / "good.parquet";
  ASSERT_TRUE(WriteParquet(good, SampleTable(100)));
  const std::string bytes = Slurp(good);
  EXPECT_THAT(
      ReadError(dir.Write("cut.parquet", bytes.substr(0, bytes.size() - 3))),
      AllOf(HasSubstr("cut.parquet"), HasSubstr("last 4 bytes")));
  std::string long_footer = bytes;
  const uint32_t huge = static_cast<uint32_t>(bytes.size());
  std::memcpy(long_footer.data() + bytes.size() - 8, &huge, 4);
  EXPECT_THAT(ReadError(dir.Write("footer.parquet", long_footer)),
              AllOf(HasSubstr("footer.parquet"),
                    HasSubstr("footer length " + std::to_string(huge) +
                              " out of range")));
}

TEST(ParquetReaderTest, DamagedPagesNameTheColumnAndTheByte) {
  TempDir dir;
  const auto good = dir.path() / "good.parquet";
  ASSERT_TRUE(WriteParquet(good, SampleTable(100),
                           {.codec = ParquetCodec::kUncompressed}));
  std::string bytes = Slurp(good);
  // The first page header, of column i32, starts right after "PAR1".
  std::memset(bytes.data() + 4, 0xff, 6);
  EXPECT_THAT(ReadError(dir.Write("page.parquet", bytes)),
              AllOf(HasSubstr("page.parquet"), HasSubstr("column 'i32'"),
                    HasSubstr("page at byte 4")));

  // Every page of the file gone, the footer kept.
  const std::string original = Slurp(good);
  uint32_t footer;
  std::memcpy(&footer, original.data() + original.size() - 8, 4);
  const std::string pageless =
      "PAR1" + original.substr(original.size() - 8 - footer);
  EXPECT_THAT(ReadError(dir.Write("pageless.parquet", pageless)),
              AllOf(HasSubstr("pageless.parquet"), HasSubstr("column 'i32'")));
}

TEST(ParquetReaderTest, SurvivesRandomDamage) {
  TempDir dir;
  const auto good = dir.path() / "good.parquet";
  ASSERT_TRUE(WriteParquet(good, SampleTable(2000), {.row_group_rows = 700}));
  const std::vector<std::string> originals = {
      Slurp(good), Slurp(Golden(kCheckpoint)), Slurp(Golden(kPrimitives))};
  std::mt19937 random(7);
  int errors = 0;
  int runs = 0;
  for (const std::string& original : originals) {
    ASSERT_GT(original.size(), 100u);
    for (int i = 0; i < 300; ++i) {
      std::string bytes = original;
      switch (i % 3) {
        case 0:  // a few flipped bytes anywhere
          for (int f = 0; f < 3; ++f) {
            bytes[random() % bytes.size()] ^=
                static_cast<char>(1 + random() % 255);
          }
          break;
        case 1: {  // damage in the footer only
          const size_t at = bytes.size() - 9 -
                            random() % std::min<size_t>(bytes.size() - 12, 400);
          bytes[at] ^= static_cast<char>(1 << (random() % 8));
          break;
        }
        case 2: {  // a hole cut out of the pages, the footer kept
          const size_t at = 4 + random() % (bytes.size() / 2);
          bytes.erase(at, 1 + random() % 200);
          break;
        }
      }
      const auto path = dir.Write("bad.parquet", bytes);
      auto table = ReadParquet(path);
      auto leaves = ReadParquetLeaves(path);
      errors += !table.has_value() + !leaves.has_value();
      if (!table) EXPECT_THAT(table.error().message, HasSubstr("bad.parquet"));
      runs += 2;
    }
  }
  // Most damage must be noticed (a flipped value byte legitimately is not).
  EXPECT_GT(errors, runs / 3);
}

TEST(ParquetReaderTest, UnsupportedTypesNameTheColumnAndWhatIsSupported) {
  // Spark's binary and decimal columns.
  const std::string error = ReadError(Golden(kPrimitives));
  EXPECT_THAT(error,
              AllOf(HasSubstr(kPrimitives), HasSubstr("'as_binary'"),
                    HasSubstr("BYTE_ARRAY (binary, no string annotation)"),
                    HasSubstr("supported: BOOLEAN")));
}

TEST(ParquetReaderTest, NestedFilesAreAnErrorForReadParquet) {
  EXPECT_THAT(ReadError(Golden(kCheckpoint)),
              AllOf(HasSubstr("checkpoint.parquet"), HasSubstr("'txn.appId'"),
                    HasSubstr("nested")));
}

const LeafColumn* FindLeaf(const std::vector<LeafColumn>& leaves,
                           const std::vector<std::string>& path) {
  for (const LeafColumn& leaf : leaves) {
    if (leaf.path == path) return &leaf;
  }
  return nullptr;
}

TEST(ParquetReaderTest, LeavesOfACheckpointCarryLevels) {
  auto leaves = ReadParquetLeaves(Golden(kCheckpoint));
  ASSERT_TRUE(leaves) << leaves.error().message;
  const LeafColumn* path = FindLeaf(*leaves, {"add", "path"});
  ASSERT_NE(path, nullptr);
  EXPECT_EQ(path->max_definition_level, 2);  // optional add, optional path
  EXPECT_EQ(path->max_repetition_level, 0);
  EXPECT_EQ(path->type, ColumnType::kString);
  const size_t rows = path->definition_levels.size();
  EXPECT_GT(rows, 0u);
  EXPECT_EQ(path->repetition_levels, std::vector<int16_t>(rows, 0));
  const auto present = static_cast<size_t>(std::count(
      path->definition_levels.begin(), path->definition_levels.end(), 2));
  EXPECT_EQ(path->values.strings.size(), present);
  EXPECT_EQ(path->values.valid, std::vector<uint8_t>(present, 1));

  const LeafColumn* key =
      FindLeaf(*leaves, {"add", "partitionValues", "key_value", "key"});
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(key->max_repetition_level, 1);
  EXPECT_EQ(key->max_definition_level, 3);
  EXPECT_EQ(std::count(key->repetition_levels.begin(),
                       key->repetition_levels.end(), 0),
            static_cast<long>(rows));  // every row starts with level 0

  const LeafColumn* reader =
      FindLeaf(*leaves, {"protocol", "minReaderVersion"});
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->type, ColumnType::kInt32);
  ASSERT_EQ(reader->values.ints.size(), 1u);  // one protocol action
  EXPECT_EQ(reader->values.ints[0], 1);
}

TEST(ParquetReaderTest, LeavesOfAFlatFileMatchItsTable) {
  TempDir dir;
  const Table table = SampleTable(500);
  ASSERT_TRUE(WriteParquet(dir.path() / "f.parquet", table));
  auto leaves = ReadParquetLeaves(dir.path() / "f.parquet");
  ASSERT_TRUE(leaves) << leaves.error().message;
  ASSERT_EQ(leaves->size(), table.schema.size());
  for (size_t c = 0; c < leaves->size(); ++c) {
    const LeafColumn& leaf = (*leaves)[c];
    EXPECT_EQ(leaf.path, std::vector<std::string>{table.schema[c].name});
    EXPECT_EQ(leaf.type, table.schema[c].type);
    EXPECT_EQ(leaf.max_definition_level, table.schema[c].nullable ? 1 : 0);
    ASSERT_EQ(leaf.definition_levels.size(), 500u);
    size_t k = 0;
    for (size_t r = 0; r < 500; ++r) {
      const bool valid = table.columns[c].valid[r] != 0;
      if (table.schema[c].nullable) {
        EXPECT_EQ(leaf.definition_levels[r], valid ? 1 : 0);
      }
      if (valid && table.schema[c].type == ColumnType::kString) {
        EXPECT_EQ(leaf.values.strings.at(k++), table.columns[c].strings[r]);
      }
    }
  }
}

TEST(ParquetReaderTest, ReadsSparkFilesOfTheGoldenTables) {
  // Spark 3 / parquet-mr: INT32, STRING with PLAIN_DICTIONARY, snappy.
  auto table = ReadParquet(Golden(
      "delta-io__delta/snapshot-data0/"
      "part-00000-0441e99a-c421-400e-83a1-212aa6c84c73-c000.snappy.parquet"));
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_EQ(table->schema.size(), 2u);
  EXPECT_EQ(table->schema[0].name, "col1");
  EXPECT_EQ(table->schema[0].type, ColumnType::kInt32);
  ASSERT_EQ(table->num_rows(), 5u);
  EXPECT_EQ(table->Get(0, 4), Value(int64_t{4}));
  EXPECT_EQ(table->Get(1, 4), Value(std::string("data-0-4")));
}

// ReadParquetHead gives ReadParquet's first rows, whatever the codec, the
// dictionary and the row groups (a limit inside the first, on a boundary,
// inside a later one, past the end), with nulls in every column; and on a
// file Spark wrote.
TEST(ParquetReaderTest, TheFirstRowsReadAloneEqualTheWholeFilesFirstRows) {
  TempDir tmp;
  const Table sample = SampleTable(1000, 7);
  int n = 0;
  for (ParquetCodec codec : {ParquetCodec::kUncompressed, ParquetCodec::kSnappy,
                             ParquetCodec::kZstd}) {
    for (bool dictionary : {false, true}) {
      for (size_t row_group_rows : {size_t{300}, size_t{1} << 20}) {
        const auto path = tmp.path() / ("f" + std::to_string(n++) + ".parquet");
        ASSERT_TRUE(WriteParquet(path, sample, {codec, row_group_rows, dictionary}));
        auto whole = ReadParquet(path);
        ASSERT_TRUE(whole) << whole.error().message;
        for (size_t limit : {size_t{0}, size_t{1}, size_t{5}, size_t{300}, size_t{301},
                             size_t{999}, size_t{1000}, size_t{5000}}) {
          SCOPED_TRACE(::testing::Message() << path << " limit " << limit);
          auto head = ReadParquetHead(LocalFileSystem(), path, limit);
          ASSERT_TRUE(head) << head.error().message;
          const size_t rows = std::min(limit, whole->num_rows());
          ASSERT_EQ(head->num_rows(), rows);
          Table prefix = MakeTable(whole->schema);
          for (size_t row = 0; row < rows; ++row) {
            size_t at = prefix.AddRow();
            for (size_t c = 0; c < whole->schema.size(); ++c) {
              SetValue(prefix, c, at, whole->Get(c, row));
            }
          }
          EXPECT_EQ(TableDifference(prefix, *head), "");
        }
      }
    }
  }
  for (const std::string& file : {std::string(
           "delta-io__delta/snapshot-data0/"
           "part-00000-0441e99a-c421-400e-83a1-212aa6c84c73-c000.snappy.parquet")}) {
    auto whole = ReadParquet(Golden(file));
    ASSERT_TRUE(whole) << whole.error().message;
    auto head = ReadParquetHead(LocalFileSystem(), Golden(file), 3);
    ASSERT_TRUE(head) << head.error().message;
    ASSERT_EQ(head->num_rows(), std::min<size_t>(3, whole->num_rows()));
    for (size_t row = 0; row < head->num_rows(); ++row) {
      for (size_t c = 0; c < whole->schema.size(); ++c) {
        EXPECT_EQ(head->Get(c, row), whole->Get(c, row)) << file << " " << row << " " << c;
      }
    }
  }
}

}  // namespace
}  // namespace prometheus::parquet

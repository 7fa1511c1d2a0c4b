// Our Parquet against independent implementations (tools/validators, see
// ../shared/docs/DELTA.md §4): DuckDB, hyparquet and parquet-wasm (arrow-rs)
// read what we write, value for value; we read what they write; and we read
// the golden Delta tables' files and checkpoints as DuckDB does.
//
// Needs node and tools/validators/node_modules (tools/install-deps.sh).
// Without them the tests skip, except under CI, where they fail.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prometheus/store/internal/parquet_testing.h"
#include "prometheus/store/parquet.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::store {
namespace {

using internal::CanonicalDifference;
using internal::RunCommand;
using internal::ValidatorScript;
using nlohmann::json;
using prometheus::testing::RepoPath;
using prometheus::testing::TempDir;

class ValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string missing = internal::ValidatorsMissing();
    if (missing.empty()) return;
    if (std::getenv("CI") != nullptr) FAIL() << missing;
    GTEST_SKIP() << missing;
  }

  // Runs a validator script and parses its JSON output.
  static json Node(const std::string& script, std::vector<std::string> args) {
    args.insert(args.begin(), {"node", ValidatorScript(script)});
    const internal::CommandResult run = RunCommand(args);
    EXPECT_EQ(run.exit_code, 0) << run.err;
    json out = json::parse(run.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(out.is_discarded()) << run.out.substr(0, 500) << run.err;
    return out;
  }
};

class OurFilesTest : public ValidatorTest,
                     public ::testing::WithParamInterface<ParquetCodec> {};

TEST_P(OurFilesTest, ReadTheSameInDuckDbHyparquetAndParquetWasm) {
  TempDir dir;
  const Table table = internal::SampleTable(3000, 11);
  const std::string path = (dir.path() / "ours.parquet").string();
  ASSERT_TRUE(WriteParquet(path, table,
                           {.codec = GetParam(), .row_group_rows = 1100}));
  const json result = Node("read_parquet.mjs", {path});
  for (const char* reader : {"duckdb", "hyparquet", "parquet-wasm"}) {
    const json& rows = result.at(path).at(reader);
    ASSERT_FALSE(rows.contains("error")) << reader << ": " << rows.dump();
    EXPECT_EQ(CanonicalDifference(table, rows), "") << reader;
  }
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, OurFilesTest,
                         ::testing::Values(ParquetCodec::kUncompressed,
                                           ParquetCodec::kSnappy,
                                           ParquetCodec::kZstd));

TEST_F(ValidatorTest, OurMultiPageFilesReadTheSameInDuckDb) {
  TempDir dir;
  const Table table = internal::SampleTable(200000, 3);
  const std::string path = (dir.path() / "pages.parquet").string();
  ASSERT_TRUE(WriteParquet(path, table, {.codec = ParquetCodec::kZstd,
                                         .row_group_rows = 150000}));
  const json result = Node("read_parquet.mjs", {"--reader", "duckdb", path});
  EXPECT_EQ(CanonicalDifference(table, result.at(path).at("duckdb")), "");
}

class TheirFilesTest : public ValidatorTest,
                       public ::testing::WithParamInterface<const char*> {};

TEST_P(TheirFilesTest, ReadTheSameInOurReader) {
  TempDir dir;
  const std::string codec = GetParam();
  const json written =
      Node("write_parquet.mjs", {dir.path().string(), codec, "3000"});
  std::vector<std::string> writers;
  for (const json& file : written.at("files")) {
    const std::string writer = file.at("writer");
    writers.push_back(writer);
    auto table = ReadParquet(file.at("path").get<std::string>());
    ASSERT_TRUE(table) << writer << ": " << table.error().message;
    EXPECT_EQ(CanonicalDifference(*table, written), "") << writer;
  }
  // DuckDB (data page v1 and v2) and parquet-wasm (dictionary v1, and v2
  // with delta encodings) write every codec; hyparquet-writer has no zstd.
  std::vector<std::string> expected = {"duckdb", "duckdb-v2", "parquet-wasm",
                                       "parquet-wasm-v2"};
  if (codec != "zstd") expected.insert(expected.begin() + 2, "hyparquet");
  EXPECT_EQ(writers, expected) << written.at("errors").dump();
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, TheirFilesTest,
                         ::testing::Values("uncompressed", "snappy", "gzip",
                                           "zstd"));

// Every data file of the golden tables: where DuckDB sees only types we
// support, we must read the same values; otherwise our error must name
// the file and the column.
TEST_F(ValidatorTest, GoldenDataFilesReadAsDuckDbReadsThem) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(
           RepoPath("../shared/delta-golden"))) {
    const std::string path = entry.path().string();
    if (entry.path().extension() == ".parquet" &&
        path.find("_delta_log") == std::string::npos) {
      files.push_back(path);
    }
  }
  ASSERT_GT(files.size(), 50u);
  std::vector<std::string> args = {"--reader", "duckdb"};
  args.insert(args.end(), files.begin(), files.end());
  const json result = Node("read_parquet.mjs", args);
  int read = 0;
  int refused = 0;
  for (const std::string& file : files) {
    const json& duckdb = result.at(file).at("duckdb");
    ASSERT_FALSE(duckdb.contains("error")) << file << duckdb.dump();
    std::string unsupported;
    for (const json& column : duckdb.at("columns")) {
      const std::string type = column.at("type");
      if (type.starts_with("unsupported:") && unsupported.empty()) {
        unsupported = column.at("name");
      }
    }
    auto table = ReadParquet(file);
    if (unsupported.empty()) {
      ASSERT_TRUE(table) << table.error().message;
      EXPECT_EQ(CanonicalDifference(*table, duckdb), "") << file;
      ++read;
    } else {
      ASSERT_FALSE(table) << file << " has DuckDB type of " << unsupported;
      EXPECT_THAT(table.error().message,
                  ::testing::AllOf(::testing::HasSubstr(file),
                                   ::testing::HasSubstr("column '")));
      ++refused;
    }
  }
  EXPECT_GT(read, 40);
  EXPECT_GT(refused, 0);
}

// A DuckDB expression for a leaf without repeated ancestors:
// struct_extract(struct_extract("add", 'deletionVector'), 'offset').
std::string LeafExpression(const std::vector<std::string>& path) {
  std::string expression = "\"" + path[0] + "\"";
  for (size_t i = 1; i < path.size(); ++i) {
    expression = "struct_extract(" + expression + ", '" + path[i] + "')";
  }
  return expression;
}

// Checkpoints are nested: each leaf that is not inside a map or list must
// give, row by row, what DuckDB gives for the same struct path; map keys
// and list elements must come out in DuckDB's order.
TEST_F(ValidatorTest, CheckpointLeavesMatchDuckDb) {
  const std::string base = RepoPath("../shared/delta-golden/");
  for (const std::string relative :
       {"delta-io__delta/checkpoint/_delta_log/00000000000000000010.checkpoint.parquet",
        "delta-io__delta/multi-part-checkpoint/_delta_log/"
        "00000000000000000001.checkpoint.0000000001.0000000002.parquet",
        "delta-io__delta/multi-part-checkpoint/_delta_log/"
        "00000000000000000001.checkpoint.0000000002.0000000002.parquet",
        "delta-io__delta-rs/simple_table_with_checkpoint/_delta_log/"
        "00000000000000000010.checkpoint.parquet"}) {
    SCOPED_TRACE(relative);
    const std::string file = base + relative;
    auto leaves = ReadParquetLeaves(file);
    ASSERT_TRUE(leaves) << leaves.error().message;
    std::string select;
    std::vector<const LeafColumn*> flat;
    for (const LeafColumn& leaf : *leaves) {
      if (leaf.max_repetition_level != 0) continue;
      select += (select.empty() ? "" : ", ") + LeafExpression(leaf.path);
      flat.push_back(&leaf);
    }
    ASSERT_GT(flat.size(), 10u);
    const std::string from = " FROM read_parquet('" + file + "')";
    const json results = Node(
        "duckdb_query.mjs",
        {"SELECT " + select + from,
         "SELECT unnest(map_keys(struct_extract(\"add\", 'partitionValues')))" + from,
         "SELECT unnest(struct_extract(\"metaData\", 'partitionColumns'))" + from})
                             .at("results");
    const json& rows = results.at(0).at("rows");
    for (size_t c = 0; c < flat.size(); ++c) {
      const LeafColumn& leaf = *flat[c];
      ASSERT_EQ(leaf.definition_levels.size(), rows.size());
      size_t k = 0;
      for (size_t r = 0; r < rows.size(); ++r) {
        json want = nullptr;
        if (leaf.definition_levels[r] == leaf.max_definition_level) {
          Table one = MakeTable({{"v", leaf.type, true}});
          one.AddRow();
          switch (leaf.type) {
            case ColumnType::kDouble:
              one.SetDouble(0, 0, leaf.values.doubles[k++]);
              break;
            case ColumnType::kString:
              one.SetString(0, 0, leaf.values.strings[k++]);
              break;
            case ColumnType::kBoolean:
              one.SetBool(0, 0, leaf.values.ints[k++] != 0);
              break;
            default:
              one.SetInt(0, 0, leaf.values.ints[k++]);
          }
          want = internal::CanonicalCell(one, 0, 0);
        }
        EXPECT_EQ(rows[r].at(c), want) << internal::DottedPathForTest(leaf.path)
                                       << " row " << r;
      }
    }
    // Repeated leaves: every present value, in order.
    const std::vector<std::pair<std::vector<std::string>, size_t>> repeated = {
        {{"add", "partitionValues", "key_value", "key"}, 1},
        {{"metaData", "partitionColumns", "list", "element"}, 2}};
    for (const auto& [path, result] : repeated) {
      std::vector<json> want;
      for (const json& row : results.at(result).at("rows")) want.push_back(row[0]);
      std::vector<json> got;
      for (const LeafColumn& leaf : *leaves) {
        if (leaf.path != path) continue;
        for (const std::string& s : leaf.values.strings) got.push_back(s);
      }
      EXPECT_EQ(got, want) << path[0] << "." << path[1];
    }
  }
}

}  // namespace
}  // namespace prometheus::store

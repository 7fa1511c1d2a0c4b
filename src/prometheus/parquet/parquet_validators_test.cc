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

#include "prometheus/parquet/internal/parquet_testing.h"
#include "prometheus/parquet/parquet.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::parquet {
namespace {

using internal::CanonicalDifference;
using internal::RunCommand;
using internal::ValidatorScript;
using nlohmann::json;
using prometheus::testing::RepoPath;
using prometheus::testing::TempDir;

class ValidatorTest : public ::testing::Test {
 public:
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
  ASSERT_TRUE(
      WriteParquet(path, table, {.codec = GetParam(), .row_group_rows = 1100}));
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
  ASSERT_TRUE(WriteParquet(
      path, table, {.codec = ParquetCodec::kZstd, .row_group_rows = 150000}));
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
  // with delta encodings) write every codec; hyparquet-writer only
  // uncompressed, snappy and gzip.
  std::vector<std::string> expected = {"duckdb", "duckdb-v2", "parquet-wasm",
                                       "parquet-wasm-v2"};
  if (codec != "zstd" && codec != "lz4_raw") {
    expected.insert(expected.begin() + 2, "hyparquet");
  }
  EXPECT_EQ(writers, expected) << written.at("errors").dump();
}

INSTANTIATE_TEST_SUITE_P(AllCodecs, TheirFilesTest,
                         ::testing::Values("uncompressed", "snappy", "gzip",
                                           "zstd", "lz4_raw"));

// The other types ReadParquet maps onto ColumnType, as DuckDB writes them:
// TINYINT/SMALLINT (INT_8/INT_16), UINTEGER (UINT_32, read as int64), DATE
// (days), FLOAT, timestamps in millis and nanos and without UTC adjustment.
TEST_F(ValidatorTest, ReadsTheOtherSupportedTypesAsDuckDbDoes) {
  TempDir dir;
  const std::string file = (dir.path() / "types.parquet").string();
  const json made = Node(
      "duckdb_query.mjs",
      {"COPY (SELECT (i - 50)::TINYINT AS i8, (i * 300 - 9000)::SMALLINT AS "
       "i16, (i * 40000000)::UINTEGER AS u32, DATE '1969-12-01' + i::INTEGER "
       "AS day, (i / 7)::FLOAT AS f, (TIMESTAMP '2024-02-29 23:59:59.123' + "
       "INTERVAL (i) SECOND)::TIMESTAMP_MS AS ms, make_timestamp_ns(i * 1001 "
       "- 1) AS ns, TIMESTAMP '2000-01-01 00:00:00.000001' + INTERVAL (i) HOUR "
       "AS local, CASE WHEN i % 4 = 0 THEN NULL ELSE 'v' || i END AS s FROM "
       "range(100) t(i)) TO '" +
       file + "' (FORMAT parquet)"});
  ASSERT_FALSE(made.at("results").at(0).contains("error")) << made.dump();
  auto table = ReadParquet(file);
  ASSERT_TRUE(table) << table.error().message;
  const json duckdb = Node("read_parquet.mjs", {"--reader", "duckdb", file})
                          .at(file)
                          .at("duckdb");
  EXPECT_EQ(CanonicalDifference(*table, duckdb), "");
  EXPECT_EQ(table->schema[2].type, ColumnType::kInt64);  // UINT_32
  EXPECT_EQ(table->schema[3].type, ColumnType::kInt32);  // DATE
  EXPECT_EQ(table->Get(3, 0), Value(int64_t{-31}));
  EXPECT_EQ(table->schema[6].type, ColumnType::kTimestamp);
  // 1969-12-31 23:59:59.999999999 rounds down to ...999999 micros.
  EXPECT_EQ(table->Get(6, 0), Value(int64_t{-1}));

  // DECIMAL, BLOB, UBIGINT, TIME and lists are refused by name.
  for (const auto& [column, sql] :
       std::vector<std::pair<std::string, std::string>>{
           {"dec", "1.5::DECIMAL(10,2) AS dec"},
           {"blob", "'\\x01'::BLOB AS blob"},
           {"big", "1::UBIGINT AS big"},
           {"t", "TIME '01:02:03' AS t"},
           {"list.list.element", "[1, 2] AS list"}}) {
    const std::string bad = (dir.path() / (column + ".parquet")).string();
    Node("duckdb_query.mjs", {"COPY (SELECT 1 AS ok, " + sql + ") TO '" + bad +
                              "' (FORMAT parquet)"});
    auto refused = ReadParquet(bad);
    ASSERT_FALSE(refused) << column;
    EXPECT_THAT(refused.error().message,
                ::testing::AllOf(::testing::HasSubstr(bad),
                                 ::testing::HasSubstr("'" + column + "'")));
  }
}

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

// The canonical cell of value `k` of a leaf.
json LeafCell(const LeafColumn& leaf, size_t k) {
  Table one = MakeTable({{"v", leaf.type, true}});
  one.AddRow();
  switch (leaf.type) {
    case ColumnType::kDouble:
      one.SetDouble(0, 0, leaf.values.doubles.at(k));
      break;
    case ColumnType::kString:
      one.SetString(0, 0, leaf.values.strings.at(k));
      break;
    case ColumnType::kBoolean:
      one.SetBool(0, 0, leaf.values.ints.at(k) != 0);
      break;
    default:
      one.SetInt(0, 0, leaf.values.ints.at(k));
  }
  return internal::CanonicalCell(one, 0, 0);
}

std::string Dotted(const std::vector<std::string>& path) {
  std::string text;
  for (const std::string& part : path) text += (text.empty() ? "" : ".") + part;
  return text;
}

// Compares the leaves of a nested file with DuckDB: each leaf outside any
// map or list row by row (null where its definition level is below the
// maximum); each leaf in `repeated` (dotted path -> SQL selecting its
// values flattened, in order) value by value. Returns the leaves.
std::vector<LeafColumn> CompareLeaves(
    const std::string& file,
    const std::vector<std::pair<std::string, std::string>>& repeated) {
  auto leaves = ReadParquetLeaves(file);
  EXPECT_TRUE(leaves) << leaves.error().message;
  if (!leaves) return {};
  std::string select;
  std::vector<const LeafColumn*> flat;
  for (const LeafColumn& leaf : *leaves) {
    if (leaf.max_repetition_level != 0) continue;
    select += (select.empty() ? "" : ", ") + LeafExpression(leaf.path);
    flat.push_back(&leaf);
  }
  std::vector<std::string> queries = {"SELECT " + select +
                                      " FROM read_parquet('" + file + "')"};
  for (const auto& [path, sql] : repeated) queries.push_back(sql);
  const json results =
      ValidatorTest::Node("duckdb_query.mjs", queries).at("results");
  const json& rows = results.at(0).at("rows");
  for (size_t c = 0; c < flat.size(); ++c) {
    const LeafColumn& leaf = *flat[c];
    EXPECT_EQ(leaf.definition_levels.size(), rows.size()) << Dotted(leaf.path);
    size_t k = 0;
    for (size_t r = 0; r < rows.size() && r < leaf.definition_levels.size();
         ++r) {
      const json want = leaf.definition_levels[r] == leaf.max_definition_level
                            ? LeafCell(leaf, k++)
                            : json(nullptr);
      EXPECT_EQ(rows[r].at(c), want) << Dotted(leaf.path) << " row " << r;
    }
  }
  for (size_t q = 0; q < repeated.size(); ++q) {
    const json& result = results.at(q + 1);
    EXPECT_FALSE(result.contains("error")) << result.dump();
    if (result.contains("error")) continue;
    std::vector<json> want;
    for (const json& row : result.at("rows")) {
      if (!row[0].is_null()) want.push_back(row[0]);
    }
    std::vector<json> got;
    bool found = false;
    for (const LeafColumn& leaf : *leaves) {
      if (Dotted(leaf.path) != repeated[q].first) continue;
      found = true;
      const size_t n = leaf.values.valid.size();
      for (size_t k = 0; k < n; ++k) got.push_back(LeafCell(leaf, k));
    }
    EXPECT_TRUE(found) << repeated[q].first;
    EXPECT_EQ(got, want) << repeated[q].first;
  }
  return std::move(*leaves);
}

// Checkpoints are nested Parquet (structs, maps, lists), written by Spark
// and delta-rs.
TEST_F(ValidatorTest, CheckpointLeavesMatchDuckDb) {
  const std::string base = RepoPath("../shared/delta-golden/");
  for (const std::string relative :
       {"delta-io__delta/checkpoint/_delta_log/"
        "00000000000000000010.checkpoint.parquet",
        "delta-io__delta/multi-part-checkpoint/_delta_log/"
        "00000000000000000001.checkpoint.0000000001.0000000002.parquet",
        "delta-io__delta/multi-part-checkpoint/_delta_log/"
        "00000000000000000001.checkpoint.0000000002.0000000002.parquet",
        "delta-io__delta-rs/simple_table_with_checkpoint/_delta_log/"
        "00000000000000000010.checkpoint.parquet",
        "delta-io__delta-rs/latest_not_checkpointed/_delta_log/"
        "00000000000000000002.checkpoint.parquet"}) {
    SCOPED_TRACE(relative);
    const std::string file = base + relative;
    const std::string from = " FROM read_parquet('" + file + "')";
    const std::vector<LeafColumn> leaves = CompareLeaves(
        file, {{"metaData.configuration.key_value.key",
                "SELECT unnest(map_keys(struct_extract(\"metaData\", "
                "'configuration')))" +
                    from},
               {"metaData.configuration.key_value.value",
                "SELECT unnest(map_values(struct_extract(\"metaData\", "
                "'configuration')))" +
                    from}});
    size_t paths = 0;
    for (const LeafColumn& leaf : leaves) {
      if (Dotted(leaf.path) == "add.path") paths = leaf.values.strings.size();
    }
    EXPECT_GT(paths, 0u);  // the comparison above covered real add actions
  }
}

// Maps, lists of nullable elements, empty lists and lists of lists, as
// DuckDB writes them, with the levels worked out by hand for a few rows.
TEST_F(ValidatorTest, NestedLeavesMatchDuckDb) {
  TempDir dir;
  const std::string file = (dir.path() / "nested.parquet").string();
  const std::string from = " FROM read_parquet('" + file + "')";
  const json made =
      Node("duckdb_query.mjs",
           {"COPY (SELECT i AS id, "
            "CASE WHEN i % 5 = 4 THEN NULL ELSE {'name': 'n' || i, 'tags': "
            "  CASE WHEN i % 3 = 2 THEN NULL ELSE map(['k' || i, 'x'], "
            "  ['v' || i, CASE WHEN i % 2 = 0 THEN NULL ELSE 'y' END]) END} "
            "END AS s, "
            "CASE WHEN i % 4 = 0 THEN NULL WHEN i % 4 = 1 THEN [] "
            "  ELSE [i, NULL, i * 2] END AS l, "
            "[[i], [], NULL] AS ll "
            "FROM range(60) t(i)) TO '" +
            file + "' (FORMAT parquet)"});
  ASSERT_FALSE(made.at("results").at(0).contains("error")) << made.dump();
  const std::vector<LeafColumn> leaves = CompareLeaves(
      file,
      {{"s.tags.key_value.key", "SELECT unnest(map_keys(s.tags))" + from},
       {"s.tags.key_value.value", "SELECT unnest(map_values(s.tags))" + from},
       {"l.list.element", "SELECT unnest(l)" + from},
       {"ll.list.element.list.element", "SELECT unnest(flatten(ll))" + from}});
  const LeafColumn* l = nullptr;
  for (const LeafColumn& leaf : leaves) {
    if (Dotted(leaf.path) == "l.list.element") l = &leaf;
  }
  ASSERT_NE(l, nullptr);
  // Row 0: null list; row 1: []; row 2: [2, NULL, 4]; row 3: [3, NULL, 6].
  EXPECT_EQ(l->max_definition_level, 3);
  EXPECT_EQ(l->max_repetition_level, 1);
  ASSERT_GE(l->definition_levels.size(), 8u);
  EXPECT_EQ(std::vector<int16_t>(l->definition_levels.begin(),
                                 l->definition_levels.begin() + 8),
            (std::vector<int16_t>{0, 1, 3, 2, 3, 3, 2, 3}));
  EXPECT_EQ(std::vector<int16_t>(l->repetition_levels.begin(),
                                 l->repetition_levels.begin() + 8),
            (std::vector<int16_t>{0, 0, 0, 1, 1, 0, 1, 1}));
}

}  // namespace
}  // namespace prometheus::parquet

// Bindings: which calls read a table or path, and how a DataFrame
// expression is traced back to its read through chains and assignments.
#include "prometheus/rewrite/bindings.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::Parsed;

ReadTarget Table(std::string table) {
  return ReadTarget{std::move(table), std::nullopt};
}
ReadTarget Path(std::string path) {
  return ReadTarget{std::nullopt, std::move(path)};
}

// The right side of the last statement of `text`, an assignment `x = <expr>`.
TSNode LastValue(const PythonSource& source) {
  uint32_t count = ts_node_named_child_count(source.root());
  TSNode statement = ts_node_named_child(source.root(), count - 1);
  return Field(ts_node_named_child(statement, 0), "right");
}

bool Reads(const std::string& text, const ReadTarget& target) {
  PythonSource source = Parsed(text);
  return TraceLineage(source, LastValue(source), target).reads_target;
}

TEST(Bindings, RecognisesReads) {
  EXPECT_TRUE(Reads("x = spark.table('dim')\n", Table("dim")));
  EXPECT_TRUE(Reads("x = spark.read.table('sales.dim')\n", Table("dim")));
  EXPECT_TRUE(
      Reads("x = spark.read.table('dim')\n", Table("spark_catalog.sales.DIM")));
  EXPECT_FALSE(
      Reads("x = spark.read.table('other.dim')\n", Table("sales.dim")));
  EXPECT_TRUE(Reads("x = spark.read.format('delta').load('/p')\n", Path("/p")));
  EXPECT_TRUE(Reads(
      "x = spark.read.option('mergeSchema', 'true').parquet('/p', '/q')\n",
      Path("/p")));
  EXPECT_FALSE(Reads("x = spark.read.parquet('/q')\n", Path("/p")));
  EXPECT_FALSE(Reads("x = spark.table('dim')\n", Path("dim")));
}

TEST(Bindings, RecognisesSqlThatReadsOneTable) {
  EXPECT_TRUE(Reads("x = spark.sql('SELECT k, v FROM dim WHERE active')\n",
                    Table("dim")));
  EXPECT_TRUE(
      Reads("x = spark.sql(\"\"\"\n  select k from `sales`.`Dim` d -- the "
            "dimension\n\"\"\")\n",
            Table("sales.dim")));
  EXPECT_TRUE(Reads("x = spark.sql('SELECT * FROM (SELECT k FROM dim) s')\n",
                    Table("dim")));
  EXPECT_FALSE(
      Reads("x = spark.sql('SELECT * FROM f JOIN dim ON f.k = dim.k')\n",
            Table("dim")));
  EXPECT_FALSE(
      Reads("x = spark.sql('SELECT * FROM dimension')\n", Table("dim")));
  EXPECT_FALSE(Reads("x = spark.sql(f'SELECT * FROM dim WHERE d = {d}')\n",
                     Table("dim")));
  EXPECT_FALSE(Reads("x = spark.sql('SELECT \\'x\\' FROM dim')\n",
                     Table("dim")));  // escapes: not plain
}

TEST(Bindings, TracesChainsAndAssignments) {
  EXPECT_TRUE(
      Reads("d = spark.table('dim')\nx = d.select('k', 'v').alias('c')\n",
            Table("dim")));
  EXPECT_TRUE(
      Reads("d = spark.table('dim')\nsmall = d\nx = (small  # why\n  "
            ".filter('v > 0'))\n",
            Table("dim")));
  EXPECT_TRUE(Reads("d = spark.table('dim')\nd = d.filter('v > 0')\nx = d\n",
                    Table("dim")));
  EXPECT_TRUE(Reads(
      "d = spark.table('dim')\nx = d.na.fill(0).stat.sampleBy('k', {}, 1)\n",
      Table("dim")));
  EXPECT_FALSE(Reads("x = spark.table('dim').columns\n", Table("dim")));
  // Another read, a join's argument or a function call end the chain.
  EXPECT_FALSE(
      Reads("d = spark.table('dim')\nx = f.join(d, 'k')\n", Table("dim")));
  EXPECT_FALSE(Reads("d = spark.table('dim')\nx = load(d)\n", Table("dim")));
  EXPECT_FALSE(Reads("x = spark.table('other').union(spark.table('dim'))\n",
                     Table("dim")));
  EXPECT_FALSE(Reads("a = b\nb = a\nx = b\n", Table("dim")));  // a cycle ends
}

TEST(Bindings, WrappersAreLookedThroughAndReported) {
  PythonSource source =
      Parsed("d = spark.table('dim').hint('broadcast')\nx = F.broadcast(d)\n");
  Lineage lineage =
      TraceLineage(source, LastValue(source), Table("dim"), {"F.broadcast"});
  EXPECT_TRUE(lineage.reads_target);
  std::vector<std::string_view> methods;
  for (TSNode call : lineage.calls)
    methods.push_back(source.Text(Field(call, "function")));
  EXPECT_EQ(methods,
            (std::vector<std::string_view>{
                "F.broadcast", "spark.table('dim').hint", "spark.table"}));
  EXPECT_FALSE(
      TraceLineage(source, LastValue(source), Table("dim")).reads_target);
}

TEST(Bindings, ReadsTargetAndBoundToTargetKeepTheirContracts) {
  PythonSource source = Parsed(
      "d = spark.sql('SELECT * FROM dim')\nsmall = d\nx = small.alias('s')\n");
  EXPECT_TRUE(BoundToTarget(source, LastValue(source), Table("dim")));
  EXPECT_FALSE(BoundToTarget(source, LastValue(source), Table("facts")));
  PythonSource inline_read = Parsed("x = f.join(spark.table('dim'), 'k')\n");
  EXPECT_TRUE(ReadsTarget(inline_read, LastValue(inline_read), Table("dim")));
}

}  // namespace
}  // namespace prometheus::rewrite

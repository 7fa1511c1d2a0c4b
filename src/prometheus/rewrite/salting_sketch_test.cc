// The salting sketch: real names from the join or groupBy at the call
// site, placeholders otherwise, and always code CPython parses.
#include "prometheus/rewrite/salting_sketch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::Corpus;
using testing::CPythonParses;
using testing::Parsed;

bool Has(const std::string& sketch, const std::string& part) {
  return sketch.find(part) != std::string::npos;
}

std::string Sketch(const std::string& text, SaltingTarget target) {
  PythonSource source = Parsed(text);
  std::string sketch = SaltingSketch(&source, target);
  EXPECT_TRUE(CPythonParses(sketch)) << sketch;
  return sketch;
}

TEST(SaltingSketch, AggregationUsesTheGroupByNamesAndTheFileAlias) {
  std::string corpus = Corpus("skewed_aggregation.py");
  // Any line of the multi-line chain: the receiver's, the groupBy's, .agg's.
  for (uint32_t line : {21u, 23u, 24u, 27u}) {
    std::string sketch = Sketch(corpus, {std::nullopt, 16, line});
    testing::ExpectGolden("skewed_aggregation.salting_aggregation.sketch.txt",
                          sketch);
  }
  std::string sketch = Sketch(corpus, {std::nullopt, 16, 23});
  EXPECT_TRUE(Has(sketch, "events.withColumn(\"_salt\", (fn.rand(seed=42)"));
  EXPECT_TRUE(
      Has(sketch, ".groupBy(\"customer_id\", \"currency\", \"_salt\")"));
  EXPECT_TRUE(Has(sketch, "fn.count(\"*\").alias(\"_p1\")"));
  EXPECT_TRUE(Has(sketch,
                  "spend = partial.groupBy(\"customer_id\", "
                  "\"currency\").agg("));
  EXPECT_TRUE(Has(sketch, "fn.sum(\"_p1\").alias(\"purchases\")"));
  EXPECT_TRUE(Has(sketch, "fn.max(\"_p2\").alias(\"last_purchase\")"));
  EXPECT_FALSE(Has(sketch, "import"));  // the file's `fn` alias is reused
  EXPECT_FALSE(Has(sketch, "WARNING"));
  // countDistinct cannot be split; the keys keep the file's quotes.
  std::string distinct = Sketch(corpus, {"day", 4, 36});
  EXPECT_TRUE(Has(distinct, "WARNING: fn.countDistinct(\"customer_id\")"));
  EXPECT_TRUE(Has(distinct, "daily = partial.groupby('day')"));
  EXPECT_TRUE(Has(distinct, "SALT_BUCKETS = 4\n"));
}

TEST(SaltingSketch, JoinUsesTheSidesKeyAndType) {
  std::string corpus = Corpus("skewed_aggregation.py");
  std::string sketch = Sketch(corpus, {std::nullopt, 8, 31});
  testing::ExpectGolden("skewed_aggregation.salting_join.sketch.txt", sketch);
  EXPECT_TRUE(Has(sketch,
                  "spend_salted = spend.withColumn(\"_salt\", "
                  "(fn.rand(seed=42) * SALT_BUCKETS).cast(\"int\"))"));
  EXPECT_TRUE(Has(sketch, "customers_exploded = customers.withColumn("));
  EXPECT_TRUE(Has(sketch,
                  "fn.explode(fn.array([fn.lit(i) for i in "
                  "range(SALT_BUCKETS)]))"));
  EXPECT_TRUE(Has(sketch, "by_region = spend_salted.join("));
  EXPECT_TRUE(Has(sketch, "on=[\"customer_id\", \"_salt\"],"));
  EXPECT_TRUE(Has(sketch, "how=\"left\","));
  EXPECT_TRUE(Has(sketch, ").drop(\"_salt\")"));
  EXPECT_TRUE(Has(sketch, "inner and left joins"));
}

TEST(SaltingSketch, MultiLineJoinWithAConditionAndTheFunctionsAlias) {
  std::string corpus = Corpus("daily_orders.py");
  for (uint32_t line : {33u, 35u}) {
    std::string sketch = Sketch(corpus, {"country_id", 16, line});
    testing::ExpectGolden("daily_orders.salting_join.sketch.txt", sketch);
    // The left side spans lines: a placeholder, said so.
    EXPECT_TRUE(Has(sketch, "# big: the left side of the join at line 33"));
    EXPECT_TRUE(Has(sketch, "small_exploded = small.alias(\"c\").withColumn("));
    EXPECT_TRUE(Has(sketch, "F.rand(seed=42)"));
    // The call's condition wins over the log's key.
    EXPECT_TRUE(Has(sketch,
                    "on=(F.col(\"o.country_id\") == F.col(\"c.country_id\")) "
                    "& (big_salted[\"_salt\"] == small_exploded[\"_salt\"])"));
  }
  // A condition that spans lines gives way to the log's key.
  std::string text =
      "x = a.join(\n    b,\n    (a.k == b.k)  # same key\n    & (a.d == "
      "b.d),\n)\n";
  EXPECT_TRUE(Has(Sketch(text, {"k", 16, 1}), "on=[\"k\", \"_salt\"]"));
  EXPECT_TRUE(
      Has(Sketch(text, {std::nullopt, 16, 1}), "# \"key\": the join column"));
}

TEST(SaltingSketch, WarnsOnJoinsWhoseResultsSaltingChanges) {
  std::string sketch =
      Sketch("big.join(small, 'k', 'full_outer')\n", {std::nullopt, 16, 1});
  EXPECT_TRUE(Has(sketch, "WARNING: this is a \"full_outer\" join"));
  EXPECT_TRUE(Has(sketch, "from pyspark.sql import functions as F\n"));
  EXPECT_TRUE(Has(sketch, "joined = big_salted.join("));
  EXPECT_FALSE(Has(
      Sketch("a.join(b, ['k', 'j'], how='left_semi')\n", {std::nullopt, 16, 1}),
      "WARNING"));
}

TEST(SaltingSketch, GroupedShortcuts) {
  std::string count = Sketch(
      "import pyspark.sql.functions as func\nn = df.groupBy(['a', "
      "'b']).count()\n",
      {std::nullopt, 16, 2});
  EXPECT_TRUE(Has(count, ".groupBy(*['a', 'b'], \"_salt\")"));
  EXPECT_TRUE(Has(count, "func.count(func.lit(1)).alias(\"_p0\")"));
  EXPECT_TRUE(Has(count, "func.sum(\"_p0\").alias(\"count\")"));
  std::string sums =
      Sketch("t = df.groupBy('k').sum('v', 'w')\n", {"k", 16, 1});
  EXPECT_TRUE(Has(sums, "F.sum('w').alias(\"_p1\")"));
  EXPECT_TRUE(Has(sums, "F.sum(\"_p1\").alias(\"sum(w)\")"));
  std::string mean = Sketch("t = df.groupBy('k').mean('v')\n", {"k", 16, 1});
  EXPECT_TRUE(Has(mean, "WARNING: .mean(...) cannot be split"));
}

TEST(SaltingSketch, GenericWithPlaceholders) {
  std::string generic = SaltingSketch(nullptr, {"user_id", 32, 0});
  EXPECT_TRUE(CPythonParses(generic)) << generic;
  testing::ExpectGolden("salting_generic.sketch.txt", generic);
  EXPECT_TRUE(Has(generic, "the log names no call site"));
  EXPECT_TRUE(Has(generic, "from pyspark.sql import functions as F\n"));
  EXPECT_TRUE(Has(generic, "on=[\"user_id\", \"_salt\"]"));
  EXPECT_TRUE(Has(generic, ".groupBy(\"user_id\", \"_salt\")"));
  // No call site, but the file's alias is still used.
  std::string no_site =
      Sketch(Corpus("skewed_aggregation.py"), {std::nullopt, 16, 0});
  EXPECT_TRUE(Has(no_site, "the log names no call site"));
  EXPECT_TRUE(Has(no_site, "fn.rand(seed=42)"));
  EXPECT_FALSE(Has(no_site, "import"));
  // A line with a join and a groupBy is not guessed at.
  std::string both = Sketch("x = a.join(b, 'k').groupBy('k').count()\n",
                            {std::nullopt, 16, 1});
  EXPECT_TRUE(Has(both, "line 1 holds 2 joins and groupBys"));
  EXPECT_TRUE(Has(both, "on=[\"key\", \"_salt\"]"));
  std::string nothing = Sketch("x = 1\n", {std::nullopt, 16, 1});
  EXPECT_TRUE(Has(nothing, "line 1 holds 0 joins and groupBys"));
  EXPECT_TRUE(CPythonParses(SaltingSketch(nullptr, {std::nullopt, 1, 7})));
}

// Every line of every corpus file gives a sketch CPython parses.
TEST(SaltingSketch, EveryLineOfTheCorpus) {
  namespace fs = std::filesystem;
  std::set<std::string> sketches;
  fs::path dir = prometheus::testing::RepoPath("testdata/pyspark");
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".py") continue;
    PythonSource source = Parsed(testing::ReadBytes(entry.path().string()));
    auto lines = std::count(source.text().begin(), source.text().end(), '\n');
    for (uint32_t line = 0; line <= lines + 1; ++line) {
      sketches.insert(SaltingSketch(&source, {"k", 16, line}));
    }
  }
  std::string all;
  for (const auto& sketch : sketches) all += sketch + "\n";
  EXPECT_TRUE(CPythonParses(all)) << all;
  EXPECT_GT(sketches.size(), 10u);
}

}  // namespace
}  // namespace prometheus::rewrite

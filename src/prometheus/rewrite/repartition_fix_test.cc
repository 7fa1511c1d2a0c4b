// The repartition fix: finds the one wide operation at the call site
// (whatever line of a multi-line chain the log names), inserts
// `.repartition(n, key)` before it, and refuses what it cannot place.
#include "prometheus/rewrite/repartition_fix.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::ApplyAndCheck;
using testing::Corpus;
using testing::Parsed;

auto At(uint32_t line, int64_t partitions,
        std::optional<std::string> key = std::nullopt) {
  return [=](const PythonSource& source) {
    return PlanRepartitionFix(source, RepartitionTarget{partitions, key, line});
  };
}

std::string Reason(const std::string& text, RepartitionTarget target) {
  auto plan = PlanRepartitionFix(Parsed(text), target);
  EXPECT_FALSE(plan.has_value()) << "planned: " << (plan ? plan->note : "");
  return plan ? "" : plan.error().message;
}

std::string Fixed(const std::string& text, RepartitionTarget target) {
  return ApplyAndCheck(Parsed(text), [&](const PythonSource& source) {
    return PlanRepartitionFix(source, target);
  });
}

TEST(RepartitionFix, MultiLineAggregationFromAnyLineOfTheChain) {
  PythonSource source = Parsed(Corpus("skewed_aggregation.py"));
  // 21: where the expression starts (CPython 3.8/3.9); 23: the groupBy's
  // name; 24-27: the .agg call and its arguments (3.10+ reports the action).
  for (uint32_t line : {21u, 23u, 24u, 25u, 28u}) {
    std::string after = ApplyAndCheck(source, At(line, 64));
    testing::ExpectGolden(
        "skewed_aggregation.repartition.diff",
        UnifiedDiff("skewed_aggregation.py", source.text(), after));
  }
  auto plan = At(25, 64)(source);
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->note,
            "line 23: .repartition(64, \"customer_id\") inserted before "
            ".groupBy");
  // The statement's own line holds only the parenthesis, not the call.
  EXPECT_FALSE(At(20, 64)(source).has_value());
}

TEST(RepartitionFix, EveryWideOperationOfTheCorpus) {
  PythonSource source = Parsed(Corpus("skewed_aggregation.py"));
  std::vector<Edit> edits;
  // join (key given), groupby (quotes kept), write chain from its first and
  // last lines (partitionBy's column), writeTo, saveAsTable.
  for (auto [line, partitions, key] :
       std::vector<std::tuple<uint32_t, int64_t, std::optional<std::string>>>{
           {31, 32, "customer_id"},
           {36, 16, std::nullopt},
           {42, 12, std::nullopt},
           {45, 4, std::nullopt},
           {46, 8, std::nullopt}}) {
    ApplyAndCheck(source, At(line, partitions, key));
    auto plan = At(line, partitions, key)(source);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    edits.insert(edits.end(), plan->edits.begin(), plan->edits.end());
  }
  auto plan = At(39, 12)(source);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(plan->edits[0].start, edits[2].start);
  auto after = ApplyChecked(source, edits);
  ASSERT_TRUE(after.has_value()) << after.error().message;
  EXPECT_TRUE(testing::CPythonParses(*after));
  testing::ExpectGolden(
      "skewed_aggregation.repartition_all.diff",
      UnifiedDiff("skewed_aggregation.py", source.text(), *after));
}

TEST(RepartitionFix, LinesOfTheChainsInRefactorSection23) {
  std::string rows =
      "rows = (df            # line 1\n"
      "        .join(df)      # line 2\n"
      "        .groupBy(\"k\")  # line 3\n"
      "        .collect()     # line 4\n"
      "       )\n";
  // Line 1 holds the join and the groupBy; line 4 only the collect.
  EXPECT_NE(Reason(rows, {8, {}, 1}).find("join (line 2), .groupBy (line 3)"),
            std::string::npos);
  EXPECT_NE(Reason(rows, {8, {}, 4}).find("no wide operation"),
            std::string::npos);
  EXPECT_NE(Fixed(rows, {8, {}, 3})
                .find(".join(df).repartition(8, \"k\")      "
                      "# line 2\n        .groupBy(\"k\")"),
            std::string::npos);
  // The statement's line (CPython 3.8) and the count's line (3.10+).
  for (uint32_t line : {1u, 2u}) {
    EXPECT_EQ(Fixed("n = df.join(\n    other, 'k').count()\n", {8, {}, line}),
              "n = df.repartition(8).join(\n    other, 'k').count()\n");
  }
}

TEST(RepartitionFix, ShortForms) {
  EXPECT_EQ(
      Fixed("out = df.groupBy(\"k\").agg(F.sum(\"v\"))\n", {64, {}, 1}),
      "out = df.repartition(64, \"k\").groupBy(\"k\").agg(F.sum(\"v\"))\n");
  EXPECT_EQ(Fixed("df.write.mode(\"overwrite\").parquet(p)\n", {12, {}, 1}),
            "df.repartition(12).write.mode(\"overwrite\").parquet(p)\n");
  EXPECT_EQ(Fixed("n = df.dropDuplicates(['a', 'b']).count()", {8, {}, 1}),
            "n = df.repartition(8).dropDuplicates(['a', 'b']).count()");
  EXPECT_EQ(Fixed("x = (df  # keep\n  .distinct())\n", {8, "id", 2}),
            "x = (df.repartition(8, \"id\")  # keep\n  .distinct())\n");
  EXPECT_EQ(Fixed("c = spark.table('t').groupBy(F.col('a'), ['b']).count()\n",
                  {4, {}, 1}),
            "c = spark.table('t').repartition(4, 'b').groupBy(F.col('a'), "
            "['b']).count()\n");
  EXPECT_EQ(Fixed("r = df.groupBy('a').pivot('p').sum('v')\n", {4, {}, 1}),
            "r = df.repartition(4, 'a').groupBy('a').pivot('p').sum('v')\n");
}

TEST(RepartitionFix, Crlf) {
  EXPECT_EQ(
      Fixed("x = 1\r\n(df\r\n .groupBy('k')\r\n .count())\r\n", {8, {}, 4}),
      "x = 1\r\n(df.repartition(8, 'k')\r\n .groupBy('k')\r\n .count())\r\n");
}

TEST(RepartitionFix, AnExistingRepartitionIsKept) {
  for (std::string text : {"df.coalesce(1).write.csv(p)\n",
                           "df.repartition(8, 'k').groupBy('k').count()\n",
                           "df.repartitionByRange(8, 'k').distinct()\n"}) {
    auto plan = At(1, 64)(Parsed(text));
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    EXPECT_TRUE(plan->edits.empty()) << text;
    EXPECT_NE(plan->note.find("already follows"), std::string::npos);
  }
  auto plan = At(1, 64)(Parsed("df.coalesce(1).write.csv(p)\n"));
  EXPECT_EQ(plan->note, "line 1: .write already follows .coalesce(1) (line 1)");
  // Through the name's last assignment.
  plan =
      At(3, 64)(Parsed("df = (spark.table('t')\n      .repartition(200, 'k'))\n"
                       "out = df.groupBy('k').count()\n"));
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_TRUE(plan->edits.empty());
  EXPECT_EQ(plan->note,
            "line 3: .groupBy already follows .repartition(200, 'k') (line 2)");
  EXPECT_EQ(Fixed("df = df.repartition(8)\ndf = df.where('x')\ndf.distinct()\n",
                  {4, {}, 3}),
            "df = df.repartition(8)\ndf = df.where('x')\n"
            "df.repartition(4).distinct()\n");
}

TEST(RepartitionFix, RefusesWhatItCannotPlace) {
  std::string corpus = Corpus("skewed_aggregation.py");
  EXPECT_NE(Reason(corpus, {64, {}, 18}).find("no wide operation"),
            std::string::npos);
  // str.join is not a DataFrame join.
  EXPECT_NE(Reason(corpus, {64, {}, 47}).find("on line 47"), std::string::npos);
  std::string both = Reason(
      "events.groupBy('a').agg(F.sum('v')).write.parquet(p)\n", {8, {}, 1});
  EXPECT_NE(both.find("2 wide operations on line 1"), std::string::npos);
  EXPECT_NE(both.find("ambiguous"), std::string::npos);
  EXPECT_NE(Reason("a.join(b.distinct(), 'k')\n", {8, {}, 1}).find("ambiguous"),
            std::string::npos);
  EXPECT_NE(
      Reason("w = df.write.mode('append')\nw.saveAsTable('t')\n", {8, {}, 2})
          .find("receiver not found"),
      std::string::npos);
  EXPECT_NE(
      Reason("df.groupBy('k').count()\n", {0, {}, 1}).find("0 partitions"),
      std::string::npos);
  EXPECT_NE(
      Reason("df.groupBy('k').count()\n", {8, {}, 0}).find("no call-site"),
      std::string::npos);
  // An aggregation on a whole frame is not keyed.
  EXPECT_NE(Reason("t = df.agg(F.sum('v'))\n", {8, {}, 1}).find("no wide"),
            std::string::npos);
}

// Every line of every corpus file: a plan applies cleanly and is idempotent,
// and a refusal says why.
TEST(RepartitionFix, EveryLineOfTheCorpus) {
  namespace fs = std::filesystem;
  fs::path dir = prometheus::testing::RepoPath("testdata/pyspark");
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".py" ||
        entry.path().filename() == "broken.py") {
      continue;
    }
    PythonSource source = Parsed(testing::ReadBytes(entry.path().string()));
    auto lines = std::count(source.text().begin(), source.text().end(), '\n');
    for (uint32_t line = 1; line <= lines + 1; ++line) {
      auto plan = At(line, 8)(source);
      if (!plan) {
        EXPECT_FALSE(plan.error().message.empty());
        continue;
      }
      auto text = ApplyChecked(source, plan->edits);
      ASSERT_TRUE(text.has_value())
          << entry.path() << ":" << line << ": " << text.error().message;
      auto again = At(line, 8)(Parsed(*text));
      ASSERT_TRUE(again.has_value()) << entry.path() << ":" << line;
      EXPECT_TRUE(again->edits.empty()) << entry.path() << ":" << line;
    }
  }
}

}  // namespace
}  // namespace prometheus::rewrite

// The joins behind an action: followed back from the action's line through
// assignments, and the names a join condition spells.
#include "prometheus/rewrite/join_lineage.h"

#include <gtest/gtest.h>

#include "prometheus/rewrite/rewrite_testing.h"

namespace prometheus::rewrite {
namespace {

using testing::Parsed;

// The 1-based lines of the joins behind `line`, nearest first.
std::vector<uint32_t> Lines(const PythonSource& source, uint32_t line) {
  std::vector<uint32_t> lines;
  for (TSNode join : JoinsBehind(source, line))
    lines.push_back(ts_node_start_point(join).row + 1);
  return lines;
}

// The scenario's own shape (scenarios/missed_broadcast.py): the log's call
// site is the collect() three statements below the join.
constexpr const char* kJob =
    "from pyspark.sql import functions as F\n"                          // 1
    "facts = spark.range(10).select(F.col('id').alias('k'))\n"          // 2
    "products = spark.createDataFrame(rows)\n"                          // 3
    "joined = facts.join(products, 'k')\n"                              // 4
    "totals = joined.groupBy('c').agg(F.sum('a'))\n"                    // 5
    "print(sorted(totals.collect()))\n"                                 // 6
    "other = facts.join(spark.table('x'), 'k')\n"                       // 7
    "other.count()\n";                                                  // 8

TEST(JoinsBehind, FollowsTheActionBackThroughAssignments) {
  PythonSource source = Parsed(kJob);
  EXPECT_EQ(Lines(source, 6), std::vector<uint32_t>{4});
  EXPECT_EQ(Lines(source, 5), std::vector<uint32_t>{4});
  // The later join is behind its own action only.
  EXPECT_EQ(Lines(source, 8), std::vector<uint32_t>{7});
  // A line whose names lead to no join, and a line with no statement.
  EXPECT_TRUE(Lines(source, 2).empty());
  EXPECT_TRUE(Lines(source, 40).empty());
}

TEST(JoinsBehind, ARebindingIsFollowedToTheBindingBeforeIt) {
  PythonSource source = Parsed(
      "df = a.join(b, 'k')\n"
      "df = df.filter('x > 1')\n"
      "df = df.join(c, 'j')\n"
      "df.write.save('/out')\n");
  EXPECT_EQ(Lines(source, 4), (std::vector<uint32_t>{3, 1}));
  // Before the second join, only the first is behind.
  EXPECT_EQ(Lines(source, 2), std::vector<uint32_t>{1});
}

TEST(JoinsBehind, InsideAFunctionAndAMultiLineAction) {
  PythonSource source = Parsed(
      "def run(spark):\n"
      "    enriched = (orders\n"
      "                .join(users, on='uid'))\n"
      "    for day in days:\n"
      "        (enriched\n"
      "            .where(f'day = {day}')\n"
      "            .count())\n");
  // A call starts where its receiver does.
  EXPECT_EQ(Lines(source, 6), std::vector<uint32_t>{2});
  EXPECT_EQ(Lines(source, 7), std::vector<uint32_t>{2});
}

TEST(JoinConditionNames, StringsListsAndExpressions) {
  auto names = [](const std::string& call) {
    PythonSource source = Parsed(call + "\n");
    std::vector<TSNode> joins = JoinsBehind(source, 1);
    EXPECT_EQ(joins.size(), 1u) << call;
    return joins.empty() ? std::vector<std::string>{}
                         : JoinConditionNames(source, joins[0]);
  };
  using Names = std::vector<std::string>;
  EXPECT_EQ(names("a.join(b, 'k')"), Names{"k"});
  EXPECT_EQ(names("a.join(b, on=['k', 'j'], how='left')"), (Names{"k", "j"}));
  EXPECT_EQ(names("a.join(b, a.uid == b.id)"), (Names{"uid", "id"}));
  EXPECT_EQ(names("a.join(b, F.col('x') == b['y'])"), (Names{"x", "y"}));
  EXPECT_EQ(names("a.join(b)"), Names{});
  EXPECT_EQ(names("a.join(b, cond)"), Names{});
}

}  // namespace
}  // namespace prometheus::rewrite

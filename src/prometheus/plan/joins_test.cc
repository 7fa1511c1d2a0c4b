// Cross joins' compared row pairs, on hand-built plans shaped as Spark 3.5
// logs them (tests/spark/test_oracle.py checks a real one).
#include <gtest/gtest.h>

#include "prometheus/plan/plan_analysis.h"
#include "prometheus/plan/synthetic_plans_for_test.h"

namespace prometheus::plan {
namespace {

using testing::JoinApplication;
using testing::Node;

model::SqlMetric Rows(int64_t id, int64_t value) {
  return {"number of output rows", id, "sum", value};
}

// `name` over a streamed Project <- Range of 4000 rows and a broadcast
// side of 3000 rows, as open-source Spark logs it (no pair count).
model::Application CrossJoin(const std::string& name,
                             std::vector<model::SqlMetric> join_metrics = {}) {
  model::Application app = JoinApplication({});
  model::PlanNode range = Node("Range", "Range (0, 4000, step=1, splits=2)",
                               {Rows(500, 4000)});
  model::PlanNode streamed =
      Node("Project", "Project [(id#0L * 7) AS price#2L]", {}, {range});
  model::PlanNode built = Node(
      "Project", "Project [id#5L AS low#7L]", {},
      {Node("Range", "Range (0, 3000, step=1, splits=2)", {Rows(501, 3000)})});
  model::PlanNode broadcast =
      Node("BroadcastExchange", "BroadcastExchange IdentityBroadcastMode",
           {Rows(502, 3000), testing::Sized("data size", 503, 96000)}, {built});
  join_metrics.push_back(Rows(504, 12));
  app.sql_executions[0].plan =
      Node(name, name + " BuildRight, Inner, (price#2L >= low#7L)",
           join_metrics, {streamed, broadcast});
  return app;
}

TEST(CrossJoinPairs, ABroadcastNestedLoopJoinComparesTheProductOfItsSides) {
  PlanAnalysis analysis = AnalyzePlans(CrossJoin("BroadcastNestedLoopJoin"));
  ASSERT_EQ(analysis.joins.size(), 1u);
  const Join& join = analysis.joins[0];
  EXPECT_EQ(join.strategy, JoinStrategy::kBroadcastNestedLoop);
  EXPECT_EQ(join.left.rows, 4000);
  EXPECT_EQ(join.right.rows, 3000);
  EXPECT_EQ(join.cross_join_scanned_rows, 4000 * 3000);
}

TEST(CrossJoinPairs, TheLoggedCountWinsWhereTheRuntimeHasOne) {
  PlanAnalysis analysis = AnalyzePlans(CrossJoin(
      "BroadcastNestedLoopJoin", {{"Cross Join Scanned Rows", 505, "sum", 77}}));
  ASSERT_EQ(analysis.joins.size(), 1u);
  EXPECT_EQ(analysis.joins[0].cross_join_scanned_rows, 77);
}

TEST(CrossJoinPairs, NoProductForACartesianProductWhoseSidesRepeat) {
  PlanAnalysis analysis = AnalyzePlans(CrossJoin("CartesianProduct"));
  ASSERT_EQ(analysis.joins.size(), 1u);
  EXPECT_EQ(analysis.joins[0].cross_join_scanned_rows, std::nullopt);
}

}  // namespace
}  // namespace prometheus::plan

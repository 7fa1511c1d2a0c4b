// Which join side Spark can broadcast, by the join type as code spells it.
#include "prometheus/rewrite/join_type.h"

#include <gtest/gtest.h>

namespace prometheus::rewrite {
namespace {

using fix::JoinSide;

TEST(JoinTypeNamed, ReadsSparkSpellingsOfDataFramesAndSql) {
  EXPECT_EQ(JoinTypeNamed(""), JoinType::kInner);
  EXPECT_EQ(JoinTypeNamed("INNER"), JoinType::kInner);
  EXPECT_EQ(JoinTypeNamed("left"), JoinType::kLeftOuter);
  EXPECT_EQ(JoinTypeNamed("left_outer"), JoinType::kLeftOuter);
  EXPECT_EQ(JoinTypeNamed("LEFT OUTER"), JoinType::kLeftOuter);
  EXPECT_EQ(JoinTypeNamed("rightouter"), JoinType::kRightOuter);
  EXPECT_EQ(JoinTypeNamed("outer"), JoinType::kFullOuter);
  EXPECT_EQ(JoinTypeNamed("full"), JoinType::kFullOuter);
  EXPECT_EQ(JoinTypeNamed("semi"), JoinType::kLeftSemi);
  EXPECT_EQ(JoinTypeNamed("LEFT SEMI"), JoinType::kLeftSemi);
  EXPECT_EQ(JoinTypeNamed("left_anti"), JoinType::kLeftAnti);
  EXPECT_EQ(JoinTypeNamed("cross"), JoinType::kCross);
  EXPECT_EQ(JoinTypeNamed("sideways"), std::nullopt);
}

TEST(CanBroadcast, NeverThePreservedSide) {
  EXPECT_TRUE(CanBroadcast(JoinType::kInner, JoinSide::kLeft));
  EXPECT_TRUE(CanBroadcast(JoinType::kInner, JoinSide::kRight));
  EXPECT_FALSE(CanBroadcast(JoinType::kLeftOuter, JoinSide::kLeft));
  EXPECT_TRUE(CanBroadcast(JoinType::kLeftOuter, JoinSide::kRight));
  EXPECT_TRUE(CanBroadcast(JoinType::kRightOuter, JoinSide::kLeft));
  EXPECT_FALSE(CanBroadcast(JoinType::kRightOuter, JoinSide::kRight));
  EXPECT_FALSE(CanBroadcast(JoinType::kFullOuter, JoinSide::kLeft));
  EXPECT_FALSE(CanBroadcast(JoinType::kFullOuter, JoinSide::kRight));
  EXPECT_FALSE(CanBroadcast(JoinType::kLeftSemi, JoinSide::kLeft));
  EXPECT_TRUE(CanBroadcast(JoinType::kLeftSemi, JoinSide::kRight));
  EXPECT_FALSE(CanBroadcast(JoinType::kLeftAnti, JoinSide::kLeft));
  EXPECT_TRUE(CanBroadcast(JoinType::kLeftAnti, JoinSide::kRight));
}

}  // namespace
}  // namespace prometheus::rewrite

#include "prometheus/kpi/quantiles.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace prometheus::kpi {
namespace {

TEST(Quantiles, NearestRankWithoutInterpolationAsSparkDoes) {
  std::vector<uint32_t> even = {10, 20, 30, 40};
  EXPECT_EQ(NearestRankQuantile(even, 0.5), 30);  // upper middle
  EXPECT_EQ(NearestRankQuantile(even, 0.0), 10);
  EXPECT_EQ(NearestRankQuantile(even, 1.0), 40);
  EXPECT_EQ(NearestRankQuantile(even, 0.25), 20);
  EXPECT_EQ(NearestRankQuantile(even, 0.95), 40);
  auto summary = SummarizeDurations({5, 1, 3});
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(summary->min, 1);
  EXPECT_EQ(summary->p50, 3);
  EXPECT_EQ(summary->max, 5);
  EXPECT_FALSE(SummarizeDurations({}).has_value());
}


TEST(Quantiles, SummaryOfUnsortedDurations) {
  std::vector<uint32_t> durations(20);
  std::iota(durations.rbegin(), durations.rend(), 1u);  // 20, 19, ..., 1
  auto summary = SummarizeDurations(durations);
  ASSERT_TRUE(summary.has_value());
  // Index floor(q * 20) into 1..20.
  EXPECT_EQ(summary->min, 1);
  EXPECT_EQ(summary->p25, 6);
  EXPECT_EQ(summary->p50, 11);
  EXPECT_EQ(summary->p75, 16);
  EXPECT_EQ(summary->p95, 20);
  EXPECT_EQ(summary->max, 20);
}

TEST(Quantiles, TheRankIsComputedInDoublesAsSparkDoes) {
  std::vector<uint32_t> sorted(100);
  std::iota(sorted.begin(), sorted.end(), 0u);
  // 0.29 * 100 is 28.999999999999996 in doubles: rank 28, not 29.
  EXPECT_EQ(NearestRankQuantile(sorted, 0.29), 28);
  EXPECT_EQ(NearestRankQuantile(std::vector<uint32_t>{7}, 0.99), 7);
}

}  // namespace
}  // namespace prometheus::kpi

#include "prometheus/pipeline/recommend.h"

#include <gtest/gtest.h>

#include "prometheus/pipeline/pipeline_testing.h"
#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::pipeline {
namespace {

TEST(Recommend, EvaluatesEachStoredApplicationOnce) {
  prometheus::testing::TempDir tmp;
  RecommendRequest request;
  request.store = tmp.path() / "lake";
  ObserveInto(request.store);
  auto first = RecommendStored(request, nullptr);
  ASSERT_TRUE(first) << first.error().message;
  const Analyzed& analyzed = first->analyzed;
  EXPECT_EQ(analyzed.analyses.size(), 5u);
  EXPECT_EQ(analyzed.recommendations.size(), 5u);
  ASSERT_EQ(first->fingerprints.size(), 5u);
  for (const auto& fingerprint : first->fingerprints) EXPECT_FALSE(fingerprint.empty());
  auto stats = StoreRecommendations(request, *first);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->appended, 5);

  auto again = RecommendStored(request, nullptr);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->analyzed.analyses.empty());
  request.all = true;
  auto all = RecommendStored(request, nullptr);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->analyzed.analyses.size(), 5u);
}

TEST(Recommend, AnEmptyStoreIsNotFound) {
  prometheus::testing::TempDir tmp;
  RecommendRequest request;
  request.store = tmp.path() / "lake";
  auto recommended = RecommendStored(request, nullptr);
  ASSERT_FALSE(recommended);
  EXPECT_EQ(recommended.error().code, ErrorCode::kNotFound);
  EXPECT_NE(recommended.error().message.find("holds no applications yet"), std::string::npos);
}

TEST(Recommend, AGoneLogIsAWarningAndABadThresholdAnInvalidArgument) {
  prometheus::testing::TempDir tmp;
  std::filesystem::create_directories(tmp.path() / "logs");
  std::filesystem::copy_file(
      prometheus::testing::RepoPath("testdata/eventlogs/local-1422981780767"),
      tmp.path() / "logs" / "local-1422981780767");
  RecommendRequest request;
  request.store = tmp.path() / "lake";
  ObserveInto(request.store, tmp.path() / "logs");
  std::filesystem::remove_all(tmp.path() / "logs");

  auto recommended = RecommendStored(request, nullptr);
  ASSERT_TRUE(recommended) << recommended.error().message;
  EXPECT_TRUE(recommended->analyzed.analyses.empty());
  ASSERT_EQ(recommended->analyzed.warnings.size(), 1u);
  EXPECT_NE(recommended->analyzed.warnings[0].find("is no longer there"), std::string::npos);

  request.rules.thresholds = {"bad"};
  auto refused = RecommendStored(request, nullptr);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace prometheus::pipeline

namespace prometheus::pipeline {
namespace {

TEST(Recommend, ImpactGainsTheCostAtStakeWhereACostIsKnown) {
  lake::StoredApplication app;
  app.task_time_ms = 200'000;  // 200 s of task time
  std::vector<rules::Recommendation> recommendations(3);
  recommendations[0].impact_task_seconds = 50;
  recommendations[0].impact_basis = "spill time";
  recommendations[1].impact_task_seconds = 0;
  recommendations[2].impact_task_seconds = 500;  // more than the whole: capped
  AddCostAtStake(app, recommendations);
  EXPECT_EQ(recommendations[0].impact_basis, "spill time");  // no cost known: unchanged
  app.estimated_list_cost = 8.0;
  app.cost_currency = "USD";
  app.cost_basis = "billed: system.billing.usage of job run 7";
  AddCostAtStake(app, recommendations);
  EXPECT_EQ(recommendations[0].impact_basis,
            "spill time; cost at stake: 2.00 USD (25.0% of the application's task time, of its "
            "billed 8.00 USD)");
  EXPECT_EQ(recommendations[1].impact_basis, "");
  EXPECT_EQ(recommendations[2].impact_basis,
            "cost at stake: 8.00 USD (100.0% of the application's task time, of its billed 8.00 USD)");
}

}  // namespace
}  // namespace prometheus::pipeline

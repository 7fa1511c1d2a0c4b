#include "prometheus/kpi/cost_estimate.h"

#include <gtest/gtest.h>

#include "prometheus/testing/analyze.h"
#include "prometheus/testing/paths.h"

namespace prometheus::kpi {
namespace {

PriceTable Builtin() {
  auto table = ParsePriceTable(BuiltinPriceTableJson(), "built-in");
  EXPECT_TRUE(table) << table.error().message;
  return *table;
}

TEST(CostEstimate, APhotonClusterFromItsLogsPropertiesAndTheShippedTable) {
  // A real Databricks 13.3 Photon log: 2 x m6gd.2xlarge workers, an
  // m6gd.xlarge driver, an all-purpose cluster.
  kpi::Analysis analysis =
      testing::AnalyzeLog(testing::RepoPath("testdata/photon/nds_q88_photon_db_13_3.zstd"));
  const auto& app = analysis.log.application;
  // The log has no end (so no duration): half an hour, say.
  EXPECT_FALSE(EstimateCost(app, analysis.application.duration_ms, Builtin()));
  PriceTable prices = Builtin();
  auto estimate = EstimateCost(app, 1'800'000, prices);
  ASSERT_TRUE(estimate);
  double hours = 0.5;
  double dbus = (0.69 + 2 * 1.37) * 2.9 * hours;
  EXPECT_NEAR(estimate->dbus, dbus, 1e-9);
  EXPECT_NEAR(estimate->list_cost, dbus * 0.55, 1e-9);
  EXPECT_EQ(estimate->currency, "USD");
  EXPECT_TRUE(estimate->basis.starts_with("estimate: 2 x m6gd.2xlarge worker(s) + m6gd.xlarge driver"))
      << estimate->basis;
  EXPECT_NE(estimate->basis.find("Photon x2.9, all-purpose compute at 0.55 USD/DBU (price table: built-in)"),
            std::string::npos) << estimate->basis;

  // A table of one's own wins, and a node type it lacks is said.
  auto own = ParsePriceTable(R"({"currency":"EUR","usd_per_dbu":{"ALL_PURPOSE":1},"dbu_per_hour":{"m6gd.xlarge":1,"m6gd.2xlarge":2}})",
                             "mine.json");
  ASSERT_TRUE(own);
  auto mine = EstimateCost(app, 3'600'000, *own);
  ASSERT_TRUE(mine);
  EXPECT_DOUBLE_EQ(mine->dbus, 5.0);  // photon multiplier absent: 1
  EXPECT_EQ(mine->currency, "EUR");
  own->dbu_per_hour.erase("m6gd.2xlarge");
  std::string why;
  EXPECT_FALSE(EstimateCost(app, 3'600'000, *own, &why));
  EXPECT_EQ(why, "node type m6gd.2xlarge is not in the price table (mine.json)");
}

TEST(CostEstimate, NoEstimateForALocalLogOrABadTable) {
  kpi::Analysis analysis = testing::AnalyzeLog(testing::RepoPath("testdata/eventlogs/local-1422981780767"));
  std::string why;
  EXPECT_FALSE(EstimateCost(analysis.log.application, 1000, Builtin(), &why));
  EXPECT_EQ(why, "not a Databricks cluster's log");
  auto bad = ParsePriceTable(R"({"currency":"USD"})", "bad.json");
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().message.starts_with("bad.json: expected currency")) << bad.error().message;
}

}  // namespace
}  // namespace prometheus::kpi

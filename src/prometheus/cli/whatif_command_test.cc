// `prometheus whatif` on a real log: the JSON curve and its answers, the text
// table, the price column, and bad arguments.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

using testing::RunPrometheus;

const std::string kSparkPi = testing::SharedEventLog(
    std::string(testing::kSparkEvents) + "application_1536831636016_59384_1");

TEST(WhatIfCommand, JsonHoldsTheCurveTheAnswersAndTheCost) {
  auto run = RunPrometheus({"whatif", "--format", "json", "--core-hour-price", "2",
                            "--max-executors", "6", kSparkPi});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  nlohmann::json doc = testing::StdoutJson(run);
  ASSERT_EQ(doc["applications"].size(), 1u);
  const auto& app = doc["applications"][0];
  EXPECT_EQ(app["app_id"], "application_1536831636016_59384");
  EXPECT_EQ(app["observed"]["executors"], 2);
  EXPECT_EQ(app["observed"]["cores_per_executor"], 4);
  EXPECT_EQ(app["tasks"], 100);
  ASSERT_EQ(app["curve"].size(), 6u);
  int64_t previous = INT64_MAX;
  for (const auto& point : app["curve"]) {
    EXPECT_LE(point["wall_ms"].get<int64_t>(), previous);  // more cores never slower here
    previous = point["wall_ms"];
    EXPECT_DOUBLE_EQ(point["cost"].get<double>(), 2 * point["core_hours"].get<double>());
    EXPECT_DOUBLE_EQ(point["core_hours"].get<double>(),
                     point["executors"].get<double>() * 4 * point["wall_ms"].get<double>() / 3.6e6);
  }
  // One executor is more than 10% slower than two (the observed size).
  EXPECT_GT(app["curve"][0]["wall_ms"].get<double>(), 1.1 * app["model_wall_ms"].get<double>());
  EXPECT_EQ(app["smallest_within"]["executors"], 2);
  EXPECT_LE(app["knee"]["wall_ms"].get<double>(), 1.05 * app["curve"][5]["wall_ms"].get<double>());
}

TEST(WhatIfCommand, TextMarksTheObservedTheSmallestAndTheKnee) {
  auto run = RunPrometheus({"whatif", "--max-slowdown", "20", kSparkPi});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("Spark Pi (application_1536831636016_59384)"), std::string::npos);
  EXPECT_NE(run.out.find(" observed"), std::string::npos) << run.out;
  // 20% allows one executor (+14%).
  EXPECT_NE(run.out.find("smallest within 20% slowdown: 1 executor × 4 cores"), std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("knee"), std::string::npos);
  EXPECT_EQ(run.out.find("cost"), std::string::npos);  // no price, no cost
}

TEST(WhatIfCommand, BadArgumentsExitWithTwo) {
  EXPECT_EQ(RunPrometheus({"whatif", "/no/such/log"}).exit_code, 2);
  EXPECT_EQ(RunPrometheus({"whatif", "--core-hour-price", "-1", kSparkPi}).exit_code, 2);
  EXPECT_EQ(RunPrometheus({"whatif", "--max-slowdown", "ten", kSparkPi}).exit_code, 2);
}

}  // namespace
}  // namespace prometheus::cli

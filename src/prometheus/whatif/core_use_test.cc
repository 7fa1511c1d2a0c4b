// Cores alive and busy over time on a hand-built application.
#include "prometheus/whatif/core_use.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace prometheus::whatif {
namespace {

using ::testing::ElementsAre;

model::Application TwoExecutorsOneStage() {
  model::Application app;
  app.start_time = 1000;
  app.executors["driver"] = {"driver", "h", 0, 1000, {}, ""};
  app.executors["1"] = {"1", "a", 4, 1000, {}, ""};
  app.executors["2"] = {"2", "b", 4, 1100, 1500, "idle"};
  model::StageAttempt stage;
  stage.first_launch_time = 1200;
  stage.last_finish_time = 1400;
  stage.successful_task_durations_ms = {200, 200, 100};  // 500 ms over 200: 2.5 cores
  stage.unsuccessful_task_durations_ms = {100};          // 3 cores in all
  app.stages[{0, 0}] = stage;
  return app;
}

TEST(CoreUseOf, CoresAliveStepWithExecutorsAndBusyWithStages) {
  CoreUse use = CoreUseOf(TwoExecutorsOneStage());
  EXPECT_THAT(use.t_ms, ElementsAre(0, 100, 200, 400, 500));
  EXPECT_THAT(use.cores_alive, ElementsAre(4, 8, 8, 8, 4));
  EXPECT_THAT(use.cores_busy, ElementsAre(0.0, 0.0, 3.0, 0.0, 0.0));
}

TEST(CoreUseOf, ManyChangesAreSampledEvenly) {
  CoreUse use = CoreUseOf(TwoExecutorsOneStage(), 3);
  EXPECT_THAT(use.t_ms, ElementsAre(0, 250, 500));
  EXPECT_THAT(use.cores_alive, ElementsAre(4, 8, 4));
  EXPECT_THAT(use.cores_busy, ElementsAre(0.0, 3.0, 0.0));
}

TEST(CoreUseOf, NothingKnownGivesNothing) {
  EXPECT_TRUE(CoreUseOf(model::Application{}).t_ms.empty());
}

}  // namespace
}  // namespace prometheus::whatif

// The list scheduler on schedules small enough to work out by hand.
#include "prometheus/whatif/schedule.h"

#include <gtest/gtest.h>

#include <vector>

namespace prometheus::whatif {
namespace {

TEST(ScheduleMs, OneStageTakesTheCoreThatFreesFirst) {
  std::vector<StageWork> stages = {{0, {}, {4, 3, 2, 1}}};
  // Two cores: 4 | 3, then 2 on the core free at 3 (ends 5), 1 on the core
  // free at 4 (ends 5).
  EXPECT_EQ(ScheduleMs(stages, 2), 5);
  EXPECT_EQ(ScheduleMs(stages, 1), 10);
  EXPECT_EQ(ScheduleMs(stages, 3), 4);  // 4 | 3 | 2, then 1 at 2 (2-3)
  EXPECT_EQ(ScheduleMs(stages, 64), 4);
}

TEST(ScheduleMs, TasksKeepTheirStagesOrderNotTheLongestFirst) {
  // In order 1, 1, 4 on two cores: 1 | 1, then 4 at 1: ends 5. The longest
  // first would end at 4; the model replays Spark's order instead.
  std::vector<StageWork> stages = {{0, {}, {1, 1, 4}}};
  EXPECT_EQ(ScheduleMs(stages, 2), 5);
}

TEST(ScheduleMs, AStageWaitsForItsParentsAndReadyStagesGoFirst) {
  std::vector<StageWork> stages = {
      {2, {0}, {3, 3, 3}},
      {0, {}, {5, 5}},
      {1, {}, {2}},
  };
  // Two cores. Stages 0 and 1 are ready at 0; 0 goes first (lower id):
  // cores free at 5, 5. Stage 1 (ready at 0) before stage 2 (ready at 5):
  // its task runs 5-7. Stage 2: 5-8, 7-10, 8-11.
  EXPECT_EQ(ScheduleMs(stages, 2), 11);
  // Four cores: stage 0 on two (0-5), stage 1 on a third (0-2); stage 2's
  // three tasks start at 5 on any core: ends 8.
  EXPECT_EQ(ScheduleMs(stages, 4), 8);
}

TEST(ScheduleMs, AParentThatIsNotAmongTheStagesCountsAsDone) {
  // Stage 7's parent 3 was skipped (or ran in an earlier group).
  std::vector<StageWork> stages = {{7, {3}, {10, 10}}};
  EXPECT_EQ(ScheduleMs(stages, 2), 10);
}

TEST(ScheduleMs, ASiblingWaitsOnlyForItsOwnParent) {
  // 0 → 2 and 1 → 3; on two cores 0 and 1 run side by side, then 2 and 3.
  std::vector<StageWork> stages = {
      {0, {}, {6}}, {1, {}, {2}}, {2, {0}, {1}}, {3, {1}, {3}}};
  // Ready: 0 and 1 at 0 → cores free at 6, 2. Ready then: 3 at 2, 2 at 6.
  // Stage 3 takes the core free at 2 (2-5); stage 2 the core free at 5
  // (6-7). Ends 7.
  EXPECT_EQ(ScheduleMs(stages, 2), 7);
}

TEST(ScheduleMs, ACycleIsBrokenAndEveryTaskStillRuns) {
  std::vector<StageWork> stages = {{0, {1}, {2}}, {1, {0}, {3}}};
  EXPECT_EQ(ScheduleMs(stages, 1), 5);
}

TEST(ScheduleMs, ThousandsOfStagesInOneGroup) {
  // 5000 independent one-task stages of 10 ms on 10 cores: 500 waves.
  std::vector<StageWork> wide;
  for (int64_t id = 0; id < 5000; ++id) wide.push_back({id, {}, {10}});
  EXPECT_EQ(ScheduleMs(wide, 10), 5000);
  // A chain of 3000 stages, each waiting for the one before (listed last
  // first): one after another whatever the cores.
  std::vector<StageWork> chain;
  for (int64_t id = 2999; id >= 0; --id) {
    chain.push_back({id, id > 0 ? std::vector<int64_t>{id - 1} : std::vector<int64_t>{}, {7, 3}});
  }
  EXPECT_EQ(ScheduleMs(chain, 64), 3000 * 7);
}

TEST(ScheduleMs, NoTasksTakeNoTime) {
  std::vector<StageWork> none;
  EXPECT_EQ(ScheduleMs(none, 4), 0);
  std::vector<StageWork> empty_stage = {{0, {}, {}}};
  EXPECT_EQ(ScheduleMs(empty_stage, 0), 0);
}

}  // namespace
}  // namespace prometheus::whatif

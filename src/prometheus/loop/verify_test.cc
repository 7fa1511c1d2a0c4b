#include "prometheus/loop/verify.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "prometheus/testing/temp_dir.h"

namespace prometheus::loop {
namespace {

lake::StoredApplication JobRun(int64_t start, int64_t duration_ms,
                            std::optional<std::string> commit = std::nullopt) {
  lake::StoredApplication app;
  app.app_id = "app-" + std::to_string(start);
  app.start_time.value = start;
  app.duration_ms = duration_ms;
  app.task_time_ms = duration_ms * 2;
  app.status = "complete";
  app.git_commit = std::move(commit);
  return app;
}

std::vector<const lake::StoredApplication*> Pointers(const std::vector<lake::StoredApplication>& runs) {
  std::vector<const lake::StoredApplication*> out;
  for (const auto& run : runs) out.push_back(&run);
  return out;
}

TEST(Compare, NeedsMinRunsOnEachSide) {
  std::vector<lake::StoredApplication> runs = {JobRun(1, 100'000), JobRun(2, 101'000), JobRun(3, 99'000),
                                               JobRun(10, 50'000), JobRun(11, 50'000)};
  Comparison c = Compare(Pointers(runs), 10, "", nullptr, 3, 10);
  EXPECT_EQ(c.verdict, Verdict::kNotEnoughRuns);
  EXPECT_EQ(c.runs_before, 3u);
  EXPECT_EQ(c.runs_after, 2u);
  EXPECT_EQ(c.how, "by time");
  EXPECT_EQ(Compare(Pointers(runs), 10, "", nullptr, 2, 10).verdict, Verdict::kImproved);
}

TEST(Compare, TheNoiseBandComesFromTheRunsSpread) {
  // Before: 100 s +- a few; after: 108 s. With tight runs that is worse;
  // with runs spread by +-10% it is within the noise.
  std::vector<lake::StoredApplication> tight = {JobRun(1, 100'000), JobRun(2, 101'000), JobRun(3, 99'000),
                                                JobRun(10, 108'000), JobRun(11, 108'500), JobRun(12, 107'500)};
  Comparison worse = Compare(Pointers(tight), 10, "", nullptr, 3, 10);
  EXPECT_EQ(worse.verdict, Verdict::kWorse);
  EXPECT_NEAR(worse.deltas[0].Change(), 0.08, 1e-9);
  EXPECT_NEAR(worse.deltas[0].band, 0.05, 1e-9);  // the floor
  std::vector<lake::StoredApplication> loose = {JobRun(1, 90'000), JobRun(2, 100'000), JobRun(3, 110'000),
                                                JobRun(10, 108'000), JobRun(11, 98'000), JobRun(12, 118'000)};
  Comparison noise = Compare(Pointers(loose), 10, "", nullptr, 3, 10);
  EXPECT_EQ(noise.verdict, Verdict::kWithinNoise);
  EXPECT_GT(noise.deltas[0].band, 0.2);
  // Only the latest max_runs of the before side count.
  std::vector<lake::StoredApplication> many = {JobRun(1, 500'000), JobRun(2, 100'000), JobRun(3, 100'000),
                                               JobRun(4, 100'000), JobRun(10, 100'000), JobRun(11, 100'000),
                                               JobRun(12, 100'000)};
  Comparison latest = Compare(Pointers(many), 10, "", nullptr, 3, 3);
  EXPECT_EQ(latest.runs_before, 3u);
  EXPECT_EQ(latest.verdict, Verdict::kWithinNoise);
}

Delta Moved(std::string name, double change, double band = 0.05) {
  Delta d;
  d.name = std::move(name);
  d.before = 100;
  d.after = 100 * (1 + change);
  d.band = band;
  return d;
}

TEST(Compare, LessWorkWithTheWallTimeInItsNoiseIsAnImprovementAndMixedSignalsAreNoVerdict) {
  // The missed broadcast fixed, on a shared machine: the wall time moves
  // within its noise, the task time and the shuffle fall.
  EXPECT_EQ(VerdictOf({Moved("duration", 0.06, 0.09), Moved("task time", -0.18, 0.09),
                       Moved("spill", 0), Moved("shuffle", -0.999)}),
            Verdict::kImproved);
  // Slower beyond the noise while the work fell: mixed, no revert.
  EXPECT_EQ(VerdictOf({Moved("duration", 0.2), Moved("task time", -0.18), Moved("spill", 0),
                       Moved("shuffle", 0)}),
            Verdict::kWithinNoise);
  // Faster and cheaper: improved, whatever the shuffle did.
  EXPECT_EQ(VerdictOf({Moved("duration", -0.2), Moved("task time", -0.2), Moved("spill", 0),
                       Moved("shuffle", 0.5)}),
            Verdict::kImproved);
  // Slower and dearer though the shuffle is gone (the fix merged with a
  // harmful change): worse.
  EXPECT_EQ(VerdictOf({Moved("duration", 0.7, 0.09), Moved("task time", 0.72, 0.09), Moved("spill", 0),
                       Moved("shuffle", -1.0)}),
            Verdict::kWorse);
  // Time and cost within the noise: the spill and shuffle decide.
  EXPECT_EQ(VerdictOf({Moved("duration", 0.01), Moved("task time", -0.01), Moved("spill", -0.5),
                       Moved("shuffle", 0)}),
            Verdict::kImproved);
  EXPECT_EQ(VerdictOf({Moved("duration", 0.01), Moved("task time", -0.01), Moved("spill", -0.5),
                       Moved("shuffle", 0.5)}),
            Verdict::kWithinNoise);
  // More work alone is no reason to revert.
  EXPECT_EQ(VerdictOf({Moved("duration", 0.01), Moved("task time", 0.3), Moved("spill", 0),
                       Moved("shuffle", 0)}),
            Verdict::kWithinNoise);
  // Slower with more work: worse; faster with less: improved.
  EXPECT_EQ(VerdictOf({Moved("duration", 1.35), Moved("task time", 3.0), Moved("spill", 0),
                       Moved("shuffle", 0.02)}),
            Verdict::kWorse);
  EXPECT_EQ(VerdictOf({Moved("duration", -0.3), Moved("task time", -0.3), Moved("spill", 0),
                       Moved("shuffle", 0)}),
            Verdict::kImproved);
}

TEST(Compare, RunsWithACommitArePlacedByIt) {
  prometheus::testing::TempDir tmp;
  std::string dir = tmp.path().string();
  std::string setup = "cd " + dir + " && git init -q -b main . && git -c user.name=a -c user.email=a@x "
                      "commit -q --allow-empty -m one && git -c user.name=a -c user.email=a@x commit "
                      "-q --allow-empty -m two";
  ASSERT_EQ(std::system(setup.c_str()), 0);
  auto repo = git::Repository::Open(dir);
  ASSERT_TRUE(repo);
  std::string one = *repo->Resolve("HEAD~1"), two = *repo->Resolve("HEAD");
  // Started after the merge time but on the old commit: before. Started
  // "before" it (clock skew) but on the merge: after.
  std::vector<lake::StoredApplication> runs = {JobRun(100, 10'000, one), JobRun(101, 10'000, one),
                                               JobRun(5, 5'000, two), JobRun(6, 5'000, two)};
  Comparison c = Compare(Pointers(runs), 50, two, &*repo, 2, 10);
  EXPECT_EQ(c.how, "by commit");
  EXPECT_EQ(c.runs_before, 2u);
  EXPECT_EQ(c.runs_after, 2u);
  EXPECT_EQ(c.verdict, Verdict::kImproved);
}

}  // namespace
}  // namespace prometheus::loop

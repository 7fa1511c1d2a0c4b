#include "prometheus/pipeline/load_logs.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::pipeline {
namespace {

const std::string kSampleLogs = prometheus::testing::RepoPath("testdata/eventlogs");

// Counts what the pipeline reports, from every loading thread.
class RecordingProgress final : public Progress {
 public:
  void Begin(uint64_t total_bytes) override {
    ++begins;
    total = total_bytes;
  }
  void Advance(uint64_t bytes) override {
    EXPECT_EQ(begins.load(), 1);
    EXPECT_EQ(ends.load(), 0);
    advanced += bytes;
  }
  void End() override { ++ends; }

  std::atomic<int> begins{0}, ends{0};
  std::atomic<uint64_t> total{0}, advanced{0};
};

TEST(FindLogs, FindsEveryLogOfAFolder) {
  auto found = FindLogs({kSampleLogs});
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_EQ(found->inputs.size(), 5u);
  EXPECT_TRUE(found->skipped.empty());
}

TEST(FindLogs, ASourceWithNoLogIsNotFoundWhateverTheReason) {
  prometheus::testing::TempDir tmp;
  auto missing = FindLogs({tmp.path() / "no-such-log"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("no-such-log"), std::string::npos);
  auto empty = FindLogs({tmp.Write("empty", "")});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, ErrorCode::kNotFound);
}

TEST(LoadLogs, KeepsInputOrderOnAnyNumberOfThreadsAndReportsEveryByte) {
  auto found = FindLogs({kSampleLogs});
  ASSERT_TRUE(found);
  const auto* inputs = &found->inputs;
  uint64_t total = 0;
  for (const auto& input : *inputs) total += input.total_bytes();
  for (int threads : {1, 4}) {
    RecordingProgress progress;
    auto loaded = LoadLogs(*inputs, threads, &progress);
    ASSERT_EQ(loaded.size(), inputs->size());
    for (size_t i = 0; i < loaded.size(); ++i) {
      ASSERT_TRUE(loaded[i]) << loaded[i].error().message;
      EXPECT_EQ(loaded[i]->input.name, (*inputs)[i].name);
    }
    EXPECT_EQ(progress.begins, 1);
    EXPECT_EQ(progress.ends, 1);
    EXPECT_EQ(progress.total, total);
    EXPECT_EQ(progress.advanced, total);
  }
  EXPECT_EQ(LoadLogs(*inputs, 2, nullptr).size(), inputs->size());
}

TEST(AnalyzeLoaded, KeepsTheFirstOfARepeatedAttemptAndWarnsOfTheRest) {
  auto found = FindLogs({kSampleLogs + "/local-1422981780767"});
  ASSERT_TRUE(found);
  std::vector<io::EventLogInput> twice = {found->inputs.front(), found->inputs.front()};
  Analyzed analyzed = AnalyzeLoaded(LoadLogs(twice, 1, nullptr), 1234);
  ASSERT_EQ(analyzed.analyses.size(), 1u);
  EXPECT_TRUE(analyzed.recommendations.empty());
  ASSERT_EQ(analyzed.warnings.size(), 1u);
  EXPECT_NE(analyzed.warnings[0].find("application local-1422981780767 attempt - was "
                                      "already read from"),
            std::string::npos)
      << analyzed.warnings[0];
  ASSERT_FALSE(analyzed.analyses[0].stages.empty());
  EXPECT_EQ(analyzed.analyses[0].stages[0].collected_at, 1234);
}

TEST(AnalyzeLoaded, ALogThatFailedToLoadIsAWarning) {
  std::vector<Result<model::LoadedLog>> loaded;
  loaded.push_back(Fail(ErrorCode::kCorrupt, "x.log: no Spark events"));
  Analyzed analyzed = AnalyzeLoaded(std::move(loaded), 0);
  EXPECT_TRUE(analyzed.analyses.empty());
  EXPECT_EQ(analyzed.warnings, std::vector<std::string>{"x.log: no Spark events"});
}

TEST(NowMs, AFixedTimeWinsOverTheClock) {
  EXPECT_EQ(NowMs(42), 42);
  EXPECT_GT(NowMs(), 1'600'000'000'000);
}

}  // namespace
}  // namespace prometheus::pipeline

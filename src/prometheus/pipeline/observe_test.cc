#include "prometheus/pipeline/observe.h"

#include <gtest/gtest.h>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::pipeline {
namespace {

const std::string kSampleLogs = prometheus::testing::RepoPath("testdata/eventlogs");

ObserveRequest Request(const std::filesystem::path& store) {
  ObserveRequest request;
  request.sources = {kSampleLogs};
  request.store = store;
  request.threads = 2;
  request.now_ms = 1'700'000'000'000;
  return request;
}

TEST(Observe, StoresNewLogsOnceAndSkipsUnchangedOnes) {
  prometheus::testing::TempDir tmp;
  ObserveRequest request = Request(tmp.path() / "lake");
  auto first = CollectNewLogs(request, nullptr);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->logs_found, 5);
  EXPECT_EQ(first->logs_unchanged, 0);
  EXPECT_EQ(first->logs_analysed, 5);
  EXPECT_EQ(first->applications_read, 5);
  EXPECT_EQ(first->analyses.size(), 5u);
  EXPECT_EQ(first->fingerprints.size(), 5u);
  EXPECT_FALSE(first->NothingReadable());
  auto stats = StoreBatch(request.store, *first);
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->appended, 5);

  auto again = CollectNewLogs(request, nullptr);
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->logs_unchanged, 5);
  EXPECT_EQ(again->logs_analysed, 0);
  EXPECT_TRUE(again->analyses.empty());
  EXPECT_FALSE(again->NothingReadable());
}

TEST(Observe, SinceKeepsOnlyApplicationsStartedWithinIt) {
  prometheus::testing::TempDir tmp;
  ObserveRequest request = Request(tmp.path() / "lake");
  request.since_ms = 86'400'000;  // the sample logs are from 2015-2021
  auto batch = CollectNewLogs(request, nullptr);
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_EQ(batch->applications_read, 5);
  EXPECT_EQ(batch->applications_before_since, 5);
  EXPECT_TRUE(batch->analyses.empty());
}

TEST(Observe, UnreadableLogsAreNothingReadable) {
  prometheus::testing::TempDir tmp;
  ObserveRequest request = Request(tmp.path() / "lake");
  request.sources = {tmp.Write("logs/eventlog", "not json\n")};
  auto batch = CollectNewLogs(request, nullptr);
  ASSERT_TRUE(batch) << batch.error().message;
  EXPECT_TRUE(batch->NothingReadable());
  ASSERT_EQ(batch->warnings.size(), 1u);
  EXPECT_NE(batch->warnings[0].find("no Spark events"), std::string::npos);
}

TEST(Observe, ALakeThatCannotBeReadIsAnIoFailure) {
  prometheus::testing::TempDir tmp;
  tmp.Write("lake/prometheus_metrics/_delta_log/00000000000000000000.json", "{\"add\":{\"pa");
  auto batch = CollectNewLogs(Request(tmp.path() / "lake"), nullptr);
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kIo);
  EXPECT_NE(batch.error().message.find("00000000000000000000.json"), std::string::npos)
      << batch.error().message;
}

TEST(Observe, AMissingSourceIsNotFound) {
  prometheus::testing::TempDir tmp;
  ObserveRequest request = Request(tmp.path() / "lake");
  request.sources = {tmp.path() / "nothing-here"};
  auto batch = CollectNewLogs(request, nullptr);
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace prometheus::pipeline

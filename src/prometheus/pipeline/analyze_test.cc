#include "prometheus/pipeline/analyze.h"

#include <gtest/gtest.h>

#include <sstream>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::pipeline {
namespace {

const std::string kSampleLogs = prometheus::testing::RepoPath("testdata/eventlogs");

TEST(Analyze, EveryApplicationWithItsRecommendations) {
  AnalyzeRequest request;
  request.sources = {kSampleLogs};
  request.threads = 2;
  request.collected_at_ms = 77;
  auto analyzed = Analyze(request, nullptr);
  ASSERT_TRUE(analyzed) << analyzed.error().message;
  EXPECT_EQ(analyzed->analyses.size(), 5u);
  ASSERT_EQ(analyzed->recommendations.size(), analyzed->analyses.size());
  size_t found = 0;
  for (const auto& list : analyzed->recommendations) found += list.size();
  EXPECT_GT(found, 0u);
  for (const auto& analysis : analyzed->analyses) {
    for (const auto& stage : analysis.stages) EXPECT_EQ(stage.collected_at, 77);
  }
}

TEST(Analyze, NothingReadableIsNotFoundWithEachLogsReason) {
  prometheus::testing::TempDir tmp;
  tmp.Write("logs/a/eventlog", "not json\n");
  tmp.Write("logs/b/eventlog", "{\"x\": 1}\n");
  AnalyzeRequest request;
  request.sources = {tmp.path() / "logs/a/eventlog", tmp.path() / "logs/b/eventlog"};
  auto analyzed = Analyze(request, nullptr);
  ASSERT_FALSE(analyzed);
  EXPECT_EQ(analyzed.error().code, ErrorCode::kNotFound);
  std::vector<std::string> lines;
  std::istringstream message(analyzed.error().message);
  for (std::string line; std::getline(message, line);) lines.push_back(line);
  ASSERT_EQ(lines.size(), 3u) << analyzed.error().message;
  EXPECT_NE(lines[0].find("a/eventlog: no Spark events"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("b/eventlog: no Spark events"), std::string::npos) << lines[1];
  EXPECT_EQ(lines[2], "no readable event log");
}

TEST(Analyze, AMissingSourceIsNotFound) {
  AnalyzeRequest request;
  request.sources = {"no/such/path"};
  auto analyzed = Analyze(request, nullptr);
  ASSERT_FALSE(analyzed);
  EXPECT_EQ(analyzed.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(analyzed.error().message, "no/such/path: no such file or directory");
}

TEST(Analyze, ABadThresholdIsAnInvalidArgument) {
  AnalyzeRequest request;
  request.sources = {kSampleLogs + "/local-1422981780767"};
  request.rules.thresholds = {"nonsense"};
  auto analyzed = Analyze(request, nullptr);
  ASSERT_FALSE(analyzed);
  EXPECT_EQ(analyzed.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(analyzed.error().message.find("--threshold nonsense"), std::string::npos);
}

}  // namespace
}  // namespace prometheus::pipeline

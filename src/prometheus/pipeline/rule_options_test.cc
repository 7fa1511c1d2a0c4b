#include "prometheus/pipeline/rule_options.h"

#include <gtest/gtest.h>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::pipeline {
namespace {

TEST(EngineOptionsFrom, CarriesFoldersAndDisabledRules) {
  const std::string folder = testing::RepoPath("rules");
  auto options = EngineOptionsFrom({{folder}, {"app_gc", "failures"}, {}});
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->rule_folders, std::vector<std::filesystem::path>{folder});
  EXPECT_EQ(options->disabled, (std::set<std::string>{"app_gc", "failures"}));
}

TEST(EngineOptionsFrom, AFolderThatIsNotThereIsAnInvalidArgumentNamingIt) {
  auto options = EngineOptionsFrom({{"my-rules"}, {}, {}});
  ASSERT_FALSE(options);
  EXPECT_EQ(options.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(options.error().message,
            "--rules my-rules: no such folder: expected a folder of rule files (*.toml)");
}

TEST(EngineOptionsFrom, ABadThresholdIsAnInvalidArgumentNamingIt) {
  for (const char* bad : {"no_equals_sign", "app_gc.ratio=many"}) {
    auto options = EngineOptionsFrom({{}, {}, {bad}});
    ASSERT_FALSE(options) << bad;
    EXPECT_EQ(options.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(options.error().message.find(bad), std::string::npos) << options.error().message;
  }
}

TEST(RunRules, OneListPerAnalysisAndBrokenRuleFilesAsWarnings) {
  prometheus::testing::TempDir tmp;
  tmp.Write("rules/broken.toml", "id = \n");
  auto found = FindLogs({prometheus::testing::RepoPath("testdata/eventlogs")});
  ASSERT_TRUE(found);
  Analyzed analyzed = AnalyzeLoaded(LoadLogs(found->inputs, 2, nullptr), 0);
  size_t before = analyzed.warnings.size();
  ASSERT_TRUE(RunRules({{(tmp.path() / "rules").string()}, {}, {}}, analyzed));
  EXPECT_EQ(analyzed.recommendations.size(), analyzed.analyses.size());
  ASSERT_GT(analyzed.warnings.size(), before);
  EXPECT_NE(analyzed.warnings[before].find("broken.toml"), std::string::npos)
      << analyzed.warnings[before];
}

TEST(RunRules, ABadThresholdChangesNothing) {
  Analyzed analyzed;
  analyzed.warnings = {"kept"};
  EXPECT_FALSE(RunRules({{}, {}, {"x"}}, analyzed));
  EXPECT_EQ(analyzed.warnings, std::vector<std::string>{"kept"});
  EXPECT_TRUE(analyzed.recommendations.empty());
}

}  // namespace
}  // namespace prometheus::pipeline

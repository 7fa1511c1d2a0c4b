// What the commands say about arguments that cannot be right, and the small
// things a user should be told (issue 10's list): refused with a short
// message (exit 2), or warned about where a typo changes nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::RepoPath;
using testing::RunPrometheus;

const std::string kLogs = RepoPath("testdata/eventlogs");

TEST(Arguments, CountsMustBeWholeNumbersOfZeroOrMore) {
  testing::TempDir tmp;
  const std::string store = (tmp.path() / "lake").string();
  // Each run's bad value comes right after its option.
  const std::vector<std::vector<std::string>> runs = {
      {"analyze", "--threads", "abc", kLogs},   {"analyze", "--threads", "-1", kLogs},
      {"analyze", "--top", "-1", kLogs},        {"analyze", "--threads", "2.5", kLogs},
      {"observe", "--threads", "-1", "--source", kLogs, "--store", store},
      {"recommend", "--threads", "-1", "--store", store},
      {"show", "--limit", "-5", "prometheus_metrics", "--store", store},
  };
  for (const auto& args : runs) {
    auto run = RunPrometheus(args);
    EXPECT_EQ(run.exit_code, 2) << args[0] << " " << args[1] << " " << args[2];
    EXPECT_THAT(run.err, HasSubstr(args[1] + ": expected a whole number of 0 or more, not '" +
                                   args[2] + "'"));
    EXPECT_LT(run.err.size(), 400u) << run.err;  // no 309-digit bound
  }
}

TEST(Arguments, AMissingRulesFolderIsRefused) {
  auto run = RunPrometheus({"analyze", "--rules", "/nonexistent", kLogs});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("--rules /nonexistent: no such folder"));
}

TEST(Arguments, DisablingARuleThatDoesNotExistIsAWarning) {
  auto run = RunPrometheus({"analyze", "--no-progress", "--color", "never", "--disable",
                            "no_such_rule", "--disable", "skew_time", kLogs});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out + run.err,
              HasSubstr("--disable no_such_rule: no rule has this id (the rules are "));
  EXPECT_THAT(run.out + run.err, Not(HasSubstr("--disable skew_time")));
}

TEST(Arguments, AFixKindOrApplicationThatNothingHasIsAWarning) {
  const std::string demo = RepoPath("testdata/fix-demo/recommendations.json");
  const std::string repo = RepoPath("testdata/pyspark");
  auto kind = RunPrometheus({"fix", "--recommendations", demo, "--repo", repo, "--kind",
                             "nonsense", "--kind", "cache"});
  EXPECT_EQ(kind.exit_code, 0) << kind.err;
  EXPECT_THAT(kind.err, HasSubstr("warning: --kind nonsense: no recommendation has this kind "
                                  "(kinds here: broadcast_hint, cache, repartition, salting)"));
  EXPECT_THAT(kind.err, Not(HasSubstr("--kind cache")));
  auto app = RunPrometheus({"fix", "--recommendations", RepoPath("testdata/fix-demo/recommendations.json"),
                            "--repo", repo, "--app", "nosuch"});
  EXPECT_EQ(app.exit_code, 0) << app.err;
  EXPECT_THAT(app.err, HasSubstr("warning: --app nosuch: no recommendation is for this application"));
}

TEST(Arguments, TheMissingTableSaysWhichCommandMakesIt) {
  testing::TempDir tmp;
  const std::string store = (tmp.path() / "lake").string();
  ASSERT_EQ(RunPrometheus({"observe", "--no-progress", "--source", kLogs, "--store", store})
                .exit_code,
            0);
  auto run = RunPrometheus({"show", "prometheus_recommendations", "--store", store});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("holds no table yet: run `prometheus recommend --store " +
                                 store + "` first"));
  auto metrics = RunPrometheus({"show", "prometheus_metrics", "--store", store + "-new"});
  EXPECT_THAT(metrics.err, HasSubstr("run `prometheus observe --source LOGS --store"));
}

TEST(Arguments, RecommendCountsTheApplicationsWhoseLogsAreGone) {
  testing::TempDir tmp;
  const fs::path logs = tmp.path() / "logs";
  fs::create_directories(logs);
  fs::copy_file(RepoPath("testdata/eventlogs/local-1422981780767"), logs / "local-1422981780767");
  const std::string store = (tmp.path() / "lake").string();
  ASSERT_EQ(RunPrometheus({"observe", "--no-progress", "--source", logs.string(), "--store",
                           store})
                .exit_code,
            0);
  fs::remove(logs / "local-1422981780767");
  auto run = RunPrometheus({"recommend", "--no-progress", "--store", store});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("the log of application local-1422981780767 is no longer there"));
  EXPECT_THAT(run.err, Not(HasSubstr("local-1422981780767#")));
  EXPECT_THAT(run.out, HasSubstr("1 application attempt(s) not evaluated: their logs are no "
                                 "longer where observe found them"));
}

TEST(Arguments, ObserveWarnsOfCorruptLinesAsAnalyzeReportsThem) {
  testing::TempDir tmp;
  const std::string log = testing::SharedEventLog(
      "NVIDIA__spark-rapids-tools/core/src/test/resources/spark-events-profiling/"
      "malformed_json_eventlog.zstd");
  auto run = RunPrometheus({"observe", "--no-progress", "--source", log, "--store",
                            (tmp.path() / "lake").string()});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr(log + ":4: 1 corrupt line(s) in this log, counted and skipped"));
}

TEST(Arguments, ARerunThroughAnotherPathCountsTheApplicationsAsStored) {
  testing::TempDir tmp;
  const std::string store = (tmp.path() / "lake").string();
  fs::create_directory_symlink(kLogs, tmp.path() / "same-logs");
  ASSERT_EQ(RunPrometheus({"observe", "--no-progress", "--source", kLogs, "--store", store})
                .exit_code,
            0);
  auto again = RunPrometheus({"observe", "--no-progress", "--format", "json", "--source",
                              (tmp.path() / "same-logs").string(), "--store", store});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto doc = testing::StdoutJson(again);
  EXPECT_EQ(doc["applications_appended"], 0);
  EXPECT_EQ(doc["applications_already_stored"], doc["logs_analysed"]) << again.out;
  EXPECT_GT(doc["logs_analysed"].get<int>(), 0);
}

TEST(Arguments, HelpTextsAreWhole) {
  auto recommend = RunPrometheus({"recommend", "--help"});
  EXPECT_THAT(recommend.out, HasSubstr("replacing its stored recommendations"));
  EXPECT_THAT(recommend.out, HasSubstr("--no-progress"));
  auto observe = RunPrometheus({"observe", "--help"});
  EXPECT_THAT(observe.out, HasSubstr("--threads INT:N>=0=0"));
}

}  // namespace
}  // namespace prometheus::cli

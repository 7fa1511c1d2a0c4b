#include "prometheus/cli/exit_codes.h"

#include <gtest/gtest.h>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"

namespace prometheus::cli {
namespace {

using testing::RunPrometheus;
using testing::TempDir;

TEST(ExitCode, BadInputIsTwoAndFailuresAreOne) {
  EXPECT_EQ(ExitCode(ErrorCode::kInvalidArgument), 2);
  EXPECT_EQ(ExitCode(ErrorCode::kNotFound), 2);
  EXPECT_EQ(ExitCode(ErrorCode::kCorrupt), 2);
  EXPECT_EQ(ExitCode(ErrorCode::kIo), 1);
  EXPECT_EQ(ExitCode(ErrorCode::kConflict), 1);
  EXPECT_EQ(ExitCode(ErrorCode::kUnavailable), 1);
  EXPECT_EQ(ExitCode(ErrorCode::kInternal), 1);
}

TEST(ExitWith, ReturnsTheCodesExitCode) {
  EXPECT_EQ(ExitWith({ErrorCode::kNotFound, "gone"}), 2);
  EXPECT_EQ(ExitWith({ErrorCode::kIo, "disk full"}), 1);
}

// The same broken lake is the store failing (1) for the commands that keep
// it, and unreadable input (2) for `fix`, which only reads recommendations
// from it; each message names the broken file.
TEST(ExitCode, ALakeThatCannotBeReadByCommand) {
  TempDir tmp;
  std::string store = (tmp.path() / "lake").string();
  ASSERT_EQ(RunPrometheus({"observe", "--no-progress", "--source",
                           testing::RepoPath("testdata/eventlogs/local-1422981780767"),
                           "--store", store})
                .exit_code,
            0);
  ASSERT_EQ(RunPrometheus({"recommend", "--store", store}).exit_code, 0);
  for (const char* table :
       {"prometheus_applications", "prometheus_metrics", "prometheus_recommendations"}) {
    tmp.Write(std::string("lake/") + table + "/_delta_log/00000000000000000001.json", "{\"a");
  }
  struct Case {
    std::vector<std::string> argv;
    int exit_code;
  };
  for (const auto& [argv, exit_code] : std::vector<Case>{
           {{"observe", "--no-progress", "--source", testing::RepoPath("testdata/eventlogs"),
             "--store", store},
            1},
           {{"recommend", "--store", store}, 1},
           {{"show", "prometheus_metrics", "--store", store}, 1},
           {{"fix", "--store", store, "--repo", testing::RepoPath("testdata/pyspark")}, 2}}) {
    auto run = RunPrometheus(argv);
    EXPECT_EQ(run.exit_code, exit_code) << argv[0] << ": " << run.err;
    EXPECT_NE(run.err.find("00000000000000000001.json"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.rfind("prometheus: ", 0), 0u) << run.err;
  }
}

TEST(ExitCode, BadArgumentsAreTwo) {
  TempDir tmp;
  std::string logs = testing::RepoPath("testdata/eventlogs/local-1422981780767");
  EXPECT_EQ(RunPrometheus({"analyze", "--threshold", "nonsense", logs}).exit_code, 2);
  EXPECT_EQ(RunPrometheus({"analyze", "--no-such-flag", logs}).exit_code, 2);
  EXPECT_EQ(RunPrometheus({"analyze", (tmp.path() / "missing").string()}).exit_code, 2);
  EXPECT_EQ(RunPrometheus({"show", "prometheus_metrics", "--store",
                           (tmp.path() / "none").string()})
                .exit_code,
            2);
}

}  // namespace
}  // namespace prometheus::cli

// Output that cannot be written is a failure: every command, its stdout on a
// full device, exits 1 and says why instead of reporting success.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::cli {
namespace {

using ::testing::HasSubstr;
using testing::RepoPath;

testing::ProcessResult RunIntoFullDevice(const std::vector<std::string>& args) {
  testing::Process process(args, "/dev/full");
  return process.Wait();
}

TEST(OutputFailure, EveryCommandWritingToAFullDeviceExitsOneSayingWhy) {
  testing::TempDir lake;
  const std::string store = (lake.path() / "lake").string();
  const std::string logs = RepoPath("testdata/eventlogs");
  // A lake to read, written with stdout where it can go.
  ASSERT_EQ(testing::RunPrometheus({"observe", "--no-progress", "--source", logs, "--store",
                                    store})
                .exit_code,
            0);
  ASSERT_EQ(testing::RunPrometheus({"recommend", "--store", store}).exit_code, 0);
  const std::vector<std::vector<std::string>> commands = {
      {"analyze", "--no-progress", "--format", "json", logs},
      {"analyze", "--no-progress", "--format", "csv", logs},
      {"analyze", "--no-progress", "--color", "never", logs},
      {"observe", "--no-progress", "--format", "json", "--source", logs, "--store", store},
      {"recommend", "--format", "json", "--all", "--store", store},
      {"show", "prometheus_metrics", "--format", "csv", "--limit", "0", "--store", store},
      {"fix", "--recommendations", RepoPath("testdata/fix-demo/recommendations.json"), "--repo",
       RepoPath("testdata/pyspark"), "--color", "never"},
      {"fix", "--recommendations", RepoPath("testdata/fix-demo/recommendations.json"), "--repo",
       RepoPath("testdata/pyspark"), "--format", "json"},
  };
  for (const auto& command : commands) {
    testing::ProcessResult run = RunIntoFullDevice(command);
    EXPECT_EQ(run.exit_code, 1) << command[0] << " " << command[1] << "\n" << run.err;
    EXPECT_THAT(run.err, HasSubstr("prometheus: cannot write the output to stdout: No space "
                                   "left on device"))
        << command[0];
  }
}

}  // namespace
}  // namespace prometheus::cli

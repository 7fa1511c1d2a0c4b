// Main on streams of the caller's choosing (the Python module's capture): a
// command's output and errors land there, not on stdout and stderr, and the
// process streams are current again afterwards.
#include "prometheus/cli/cli.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "prometheus/testing/paths.h"

namespace prometheus::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Captured {
  int exit_code;
  std::string out;
  std::string err;
};

// One memory stream per side, as python/src/native.cc makes them.
Captured RunCaptured(std::vector<std::string> args) {
  args.insert(args.begin(), "prometheus");
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  char* out_text = nullptr;
  char* err_text = nullptr;
  size_t out_size = 0, err_size = 0;
  std::FILE* out = open_memstream(&out_text, &out_size);
  std::FILE* err = open_memstream(&err_text, &err_size);
  int code = Main(static_cast<int>(argv.size()), argv.data(), {out, err});
  std::fclose(out);
  std::fclose(err);
  Captured captured{code, std::string(out_text, out_size), std::string(err_text, err_size)};
  std::free(out_text);
  std::free(err_text);
  return captured;
}

TEST(Main, WritesACommandsOutputToTheGivenStream) {
  Captured run = RunCaptured({"analyze", "--format", "json", "--no-progress",
                              testing::RepoPath("testdata/eventlogs")});
  EXPECT_EQ(run.exit_code, kExitOk);
  EXPECT_THAT(run.out, StartsWith("{\n  \"applications\": ["));
  EXPECT_THAT(run.out, HasSubstr("\"app_id\""));
  EXPECT_EQ(CurrentStreams().out, stdout);
  EXPECT_EQ(CurrentStreams().err, stderr);
}

TEST(Main, WritesErrorsToTheGivenErrorStream) {
  Captured run = RunCaptured({"analyze", "--no-progress", "/no/such/log"});
  EXPECT_EQ(run.exit_code, kExitBadInput);
  EXPECT_EQ(run.out, "");
  EXPECT_THAT(run.err, StartsWith("prometheus: "));
  EXPECT_THAT(run.err, HasSubstr("/no/such/log"));
}

TEST(Main, WritesTheParsersHelpAndErrorsToTheGivenStreams) {
  Captured version = RunCaptured({"--version"});
  EXPECT_EQ(version.exit_code, kExitOk);
  EXPECT_EQ(version.out, "prometheus 0.1.0\n");
  Captured unknown = RunCaptured({"analyze", "--no-such-option", "testdata/eventlogs"});
  EXPECT_EQ(unknown.exit_code, kExitBadInput);
  EXPECT_EQ(unknown.err,
            "The following argument was not expected: --no-such-option\n"
            "Run with --help for more information.\n");
  EXPECT_EQ(unknown.out, "");
}

}  // namespace
}  // namespace prometheus::cli

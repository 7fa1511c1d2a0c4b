// Every input the fuzzers found a crash, hang or sanitizer report with is
// kept in testdata/fuzz/<target>/ and replayed here, with the seeds that
// exercise each target's error paths.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "prometheus/testing/paths.h"
#include "targets.h"

namespace prometheus::fuzz {
namespace {

namespace fs = std::filesystem;

TEST(FuzzRegression, EveryKeptInputRunsThroughItsTarget) {
  const fs::path root = testing::RepoPath("testdata/fuzz");
  ASSERT_TRUE(fs::is_directory(root)) << root;
  int inputs = 0;
  for (const auto& folder : fs::directory_iterator(root)) {
    if (!folder.is_directory()) continue;
    const Target* target = FindTarget(folder.path().filename().string());
    ASSERT_NE(target, nullptr) << "no fuzz target named " << folder.path().filename();
    for (const auto& file : fs::directory_iterator(folder.path())) {
      std::ifstream in(file.path(), std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      SCOPED_TRACE(file.path().string());
      target->run(bytes.str());
      ++inputs;
    }
  }
  EXPECT_GT(inputs, 0);
}

TEST(FuzzRegression, EveryTargetTakesEmptyAndOddInput) {
  for (const Target& target : Targets()) {
    SCOPED_TRACE(target.name);
    target.run("");
    target.run(std::string_view("\0\xff\n{", 4));
  }
}

}  // namespace
}  // namespace prometheus::fuzz

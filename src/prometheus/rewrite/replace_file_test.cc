// Replacing a file's bytes: the permissions stay, and a refused write (an
// immutable file, an immutable folder) leaves the original whole and no
// temporary file beside it. Root ignores permission bits, so the refusals
// use `chattr +i`; where the file system has no such attribute the tests
// say so and skip.
#include "prometheus/rewrite/replace_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "prometheus/testing/immutable.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::rewrite {
namespace {

namespace fs = std::filesystem;
using prometheus::testing::Slurp;
using prometheus::testing::TempDir;

using prometheus::testing::Immutable;

std::vector<std::string> Names(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ReplaceFile, ReplacesTheBytesAndKeepsThePermissions) {
  TempDir tmp;
  fs::path path = tmp.Write("job.py", "x = 1\n");
  fs::permissions(path, fs::perms(0750));
  ASSERT_TRUE(ReplaceFile(path, "x = 2\n"));
  EXPECT_EQ(Slurp(path), "x = 2\n");
  EXPECT_EQ(fs::status(path).permissions(), fs::perms(0750));
  EXPECT_EQ(Names(tmp.path()), std::vector<std::string>{"job.py"});
}

TEST(ReplaceFile, AnImmutableFileStaysWholeWithNothingBesideIt) {
  TempDir tmp;
  fs::path path = tmp.Write("job.py", "x = 1\n");
  Immutable immutable(path);
  if (!immutable.set()) GTEST_SKIP() << "chattr +i is not available here";
  Status status = ReplaceFile(path, "x = 2\n");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_NE(status.error().message.find("job.py: cannot replace"),
            std::string::npos)
      << status.error().message;
  EXPECT_EQ(Slurp(path), "x = 1\n");
  EXPECT_EQ(Names(tmp.path()), std::vector<std::string>{"job.py"});
}

TEST(ReplaceFile, AnImmutableFolderTakesNoTemporaryFile) {
  TempDir tmp;
  fs::path path = tmp.Write("jobs/job.py", "x = 1\n");
  Immutable immutable(tmp.path() / "jobs");
  if (!immutable.set()) GTEST_SKIP() << "chattr +i is not available here";
  Status status = ReplaceFile(path, "x = 2\n");
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("cannot write a temporary file"),
            std::string::npos)
      << status.error().message;
  EXPECT_EQ(Slurp(path), "x = 1\n");
  EXPECT_EQ(Names(tmp.path() / "jobs"), std::vector<std::string>{"job.py"});
}

TEST(ReplaceFile, AMissingFileIsAnErrorNotACreation) {
  TempDir tmp;
  Status status = ReplaceFile(tmp.path() / "gone.py", "x = 2\n");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::kIo);
  EXPECT_TRUE(Names(tmp.path()).empty());
}

}  // namespace
}  // namespace prometheus::rewrite

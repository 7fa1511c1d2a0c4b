// A store on a read-only file system: the error says so (it used to say "No
// such file or directory"), and nothing is half written.
#include <sys/mount.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "prometheus/testing/paths.h"
#include "prometheus/testing/process.h"
#include "prometheus/testing/temp_dir.h"

namespace prometheus::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ReadOnlyStore, ObserveSaysTheFileSystemIsReadOnly) {
  testing::TempDir tmp;
  const std::filesystem::path mount_point = tmp.path() / "ro";
  std::filesystem::create_directories(mount_point);
  if (::mount("none", mount_point.c_str(), "tmpfs", MS_RDONLY, nullptr) != 0) {
    GTEST_SKIP() << "cannot mount a read-only file system here";
  }
  auto run = testing::RunPrometheus({"observe", "--no-progress", "--source",
                                     testing::RepoPath("testdata/eventlogs"), "--store",
                                     (mount_point / "lake").string()});
  ::umount(mount_point.c_str());
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_THAT(run.err, HasSubstr((mount_point / "lake").string()));
  EXPECT_THAT(run.err, HasSubstr("Read-only file system"));
  EXPECT_THAT(run.err, Not(HasSubstr("No such file or directory")));
}

}  // namespace
}  // namespace prometheus::cli

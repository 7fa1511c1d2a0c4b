#include "prometheus/cli/exit_codes.h"

#include <gtest/gtest.h>

namespace prometheus::cli {
namespace {

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

}  // namespace
}  // namespace prometheus::cli

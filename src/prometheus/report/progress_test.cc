#include "prometheus/report/progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace prometheus::report {
namespace {

using ::testing::HasSubstr;

// Runs Begin(1000), Advance(500), a wait of `wait`, End, and returns stderr.
std::string Drawn(bool enabled, std::chrono::milliseconds wait) {
  ::testing::internal::CaptureStderr();
  {
    TerminalProgress progress(enabled);
    progress.Begin(1000);
    progress.Advance(500);
    std::this_thread::sleep_for(wait);
    progress.End();
  }
  return ::testing::internal::GetCapturedStderr();
}

TEST(TerminalProgress, DrawsTheBarOfLongWorkAndErasesIt) {
  std::string drawn = Drawn(true, std::chrono::milliseconds(900));
  EXPECT_THAT(drawn, HasSubstr("\r[###############...............]  50%"));
  EXPECT_TRUE(drawn.ends_with("\r\033[2K")) << drawn;
}

TEST(TerminalProgress, DrawsNothingWhenDisabledOrQuick) {
  EXPECT_EQ(Drawn(false, std::chrono::milliseconds(900)), "");
  EXPECT_EQ(Drawn(true, std::chrono::milliseconds(0)), "");
}

}  // namespace
}  // namespace prometheus::report

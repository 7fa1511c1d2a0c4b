// Shared by the `prometheus fix` end-to-end tests.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "prometheus/testing/process.h"

namespace prometheus::testing {

// A second dry run of the same recommendations finds nothing left to do:
// no diff, and `summary` (e.g. "fix: 0 applied, 3 already present") in its
// report.
inline void ExpectNothingLeftToDo(const std::filesystem::path& recommendations,
                                  const std::string& repo,
                                  std::string_view summary) {
  auto again = RunPrometheus(
      {"fix", "--recommendations", recommendations.string(), "--repo", repo});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "");
  EXPECT_NE(again.err.find(summary), std::string::npos) << again.err;
}

}  // namespace prometheus::testing

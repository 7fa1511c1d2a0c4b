// Loads and analyses one event log for a test, failing the test when it
// cannot.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "prometheus/io/event_log_files.h"
#include "prometheus/kpi/analysis.h"

namespace prometheus::testing {

inline kpi::Analysis AnalyzeLog(const std::string& path) {
  auto inputs = io::FindEventLogs({path});
  EXPECT_TRUE(inputs.has_value()) << path;
  if (!inputs || inputs->inputs.empty()) return {};
  auto log = model::LoadEventLog(inputs->inputs.front());
  EXPECT_TRUE(log.has_value()) << (log ? "" : log.error().message);
  if (!log) return {};
  return kpi::Analyze(std::move(*log), 0);
}

}  // namespace prometheus::testing

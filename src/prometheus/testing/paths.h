// Where tests find their inputs: the repo's testdata and the shared real logs.
#pragma once

#include <string>

namespace prometheus::testing {

inline std::string RepoPath(const std::string& relative) {
  return std::string(PROMETHEUS_SOURCE_DIR) + "/" + relative;
}

// A path under ../shared/eventlogs, beside the checkout.
inline std::string SharedEventLog(const std::string& relative) {
  return RepoPath("../shared/eventlogs/" + relative);
}

inline constexpr const char* kSparkEvents =
    "apache__spark/core/src/test/resources/spark-events/";
inline constexpr const char* kHistoryServerExpectations =
    "apache__spark/core/src/test/resources/HistoryServerExpectations/";

}  // namespace prometheus::testing

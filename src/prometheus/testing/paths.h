// Where tests find their inputs: the repo's testdata and the shared real logs.
#pragma once

#include <string>

namespace prometheus::testing {

// The checkout's root and the built `prometheus` binary. They are defined in
// paths.cc alone, so that every other test file compiles the same in any
// checkout (and a compiler cache serves them all).
const char* SourceDir();
const char* PrometheusBinary();

inline std::string RepoPath(const std::string& relative) {
  return std::string(SourceDir()) + "/" + relative;
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

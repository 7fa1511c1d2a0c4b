// The fuzz targets: each takes any bytes and must neither crash, hang nor
// trip a sanitizer; errors are values and are fine. The libFuzzer drivers
// (fuzz/*_fuzz.cc) call them, and fuzz_regression_test.cc replays the
// inputs kept in testdata/fuzz/<target>/ in the unit suite.
#pragma once

#include <string_view>
#include <vector>

namespace prometheus::fuzz {

struct Target {
  const char* name;
  void (*run)(std::string_view data);
};

// codec, line_reader, event_log, rule_file, parquet, delta_log, ipynb_json,
// sql_tokens.
const std::vector<Target>& Targets();

// The target named `name`; nullptr when there is none.
const Target* FindTarget(std::string_view name);

}  // namespace prometheus::fuzz

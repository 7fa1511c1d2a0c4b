// The rule files of the repo's rules/ folder, compiled into the binary.
#pragma once

#include <string_view>
#include <vector>

namespace prometheus::rules {

struct EmbeddedRuleFile {
  std::string_view name;  // e.g. "spill.toml"
  std::string_view text;
};

const std::vector<EmbeddedRuleFile>& BuiltinRuleFiles();

}  // namespace prometheus::rules

// Reads a parsed rule file into a RuleDefinition, checking every key, type,
// expression and template; the body of ParseRuleFile.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/rules/rule_file.h"

namespace prometheus::rules::internal {

// `text` is the file's content, which positions inside strings are mapped
// against. Errors read "FILE:LINE:COLUMN: ...".
Result<RuleDefinition> ReadRule(const toml::table& root, std::string_view text,
                                const std::string& file);

}  // namespace prometheus::rules::internal

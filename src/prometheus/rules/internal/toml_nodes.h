// Small helpers over toml++ nodes for reading rule files.
#pragma once

#include <toml++/toml.h>

#include <string_view>
#include <utility>
#include <vector>

namespace prometheus::rules::internal {

// "a string", "an integer"...: the node's type for error messages.
std::string_view TypeWords(const toml::node& node);

// Whether `s` is an identifier: letters, digits and '_', not starting with a
// digit.
bool IsName(std::string_view s);

// A table's entries in file order (toml::table keeps them sorted by key).
std::vector<std::pair<const toml::key*, const toml::node*>> InFileOrder(
    const toml::table& table);

}  // namespace prometheus::rules::internal

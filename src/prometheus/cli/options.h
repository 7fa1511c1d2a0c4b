// Checks of option values shared by the commands, with messages in words.
#pragma once

#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdint>
#include <string>

namespace prometheus::cli {

// A whole number of 0 or more ("-1", "abc" and "2.5" are refused). CLI11's
// own NonNegativeNumber accepts fractions and names a 309-digit bound.
inline CLI::Validator WholeNumber() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int64_t value = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || value < 0) {
          return "expected a whole number of 0 or more, not '" + text + "'";
        }
        return "";
      },
      "N>=0");
}

}  // namespace prometheus::cli

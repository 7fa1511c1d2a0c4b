// Errors and warnings as the command line prints them on stderr.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace prometheus::report {

// "prometheus: " before each line of `message`, every line ended with "\n".
std::string ErrorText(std::string_view message);

// "warning: " before each warning, one a line.
std::string WarningText(const std::vector<std::string>& warnings);

}  // namespace prometheus::report

// Errors and warnings as the command line prints them on stderr.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace prometheus::report {

// "prometheus: " before each line of `message`, then "\n" (so a message that
// ends with its own "\n" ends with an empty line, as printf's "%s\n" did).
std::string ErrorText(std::string_view message);

// "warning: " before each warning, one a line.
std::string WarningText(const std::vector<std::string>& warnings);

}  // namespace prometheus::report

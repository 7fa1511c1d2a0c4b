// Sizes and durations as people read them.
#pragma once

#include <string>

namespace prometheus {

// Binary units with one decimal: "3.1 MiB", "48.2 GiB", "512 B".
std::string FormatBytes(double bytes);

// "850 ms", "12.3 s", "4m 05s", "2h 03m".
std::string FormatDuration(double milliseconds);

}  // namespace prometheus

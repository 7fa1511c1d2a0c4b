// Formatting of times, sizes and durations for people and for machines.
#pragma once

#include <cstdint>
#include <string>

namespace prometheus::report {

// ISO 8601 UTC with milliseconds: "2015-02-03T16:43:07.191Z".
std::string FormatTimestamp(int64_t epoch_ms);

// Binary units with one decimal: "3.1 MiB", "48.2 GiB", "512 B".
std::string FormatBytes(double bytes);

// "850 ms", "12.3 s", "4m 05s", "2h 03m".
std::string FormatDuration(double milliseconds);

}  // namespace prometheus::report

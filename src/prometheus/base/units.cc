#include "prometheus/base/units.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace prometheus {

std::string FormatBytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int unit = 0;
  // Compare the value as it will print, so 1023.96 KiB shows as 1.0 MiB.
  while (std::fabs(std::round(bytes * 10) / 10) >= 1024 && unit < 5) {
    bytes /= 1024;
    ++unit;
  }
  if (unit == 0) return fmt::format("{:.0f} B", bytes);
  return fmt::format("{:.1f} {}", bytes, kUnits[unit]);
}

std::string FormatDuration(double milliseconds) {
  if (std::round(milliseconds) < 1000) {
    return fmt::format("{:.0f} ms", milliseconds);
  }
  double seconds = milliseconds / 1000;
  if (std::round(seconds * 10) / 10 < 60) return fmt::format("{:.1f} s", seconds);
  auto whole = std::max<int64_t>(60, static_cast<int64_t>(seconds));
  if (whole < 3600) return fmt::format("{}m {:02}s", whole / 60, whole % 60);
  return fmt::format("{}h {:02}m", whole / 3600, whole / 60 % 60);
}

}  // namespace prometheus

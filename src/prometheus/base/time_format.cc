#include "prometheus/base/time_format.h"

#include <fmt/format.h>

#include <chrono>

namespace prometheus {

std::string IsoUtcMillis(int64_t epoch_ms) {
  using namespace std::chrono;
  sys_days day = floor<days>(sys_time<milliseconds>(milliseconds(epoch_ms)));
  year_month_day ymd(day);
  int64_t in_day =
      epoch_ms - duration_cast<milliseconds>(day.time_since_epoch()).count();
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                     static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()), in_day / 3600000,
                     in_day / 60000 % 60, in_day / 1000 % 60, in_day % 1000);
}

}  // namespace prometheus

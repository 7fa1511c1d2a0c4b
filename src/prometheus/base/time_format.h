// Times as text, without domain knowledge.
#pragma once

#include <cstdint>
#include <string>

namespace prometheus {

// ISO 8601 UTC with milliseconds: "2015-02-03T16:43:07.191Z".
std::string IsoUtcMillis(int64_t epoch_ms);

}  // namespace prometheus

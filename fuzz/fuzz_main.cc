// The libFuzzer driver of one target, named at compile time by
// PROMETHEUS_FUZZ_TARGET (CMakeLists.txt builds one fuzz_<target> each).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const prometheus::fuzz::Target* target =
      prometheus::fuzz::FindTarget(PROMETHEUS_FUZZ_TARGET);
  target->run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}

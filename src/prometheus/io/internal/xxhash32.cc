#include "prometheus/io/internal/xxhash32.h"

#include <bit>

#include "prometheus/io/internal/input_buffer.h"

namespace prometheus::io::internal {
namespace {

constexpr uint32_t kPrime1 = 2654435761U;
constexpr uint32_t kPrime2 = 2246822519U;
constexpr uint32_t kPrime3 = 3266489917U;
constexpr uint32_t kPrime4 = 668265263U;
constexpr uint32_t kPrime5 = 374761393U;

uint32_t Round(uint32_t acc, uint32_t lane) {
  return std::rotl(acc + lane * kPrime2, 13) * kPrime1;
}

}  // namespace

uint32_t XxHash32(const char* data, size_t size, uint32_t seed) {
  const char* p = data;
  const char* end = data + size;
  uint32_t acc;
  if (size >= 16) {
    uint32_t v1 = seed + kPrime1 + kPrime2;
    uint32_t v2 = seed + kPrime2;
    uint32_t v3 = seed;
    uint32_t v4 = seed - kPrime1;
    for (; end - p >= 16; p += 16) {
      v1 = Round(v1, LoadLe32(p));
      v2 = Round(v2, LoadLe32(p + 4));
      v3 = Round(v3, LoadLe32(p + 8));
      v4 = Round(v4, LoadLe32(p + 12));
    }
    acc = std::rotl(v1, 1) + std::rotl(v2, 7) + std::rotl(v3, 12) +
          std::rotl(v4, 18);
  } else {
    acc = seed + kPrime5;
  }
  acc += static_cast<uint32_t>(size);
  for (; end - p >= 4; p += 4) {
    acc = std::rotl(acc + LoadLe32(p) * kPrime3, 17) * kPrime4;
  }
  for (; p < end; ++p) {
    acc =
        std::rotl(acc + static_cast<unsigned char>(*p) * kPrime5, 11) * kPrime1;
  }
  acc ^= acc >> 15;
  acc *= kPrime2;
  acc ^= acc >> 13;
  acc *= kPrime3;
  acc ^= acc >> 16;
  return acc;
}

}  // namespace prometheus::io::internal

// xxHash32 (Yann Collet's XXH32, one-shot), the block checksum of lz4-java.
#pragma once

#include <cstddef>
#include <cstdint>

namespace prometheus::io::internal {

uint32_t XxHash32(const char* data, size_t size, uint32_t seed);

}  // namespace prometheus::io::internal

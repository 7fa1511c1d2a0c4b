// FNV-1a, 64 bits (Fowler, Noll, Vo): a fast, stable, non-cryptographic hash
// for ids and fingerprints that must not change between releases.
#pragma once

#include <cstdint>
#include <string_view>

namespace prometheus {

// The published offset basis.
inline constexpr uint64_t kFnv1aOffsetBasis = 14695981039346656037ull;
// What Prometheus' recommendation ids, log fingerprints and batch ids have
// always started from: the published basis with its last digit lost. Ids
// already stored depend on it, so it stays.
inline constexpr uint64_t kStableHashSeed = 1469598103934665603ull;
inline constexpr uint64_t kFnv1aPrime = 1099511628211ull;

// Folds `bytes` into `hash`; start from a seed above.
constexpr uint64_t Fnv1a(uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= kFnv1aPrime;
  }
  return hash;
}

}  // namespace prometheus

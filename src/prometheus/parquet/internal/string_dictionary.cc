#include "prometheus/parquet/internal/string_dictionary.h"

#include <algorithm>
#include <functional>

namespace prometheus::parquet::internal {
namespace {

// After this many values, a chunk whose values are nearly all distinct
// gives up on a dictionary rather than hashing the rest for nothing.
constexpr size_t kSampleValues = 32768;

}  // namespace

void StringDictionary::Grow() {
  const size_t size = slots_.empty() ? 1024 : slots_.size() * 2;
  slots_.assign(size, 0);
  const size_t mask = size - 1;
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    size_t slot = hashes_[i] & mask;
    while (slots_[slot] != 0) slot = (slot + 1) & mask;
    slots_[slot] = i + 1;
  }
}

uint32_t StringDictionary::Find(std::string_view value, uint64_t hash) {
  const size_t mask = slots_.size() - 1;
  size_t slot = hash & mask;
  while (true) {
    const uint32_t entry = slots_[slot];
    if (entry == 0) break;
    if (hashes_[entry - 1] == hash && entries_[entry - 1] == value) {
      return entry - 1;
    }
    slot = (slot + 1) & mask;
  }
  const auto index = static_cast<uint32_t>(entries_.size());
  entries_.push_back(value);
  hashes_.push_back(hash);
  plain_bytes_ += 4 + value.size();
  slots_[slot] = index + 1;
  if (entries_.size() * 2 > slots_.size()) Grow();
  return index;
}

bool StringDictionary::Build(const ColumnVector& values, size_t begin,
                             size_t end, size_t max_entries, size_t max_bytes) {
  entries_.clear();
  hashes_.clear();
  indices_.clear();
  plain_bytes_ = 0;
  if (slots_.empty()) {
    Grow();
  } else {
    std::fill(slots_.begin(), slots_.end(), 0);
  }
  std::hash<std::string_view> hasher;
  std::string_view last;
  uint32_t last_index = UINT32_MAX;
  for (size_t row = begin; row < end; ++row) {
    if (!values.valid[row]) continue;
    const std::string_view value = values.strings[row];
    // Repeats of the previous value are common (one app id per file).
    if (last_index != UINT32_MAX && value == last) {
      indices_.push_back(last_index);
      continue;
    }
    last = value;
    last_index = Find(value, hasher(value));
    indices_.push_back(last_index);
    if (entries_.size() > max_entries || plain_bytes_ > max_bytes) {
      return false;
    }
    if (indices_.size() == kSampleValues &&
        entries_.size() * 10 > kSampleValues * 9) {
      return false;
    }
  }
  return true;
}

}  // namespace prometheus::parquet::internal

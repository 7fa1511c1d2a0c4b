// Builds the dictionary of a string column chunk: distinct values in order
// of first appearance and each value's index, for RLE_DICTIONARY pages.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "prometheus/parquet/table.h"

namespace prometheus::parquet::internal {

class StringDictionary {
 public:
  // Indexes the non-null strings of rows [begin, end) of `values`. Returns
  // false as soon as the dictionary would exceed `max_entries` entries or
  // `max_bytes` bytes of PLAIN values, or when an early sample shows
  // nearly every value distinct; the dictionary is then unusable.
  //
  // REQUIRES: `values` outlives the entries (they point into it).
  bool Build(const ColumnVector& values, size_t begin, size_t end,
             size_t max_entries, size_t max_bytes);

  // Distinct values, in order of first appearance.
  const std::vector<std::string_view>& entries() const { return entries_; }
  // One index into entries() per non-null value, in row order.
  const std::vector<uint32_t>& indices() const { return indices_; }
  // Bytes of the entries PLAIN-encoded (4-byte length + bytes each).
  size_t plain_bytes() const { return plain_bytes_; }

 private:
  uint32_t Find(std::string_view value, uint64_t hash);
  void Grow();

  std::vector<std::string_view> entries_;
  std::vector<uint64_t> hashes_;  // of each entry, for rehashing
  std::vector<uint32_t> slots_;   // open addressing: entry index + 1, 0 free
  std::vector<uint32_t> indices_;
  size_t plain_bytes_ = 0;
};

}  // namespace prometheus::parquet::internal

#include "prometheus/io/internal/block_source.h"

#include <algorithm>
#include <cstring>

namespace prometheus::io::internal {

Result<size_t> BlockSource::Read(std::span<char> buffer) {
  if (error_) return std::unexpected(*error_);
  while (pending_.empty()) {
    if (ended_ || buffer.empty()) return 0;
    Result<Block> block = NextBlock();
    if (!block) {
      // A failed block is not retried: later reads repeat the error.
      error_ = block.error();
      return std::unexpected(std::move(block).error());
    }
    if (!*block) {
      ended_ = true;
      // NextBlock leaves an incomplete block's bytes in the buffer.
      if (in_.size() > 0) cut_at_ = in_.offset();
      return 0;
    }
    pending_ = **block;
  }
  size_t n = std::min(buffer.size(), pending_.size());
  std::memcpy(buffer.data(), pending_.data(), n);
  pending_ = pending_.subspan(n);
  return n;
}

}  // namespace prometheus::io::internal

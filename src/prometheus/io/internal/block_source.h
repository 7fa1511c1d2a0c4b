// The shared reading loop of the block framings (LZ4, LZF, Snappy): a
// subclass decodes one block at a time and Read hands its bytes out. Bytes
// left over after the last whole block mean the stream was cut in a block.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "prometheus/base/result.h"
#include "prometheus/io/byte_source.h"
#include "prometheus/io/internal/input_buffer.h"

namespace prometheus::io::internal {

class BlockSource : public ByteSource {
 public:
  explicit BlockSource(std::unique_ptr<ByteSource> compressed)
      : in_(std::move(compressed)) {}

  Result<size_t> Read(std::span<char> buffer) final;
  const std::string& name() const final { return in_.name(); }
  std::optional<uint64_t> cut_at() const final { return cut_at_; }

 protected:
  // The decoded bytes of one block, or nullopt at the end of the stream.
  using Block = std::optional<std::span<const char>>;

  // Decodes the next block. The bytes may point into in() or into a buffer
  // of the subclass and must stay valid until the next call. A stream that
  // ends inside a block ends at the block before it, without an error.
  virtual Result<Block> NextBlock() = 0;

  InputBuffer& in() { return in_; }

 private:
  InputBuffer in_;
  std::span<const char> pending_;
  bool ended_ = false;
  std::optional<uint64_t> cut_at_;
  std::optional<Error> error_;
};

}  // namespace prometheus::io::internal

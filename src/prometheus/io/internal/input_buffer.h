// A reusable read-ahead buffer over a compressed ByteSource, so decoders can
// look at whole block headers and payloads as contiguous bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "prometheus/base/result.h"
#include "prometheus/io/byte_source.h"

namespace prometheus::io::internal {

class InputBuffer {
 public:
  // `read_size` is how much one read of `source` asks for.
  explicit InputBuffer(std::unique_ptr<ByteSource> source,
                       size_t read_size = 64 * 1024);

  // Buffers at least `n` bytes from the read position; returns false when
  // the source ends first, leaving whatever it did deliver in the buffer.
  Result<bool> Ensure(size_t n);

  // The buffered bytes; valid until the next Ensure.
  const char* data() const { return buffer_.get() + begin_; }
  size_t size() const { return end_ - begin_; }

  // Drops `n` buffered bytes (at most size()) from the front.
  void Consume(size_t n) {
    begin_ += n;
    offset_ += n;
  }

  // Offset in the source of data()[0], for error messages.
  uint64_t offset() const { return offset_; }

  // True once the source has reported its end.
  bool eof() const { return eof_; }

  const std::string& name() const { return source_->name(); }

 private:
  // Makes room for at least `n` buffered bytes plus one read, growing the
  // buffer at most twofold so a corrupt huge length cannot allocate much.
  void MakeRoom(size_t n);

  std::unique_ptr<ByteSource> source_;
  size_t read_size_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  uint64_t offset_ = 0;
  bool eof_ = false;
};

// A growable output buffer whose storage is reused from block to block.
class BlockBuffer {
 public:
  // At least `n` writable bytes; earlier contents are not kept.
  char* Reserve(size_t n) {
    if (n > capacity_) {
      buffer_ = std::make_unique_for_overwrite<char[]>(n);
      capacity_ = n;
    }
    return buffer_.get();
  }

 private:
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
};

inline uint32_t LoadLe32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 |
         uint32_t{b[3]} << 24;
}

inline uint32_t LoadBe32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return uint32_t{b[0]} << 24 | uint32_t{b[1]} << 16 | uint32_t{b[2]} << 8 |
         uint32_t{b[3]};
}

inline uint16_t LoadBe16(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return static_cast<uint16_t>(b[0] << 8 | b[1]);
}

}  // namespace prometheus::io::internal

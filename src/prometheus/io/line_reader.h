// Splits a byte stream into lines without copying them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/io/byte_source.h"

namespace prometheus::io {

// One line of input, without its line terminator.
struct Line {
  std::string_view text;
  // Bytes readable from text.data(), at least text.size() + kLinePadding, so
  // a SIMD parser may read past the end of the line.
  size_t capacity = 0;
  // 1-based line number in the stream.
  uint64_t number = 0;
  // False for a last line that had no newline (perhaps cut mid-write).
  bool terminated = true;
};

inline constexpr size_t kLinePadding = 64;

// Reads lines of any length from a ByteSource, in chunks of bounded size.
class LineReader {
 public:
  // `source` must outlive the reader.
  explicit LineReader(ByteSource& source, size_t chunk_bytes = 4 << 20);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line, valid until the next call; nullopt at the end.
  Result<std::optional<Line>> Next();

  // Decompressed bytes consumed so far.
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  // Moves the unread tail to the front and reads more; false at end of input.
  Result<bool> Refill();

  ByteSource& source_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_;  // usable bytes, excluding padding
  size_t begin_ = 0;
  size_t end_ = 0;
  size_t scan_ = 0;  // bytes from begin_ known to hold no newline
  bool eof_ = false;
  uint64_t line_number_ = 0;
  uint64_t bytes_read_ = 0;
};

}  // namespace prometheus::io

#include "prometheus/io/line_reader.h"

#include <cstring>

namespace prometheus::io {

// The buffer is not zeroed: the bytes past a line's padding are readable,
// not meaningful (they hold earlier lines after a refill anyway), and
// zeroing 4 MB per log was a third of the time of observing a small one.
LineReader::LineReader(ByteSource& source, size_t chunk_bytes)
    : source_(source),
      buffer_(new char[chunk_bytes + kLinePadding]),
      capacity_(chunk_bytes) {}

LineReader::~LineReader() = default;

Result<bool> LineReader::Refill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {
    // A line longer than the buffer: grow, so any line length works.
    size_t grown = capacity_ * 2;
    std::unique_ptr<char[]> bigger(new char[grown + kLinePadding]);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ = grown;
  }
  PROM_ASSIGN_OR_RETURN(
      size_t n, source_.Read(std::span(buffer_.get() + end_, capacity_ - end_)));
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += n;
  bytes_read_ += n;
  std::memset(buffer_.get() + end_, 0, kLinePadding);
  return true;
}

Result<std::optional<Line>> LineReader::Next() {
  while (true) {
    const char* start = buffer_.get() + begin_;
    const void* newline =
        std::memchr(start + scan_, '\n', end_ - begin_ - scan_);
    if (newline != nullptr) {
      size_t length = static_cast<const char*>(newline) - start;
      size_t next = begin_ + length + 1;
      if (length > 0 && start[length - 1] == '\r') --length;
      Line line{std::string_view(start, length),
                capacity_ + kLinePadding - begin_, ++line_number_, true};
      begin_ = next;
      scan_ = 0;
      return line;
    }
    scan_ = end_ - begin_;
    PROM_ASSIGN_OR_RETURN(bool more, Refill());
    if (!more) {
      if (begin_ == end_) return std::nullopt;
      size_t length = end_ - begin_;
      // Zero the padding after the unterminated tail.
      std::memset(buffer_.get() + end_, 0, kLinePadding);
      Line line{std::string_view(buffer_.get() + begin_, length),
                capacity_ + kLinePadding - begin_, ++line_number_, false};
      begin_ = end_;
      scan_ = 0;
      return line;
    }
  }
}

}  // namespace prometheus::io

#include "prometheus/io/internal/input_buffer.h"

#include <algorithm>
#include <span>
#include <utility>

namespace prometheus::io::internal {

InputBuffer::InputBuffer(std::unique_ptr<ByteSource> source, size_t read_size)
    : source_(std::move(source)), read_size_(read_size) {}

Result<bool> InputBuffer::Ensure(size_t n) {
  while (size() < n) {
    if (eof_) return false;
    // Read straight into the tail when it holds what is missing or a full
    // read; otherwise compact or grow first.
    if (capacity_ - end_ < std::min(read_size_, n - size())) MakeRoom(n);
    PROM_ASSIGN_OR_RETURN(
        size_t got,
        source_->Read(std::span(buffer_.get() + end_, capacity_ - end_)));
    if (got == 0) {
      eof_ = true;
    } else {
      end_ += got;
    }
  }
  return true;
}

void InputBuffer::MakeRoom(size_t n) {
  size_t held = size();
  size_t wanted = n + read_size_;
  if (wanted > capacity_) {
    size_t capacity = std::min(wanted, std::max(capacity_ * 2, read_size_));
    capacity = std::max(capacity, held + std::min(read_size_, n - held));
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (held > 0) std::memcpy(bigger.get(), data(), held);
    buffer_ = std::move(bigger);
    capacity_ = capacity;
  } else if (held > 0 && begin_ > 0) {
    std::memmove(buffer_.get(), data(), held);
  }
  begin_ = 0;
  end_ = held;
}

}  // namespace prometheus::io::internal

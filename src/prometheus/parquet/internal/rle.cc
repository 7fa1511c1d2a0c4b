#include "prometheus/parquet/internal/rle.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace prometheus::parquet::internal {
namespace {

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

template <typename T>
void AppendRleRun(T value, size_t count, int bit_width, std::string* out) {
  AppendVarint(static_cast<uint64_t>(count) << 1, out);
  uint32_t v = static_cast<uint32_t>(value);
  for (int bytes = (bit_width + 7) / 8; bytes > 0; --bytes) {
    out->push_back(static_cast<char>(v & 0xff));
    v >>= 8;
  }
}

// A bit-packed run of `count` values, padded with zeros to a multiple of 8.
template <typename T>
void AppendBitPacked(const T* values, size_t count, int bit_width,
                     std::string* out) {
  const size_t groups = (count + 7) / 8;
  AppendVarint((static_cast<uint64_t>(groups) << 1) | 1, out);
  const size_t old_size = out->size();
  out->resize(old_size + groups * bit_width);  // zero-filled padding
  auto* p = reinterpret_cast<uint8_t*>(out->data() + old_size);
  if (bit_width == 1) {
    for (size_t i = 0; i + 8 <= count; i += 8) {
      uint8_t byte = 0;
      for (int b = 0; b < 8; ++b) byte |= (values[i + b] & 1) << b;
      *p++ = byte;
    }
    for (size_t i = count & ~size_t{7}, b = 0; i < count; ++i, ++b) {
      *p |= (values[i] & 1) << b;
    }
    return;
  }
  uint64_t bits = 0;
  int used = 0;
  for (size_t i = 0; i < count; ++i) {
    bits |= static_cast<uint64_t>(values[i]) << used;
    used += bit_width;
    while (used >= 8) {
      *p++ = static_cast<uint8_t>(bits);
      bits >>= 8;
      used -= 8;
    }
  }
  if (used > 0) *p = static_cast<uint8_t>(bits);
}

}  // namespace

int BitWidth(uint64_t max_value) {
  return max_value == 0 ? 0 : 64 - std::countl_zero(max_value);
}

template <typename T>
void AppendRleBitPacked(const T* values, size_t count, int bit_width,
                        std::string* out) {
  // [literal, i) collects values for the next bit-packed run; a run of 8
  // or more equal values flushes it, first lending it values to complete
  // its last group of 8 when the run is long enough to stay a run.
  size_t literal = 0;
  size_t i = 0;
  while (i < count) {
    size_t end = i + 1;
    while (end < count && values[end] == values[i]) ++end;
    size_t run = end - i;
    if (run >= 8) {
      const size_t pad = (8 - (i - literal) % 8) % 8;
      if (run - pad >= 8) {
        i += pad;
        run -= pad;
        if (i > literal)
          AppendBitPacked(values + literal, i - literal, bit_width, out);
        AppendRleRun(values[i], run, bit_width, out);
        literal = end;
      }
    }
    i = end;
  }
  if (count > literal) {
    AppendBitPacked(values + literal, count - literal, bit_width, out);
  }
}

template void AppendRleBitPacked(const uint8_t*, size_t, int, std::string*);
template void AppendRleBitPacked(const uint16_t*, size_t, int, std::string*);
template void AppendRleBitPacked(const uint32_t*, size_t, int, std::string*);

bool RleBitPackedDecoder::NextRun() {
  // Run header: varint, low bit 1 for bit-packed groups, 0 for RLE.
  uint64_t header = 0;
  for (int shift = 0;; shift += 7) {
    if (at_ == end_ || shift > 35) return false;
    const uint8_t byte = *at_++;
    header |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) break;
  }
  if (header & 1) {
    const uint64_t groups = header >> 1;
    const uint64_t bytes = groups * bit_width_;
    packed_ = at_;
    // A final run may stop short of its declared groups; its values
    // beyond the data are then missing, which Decode reports.
    const uint64_t available = static_cast<uint64_t>(end_ - at_);
    packed_end_ = at_ + std::min(bytes, available);
    at_ = packed_end_;
    packed_left_ = groups * 8;
    packed_bit_ = 0;
    return true;
  }
  rle_left_ = header >> 1;
  const int value_bytes = (bit_width_ + 7) / 8;
  if (end_ - at_ < value_bytes) return false;
  uint32_t value = 0;
  for (int b = 0; b < value_bytes; ++b) value |= uint32_t{at_[b]} << (8 * b);
  at_ += value_bytes;
  rle_value_ = value;
  return true;
}

template <typename T>
bool RleBitPackedDecoder::Decode(T* out, size_t count) {
  const uint64_t mask =
      bit_width_ >= 32 ? 0xffffffffu : (uint64_t{1} << bit_width_) - 1;
  while (count > 0) {
    if (rle_left_ > 0) {
      const size_t n = std::min<uint64_t>(rle_left_, count);
      std::fill_n(out, n, static_cast<T>(rle_value_));
      out += n;
      count -= n;
      rle_left_ -= n;
      continue;
    }
    if (packed_left_ > 0) {
      size_t n = std::min<uint64_t>(packed_left_, count);
      const size_t span = static_cast<size_t>(packed_end_ - packed_);
      const uint64_t limit_bits = static_cast<uint64_t>(span) * 8;
      for (size_t k = 0; k < n; ++k) {
        if (packed_bit_ + bit_width_ > limit_bits) return false;
        const size_t byte = packed_bit_ >> 3;
        uint64_t word = 0;
        if (byte + 8 <= span) {
          std::memcpy(&word, packed_ + byte, 8);
        } else {
          std::memcpy(&word, packed_ + byte, span - byte);
        }
        *out++ = static_cast<T>((word >> (packed_bit_ & 7)) & mask);
        packed_bit_ += bit_width_;
      }
      count -= n;
      packed_left_ -= n;
      continue;
    }
    if (!NextRun()) return false;
  }
  return true;
}

template bool RleBitPackedDecoder::Decode(uint8_t*, size_t);
template bool RleBitPackedDecoder::Decode(int16_t*, size_t);
template bool RleBitPackedDecoder::Decode(uint32_t*, size_t);

template <typename T>
bool DecodeLegacyBitPacked(const uint8_t* data, size_t size, int bit_width,
                           T* out, size_t count) {
  if ((static_cast<uint64_t>(count) * bit_width + 7) / 8 > size) return false;
  uint64_t bit = 0;
  for (size_t i = 0; i < count; ++i) {
    uint32_t value = 0;
    for (int b = 0; b < bit_width; ++b, ++bit) {
      const int set = (data[bit >> 3] >> (7 - (bit & 7))) & 1;
      value = (value << 1) | set;
    }
    out[i] = static_cast<T>(value);
  }
  return true;
}

template bool DecodeLegacyBitPacked(const uint8_t*, size_t, int, int16_t*,
                                    size_t);

}  // namespace prometheus::parquet::internal

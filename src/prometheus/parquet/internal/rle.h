// Parquet's RLE / bit-packed hybrid (Encodings.md "Run Length Encoding /
// Bit-Packing Hybrid"), used for definition and repetition levels,
// dictionary indices and RLE booleans.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace prometheus::parquet::internal {

// Bits needed for values up to `max_value` (0 for 0).
int BitWidth(uint64_t max_value);

// Appends the hybrid encoding of `values` (each below 2^bit_width, width at
// most 32) to `out`, without the 4-byte length prefix. Runs of 8 or more
// equal values become RLE runs, the rest bit-packed groups of 8.
template <typename T>
void AppendRleBitPacked(const T* values, size_t count, int bit_width,
                        std::string* out);

// Reads values from hybrid-encoded bytes.
//
// REQUIRES: the bytes outlive the decoder.
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder(const uint8_t* data, size_t size, int bit_width)
      : at_(data), end_(data + size), bit_width_(bit_width) {}

  // Decodes the next `count` values into `out`. False when the bytes end
  // first or a run header is corrupt; `out` then holds what was decoded.
  template <typename T>
  bool Decode(T* out, size_t count);

  // Where the bytes consumed so far end.
  const uint8_t* position() const { return at_; }

 private:
  bool NextRun();

  const uint8_t* at_;
  const uint8_t* end_;
  int bit_width_;
  // The current run: either `rle_left_` copies of `rle_value_`, or
  // `packed_left_` bit-packed values starting at bit `packed_bit_` of
  // `packed_`.
  uint64_t rle_left_ = 0;
  uint32_t rle_value_ = 0;
  uint64_t packed_left_ = 0;
  const uint8_t* packed_ = nullptr;
  const uint8_t* packed_end_ = nullptr;
  uint64_t packed_bit_ = 0;
};

// Decodes `count` values of the deprecated BIT_PACKED level encoding
// (most significant bit first, no runs). False when `size` is too short.
template <typename T>
bool DecodeLegacyBitPacked(const uint8_t* data, size_t size, int bit_width,
                           T* out, size_t count);

}  // namespace prometheus::parquet::internal

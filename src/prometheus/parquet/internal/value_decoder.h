// Decodes the values section of Parquet pages (Encodings.md) into a
// ColumnVector: PLAIN, RLE booleans, dictionary indices,
// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY and
// BYTE_STREAM_SPLIT.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/table.h"

namespace prometheus::parquet::internal {

// How one leaf's physical values become ColumnVector values: integers,
// booleans and timestamps go to `ints`, FLOAT and DOUBLE to `doubles`, byte
// arrays to `strings`.
struct ValueFormat {
  PhysicalType physical = PhysicalType::kInt32;
  int32_t type_length = 0;  // FIXED_LEN_BYTE_ARRAY
  bool unsigned32 = false;  // INT32 holding UINT_32 (zero-extended)
  // INT64 timestamps become microseconds: value * multiply / divide
  // (rounded down).
  int64_t multiply = 1;
  int64_t divide = 1;
};

// Appends `count` values encoded with `encoding` in `data` to `out`. The
// error says what is wrong, without file or column names.
Status DecodeValues(const ValueFormat& format, int32_t encoding,
                    std::string_view data, size_t count, ColumnVector* out);

// Appends `count` dictionary entries chosen by the indices in `data` (a
// bit-width byte, then RLE / bit-packed indices) to `out`.
Status DecodeDictionaryIndices(const ValueFormat& format, std::string_view data,
                               size_t count, const ColumnVector& dictionary,
                               ColumnVector* out);

// Decodes a DELTA_BINARY_PACKED stream of at most `max_values` values into
// `out` (wrapping arithmetic); `*size` gets the bytes it took.
Status DecodeDeltaBinaryPacked(std::string_view data, size_t max_values,
                               std::vector<int64_t>* out, size_t* size);

}  // namespace prometheus::parquet::internal

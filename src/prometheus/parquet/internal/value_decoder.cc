#include "prometheus/parquet/internal/value_decoder.h"

#include <cstring>
#include <vector>

#include "prometheus/parquet/internal/rle.h"

namespace prometheus::parquet::internal {
namespace {

// Days from the Julian day epoch to 1970-01-01, for INT96 timestamps.
constexpr int64_t kUnixEpochJulianDay = 2440588;
constexpr int64_t kMicrosPerDay = 86400LL * 1000 * 1000;

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

template <typename T>
T Load(const char* p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

// Spark's legacy INT96: nanoseconds of the day, then the Julian day.
int64_t Int96Micros(const char* p) {
  const int64_t nanos = Load<int64_t>(p);
  const int64_t day = Load<int32_t>(p + 8);
  return (day - kUnixEpochJulianDay) * kMicrosPerDay + FloorDiv(nanos, 1000);
}

size_t FixedWidth(const ValueFormat& f) {
  switch (f.physical) {
    case PhysicalType::kInt32:
    case PhysicalType::kFloat:
      return 4;
    case PhysicalType::kInt64:
    case PhysicalType::kDouble:
      return 8;
    case PhysicalType::kInt96:
      return 12;
    case PhysicalType::kFixedLenByteArray:
      return static_cast<size_t>(f.type_length);
    default:
      return 0;
  }
}

// Appends one fixed-width value stored at `p` (little-endian).
void AppendFixed(const ValueFormat& f, const char* p, ColumnVector* out) {
  switch (f.physical) {
    case PhysicalType::kInt32: {
      const int32_t v = Load<int32_t>(p);
      out->ints.push_back(f.unsigned32 ? int64_t{static_cast<uint32_t>(v)}
                                       : int64_t{v});
      return;
    }
    case PhysicalType::kInt64:
      out->ints.push_back(Load<int64_t>(p));
      return;
    case PhysicalType::kInt96:
      out->ints.push_back(Int96Micros(p));
      return;
    case PhysicalType::kFloat:
      out->doubles.push_back(Load<float>(p));
      return;
    case PhysicalType::kDouble:
      out->doubles.push_back(Load<double>(p));
      return;
    case PhysicalType::kFixedLenByteArray:
      out->strings.emplace_back(p, static_cast<size_t>(f.type_length));
      return;
    default:
      return;
  }
}

Status DecodePlain(const ValueFormat& f, std::string_view data, size_t count,
                   ColumnVector* out) {
  if (f.physical == PhysicalType::kBoolean) {
    if ((count + 7) / 8 > data.size()) {
      return Fail(ErrorCode::kCorrupt, "PLAIN booleans: {} values need {} bytes, the page has {}",
                  count, (count + 7) / 8, data.size());
    }
    const auto* bits = reinterpret_cast<const uint8_t*>(data.data());
    for (size_t i = 0; i < count; ++i) {
      out->ints.push_back((bits[i >> 3] >> (i & 7)) & 1);
    }
    return Ok();
  }
  if (f.physical == PhysicalType::kByteArray) {
    size_t at = 0;
    for (size_t i = 0; i < count; ++i) {
      if (data.size() - at < 4) {
        return Fail(ErrorCode::kCorrupt, "PLAIN byte arrays end after {} of {} values", i, count);
      }
      const uint32_t size = Load<uint32_t>(data.data() + at);
      at += 4;
      if (size > data.size() - at) {
        return Fail(ErrorCode::kCorrupt,
                    "PLAIN byte array {} claims {} bytes, {} are left", i, size,
                    data.size() - at);
      }
      out->strings.emplace_back(data.data() + at, size);
      at += size;
    }
    return Ok();
  }
  const size_t width = FixedWidth(f);
  if (width == 0 || count > data.size() / width) {
    return Fail(ErrorCode::kCorrupt, "PLAIN {} values: {} values need {} bytes, the page has {}",
                PhysicalTypeName(f.physical), count, count * width,
                data.size());
  }
  if (f.physical == PhysicalType::kInt64) {
    const size_t old_size = out->ints.size();
    out->ints.resize(old_size + count);
    std::memcpy(out->ints.data() + old_size, data.data(), count * 8);
    return Ok();
  }
  if (f.physical == PhysicalType::kDouble) {
    const size_t old_size = out->doubles.size();
    out->doubles.resize(old_size + count);
    std::memcpy(out->doubles.data() + old_size, data.data(), count * 8);
    return Ok();
  }
  for (size_t i = 0; i < count; ++i) {
    AppendFixed(f, data.data() + i * width, out);
  }
  return Ok();
}

Status DecodeRleBooleans(std::string_view data, size_t count,
                         ColumnVector* out) {
  if (data.size() < 4) return Fail(ErrorCode::kCorrupt, "RLE booleans: missing length prefix");
  const uint32_t size = Load<uint32_t>(data.data());
  if (size > data.size() - 4) {
    return Fail(ErrorCode::kCorrupt, "RLE booleans: length {} exceeds the page", size);
  }
  std::vector<uint8_t> bits(count);
  RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(data.data()) + 4,
                              size, 1);
  if (!decoder.Decode(bits.data(), count)) {
    return Fail(ErrorCode::kCorrupt, "RLE booleans: runs end before {} values", count);
  }
  for (uint8_t b : bits) out->ints.push_back(b);
  return Ok();
}

Status DecodeByteStreamSplit(const ValueFormat& f, std::string_view data,
                             size_t count, ColumnVector* out) {
  const size_t width = FixedWidth(f);
  if (width == 0 || width > 64 || count > data.size() / width) {
    return Fail(ErrorCode::kCorrupt, "BYTE_STREAM_SPLIT {}: {} values need {} bytes, page has {}",
                PhysicalTypeName(f.physical), count, count * width,
                data.size());
  }
  char value[64];
  for (size_t i = 0; i < count; ++i) {
    for (size_t k = 0; k < width; ++k) value[k] = data[k * count + i];
    AppendFixed(f, value, out);
  }
  return Ok();
}

// DELTA_LENGTH_BYTE_ARRAY: lengths as DELTA_BINARY_PACKED, then the bytes.
Status DecodeDeltaLength(std::string_view data, size_t count,
                         std::vector<std::string>* out, size_t* size) {
  std::vector<int64_t> lengths;
  size_t at = 0;
  PROM_TRY(DecodeDeltaBinaryPacked(data, count, &lengths, &at));
  if (lengths.size() != count) {
    return Fail(ErrorCode::kCorrupt, "DELTA_LENGTH_BYTE_ARRAY holds {} lengths, expected {}",
                lengths.size(), count);
  }
  for (int64_t length : lengths) {
    if (length < 0 || static_cast<uint64_t>(length) > data.size() - at) {
      return Fail(ErrorCode::kCorrupt, "DELTA_LENGTH_BYTE_ARRAY value of {} bytes exceeds the page",
                  length);
    }
    out->emplace_back(data.data() + at, static_cast<size_t>(length));
    at += static_cast<size_t>(length);
  }
  *size = at;
  return Ok();
}

// DELTA_BYTE_ARRAY: prefix lengths shared with the previous value, then
// the suffixes as DELTA_LENGTH_BYTE_ARRAY.
Status DecodeDeltaByteArray(std::string_view data, size_t count,
                            std::vector<std::string>* out) {
  std::vector<int64_t> prefixes;
  size_t at = 0;
  PROM_TRY(DecodeDeltaBinaryPacked(data, count, &prefixes, &at));
  std::vector<std::string> suffixes;
  size_t used = 0;
  PROM_TRY(DecodeDeltaLength(data.substr(at), count, &suffixes, &used));
  if (prefixes.size() != count || suffixes.size() != count) {
    return Fail(ErrorCode::kCorrupt, "DELTA_BYTE_ARRAY holds {} values, expected {}",
                prefixes.size(), count);
  }
  std::string previous;
  for (size_t i = 0; i < count; ++i) {
    if (prefixes[i] < 0 ||
        static_cast<uint64_t>(prefixes[i]) > previous.size()) {
      return Fail(ErrorCode::kCorrupt, "DELTA_BYTE_ARRAY prefix {} exceeds the previous value",
                  prefixes[i]);
    }
    std::string value = previous.substr(0, static_cast<size_t>(prefixes[i]));
    value += suffixes[i];
    out->push_back(value);
    previous = std::move(value);
  }
  return Ok();
}

}  // namespace

Status DecodeDeltaBinaryPacked(std::string_view data, size_t max_values,
                               std::vector<int64_t>* out, size_t* size) {
  const auto* begin = reinterpret_cast<const uint8_t*>(data.data());
  const uint8_t* at = begin;
  const uint8_t* end = begin + data.size();
  bool ok = true;
  auto varint = [&]() -> uint64_t {
    uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (at == end) break;
      const uint8_t byte = *at++;
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    ok = false;
    return 0;
  };
  auto zigzag = [&]() {
    const uint64_t v = varint();
    return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
  };
  const uint64_t block_size = varint();
  const uint64_t miniblocks = varint();
  const uint64_t total = varint();
  int64_t value = zigzag();
  if (!ok || block_size == 0 || miniblocks == 0 || block_size % miniblocks ||
      (block_size / miniblocks) % 8 != 0 || miniblocks > 4096) {
    return Fail(ErrorCode::kCorrupt, "DELTA_BINARY_PACKED: corrupt header");
  }
  if (total > max_values) {
    return Fail(ErrorCode::kCorrupt, "DELTA_BINARY_PACKED holds {} values, at most {} expected",
                total, max_values);
  }
  const uint64_t per_miniblock = block_size / miniblocks;
  if (total > 0) out->push_back(value);
  uint64_t left = total > 0 ? total - 1 : 0;
  uint8_t widths[4096];
  while (left > 0) {
    const int64_t min_delta = zigzag();
    if (!ok || static_cast<uint64_t>(end - at) < miniblocks) {
      return Fail(ErrorCode::kCorrupt, "DELTA_BINARY_PACKED: truncated block header");
    }
    std::memcpy(widths, at, miniblocks);
    at += miniblocks;
    for (uint64_t m = 0; m < miniblocks && left > 0; ++m) {
      const int width = widths[m];
      if (width > 64) return Fail(ErrorCode::kCorrupt, "DELTA_BINARY_PACKED: bit width {}", width);
      const uint64_t bytes = per_miniblock * width / 8;
      if (static_cast<uint64_t>(end - at) < bytes) {
        return Fail(ErrorCode::kCorrupt, "DELTA_BINARY_PACKED: truncated miniblock");
      }
      const uint64_t n = std::min(per_miniblock, left);
      uint64_t bit = 0;
      for (uint64_t i = 0; i < n; ++i) {
        uint64_t delta = 0;
        for (int b = 0; b < width;) {
          const uint64_t byte = at[(bit + b) >> 3];
          const int shift = static_cast<int>((bit + b) & 7);
          const int take = std::min(8 - shift, width - b);
          delta |= ((byte >> shift) & ((1u << take) - 1)) << b;
          b += take;
        }
        bit += width;
        value = static_cast<int64_t>(static_cast<uint64_t>(value) +
                                     static_cast<uint64_t>(min_delta) + delta);
        out->push_back(value);
      }
      at += bytes;
      left -= n;
    }
  }
  *size = static_cast<size_t>(at - begin);
  return Ok();
}

Status DecodeValues(const ValueFormat& f, int32_t encoding,
                    std::string_view data, size_t count, ColumnVector* out) {
  const size_t ints_before = out->ints.size();
  switch (encoding) {
    case kPlain:
      PROM_TRY(DecodePlain(f, data, count, out));
      break;
    case kRle:
      if (f.physical != PhysicalType::kBoolean) {
        return Fail(ErrorCode::kCorrupt, "RLE values are only defined for BOOLEAN, not {}",
                    PhysicalTypeName(f.physical));
      }
      PROM_TRY(DecodeRleBooleans(data, count, out));
      break;
    case kByteStreamSplit:
      PROM_TRY(DecodeByteStreamSplit(f, data, count, out));
      break;
    case kDeltaBinaryPacked: {
      if (f.physical != PhysicalType::kInt32 &&
          f.physical != PhysicalType::kInt64) {
        return Fail(ErrorCode::kCorrupt, "DELTA_BINARY_PACKED is not defined for {}",
                    PhysicalTypeName(f.physical));
      }
      std::vector<int64_t> values;
      size_t used = 0;
      PROM_TRY(DecodeDeltaBinaryPacked(data, count, &values, &used));
      if (values.size() != count) {
        return Fail(ErrorCode::kCorrupt, "DELTA_BINARY_PACKED holds {} values, expected {}",
                    values.size(), count);
      }
      for (int64_t v : values) {
        if (f.physical == PhysicalType::kInt32) {
          const auto v32 = static_cast<int32_t>(v);
          v = f.unsigned32 ? int64_t{static_cast<uint32_t>(v32)} : v32;
        }
        out->ints.push_back(v);
      }
      break;
    }
    case kDeltaLengthByteArray:
    case kDeltaByteArray: {
      if (f.physical != PhysicalType::kByteArray &&
          f.physical != PhysicalType::kFixedLenByteArray) {
        return Fail(ErrorCode::kCorrupt, "{} is not defined for {}",
                    encoding == kDeltaByteArray ? "DELTA_BYTE_ARRAY"
                                                : "DELTA_LENGTH_BYTE_ARRAY",
                    PhysicalTypeName(f.physical));
      }
      size_t used = 0;
      if (encoding == kDeltaByteArray) {
        PROM_TRY(DecodeDeltaByteArray(data, count, &out->strings));
      } else {
        PROM_TRY(DecodeDeltaLength(data, count, &out->strings, &used));
      }
      break;
    }
    default:
      return Fail(ErrorCode::kCorrupt,
          "value encoding {} is not supported (supported: PLAIN, "
          "PLAIN_DICTIONARY, RLE_DICTIONARY, RLE, DELTA_BINARY_PACKED, "
          "DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY, "
          "BYTE_STREAM_SPLIT)",
          encoding);
  }
  if (f.physical == PhysicalType::kInt64 &&
      (f.multiply != 1 || f.divide != 1)) {
    for (size_t i = ints_before; i < out->ints.size(); ++i) {
      out->ints[i] = FloorDiv(out->ints[i] * f.multiply, f.divide);
    }
  }
  return Ok();
}

Status DecodeDictionaryIndices(const ValueFormat& f, std::string_view data,
                               size_t count, const ColumnVector& dictionary,
                               ColumnVector* out) {
  if (data.empty()) {
    if (count == 0) return Ok();
    return Fail(ErrorCode::kCorrupt, "dictionary indices: empty page for {} values", count);
  }
  const int width = static_cast<uint8_t>(data[0]);
  if (width > 32) return Fail(ErrorCode::kCorrupt, "dictionary indices: bit width {}", width);
  std::vector<uint32_t> indices(count);
  RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(data.data()) + 1,
                              data.size() - 1, width);
  if (!decoder.Decode(indices.data(), count)) {
    return Fail(ErrorCode::kCorrupt, "dictionary indices end before {} values", count);
  }
  const bool strings = f.physical == PhysicalType::kByteArray ||
                       f.physical == PhysicalType::kFixedLenByteArray;
  const bool doubles =
      f.physical == PhysicalType::kFloat || f.physical == PhysicalType::kDouble;
  const size_t size = strings   ? dictionary.strings.size()
                      : doubles ? dictionary.doubles.size()
                                : dictionary.ints.size();
  for (uint32_t index : indices) {
    if (index >= size) {
      return Fail(ErrorCode::kCorrupt, "dictionary index {} is past the {} dictionary entries",
                  index, size);
    }
    if (strings) {
      out->strings.push_back(dictionary.strings[index]);
    } else if (doubles) {
      out->doubles.push_back(dictionary.doubles[index]);
    } else {
      out->ints.push_back(dictionary.ints[index]);
    }
  }
  return Ok();
}

}  // namespace prometheus::parquet::internal

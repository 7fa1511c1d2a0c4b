#include "prometheus/parquet/internal/compression.h"

#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include "prometheus/parquet/internal/parquet_metadata.h"

namespace prometheus::parquet::internal {
namespace {

// zstd's own default level, which DuckDB and arrow use too.
constexpr int kZstdLevel = 3;

uint32_t LoadBe32(const char* p) {
  const auto* b = reinterpret_cast<const uint8_t*>(p);
  return (uint32_t{b[0]} << 24) | (uint32_t{b[1]} << 16) |
         (uint32_t{b[2]} << 8) | b[3];
}

Status Gunzip(std::string_view input, size_t size, std::string* out) {
  z_stream z{};
  // 32 + MAX_WBITS: accept gzip or zlib headers.
  if (inflateInit2(&z, 32 + MAX_WBITS) != Z_OK) {
    return Fail(ErrorCode::kInternal, "GZIP: cannot initialise zlib");
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = reinterpret_cast<Bytef*>(out->data());
  z.avail_out = static_cast<uInt>(size);
  int rc = Z_OK;
  while (true) {
    rc = inflate(&z, Z_NO_FLUSH);
    // Several gzip members may follow each other.
    if (rc == Z_STREAM_END && z.avail_in > 0 && z.avail_out > 0) {
      if (inflateReset(&z) != Z_OK) break;
      continue;
    }
    break;
  }
  const size_t produced = size - z.avail_out;
  inflateEnd(&z);
  if ((rc != Z_STREAM_END && rc != Z_OK) || produced != size) {
    return Fail(ErrorCode::kCorrupt, "GZIP: corrupt data ({} of {} bytes decompressed)", produced,
                size);
  }
  return Ok();
}

// Parquet's deprecated LZ4 is Hadoop's framing: blocks of big-endian
// uncompressed and compressed lengths, then raw LZ4. Some writers used
// raw LZ4 instead, which we try when the framing does not fit.
Status HadoopLz4(std::string_view input, size_t size, std::string* out) {
  size_t in = 0;
  size_t produced = 0;
  while (in + 8 <= input.size() && produced < size) {
    const uint32_t raw = LoadBe32(input.data() + in);
    const uint32_t compressed = LoadBe32(input.data() + in + 4);
    if (raw > size - produced || compressed > input.size() - in - 8) break;
    const int n = LZ4_decompress_safe(
        input.data() + in + 8, out->data() + produced,
        static_cast<int>(compressed), static_cast<int>(raw));
    if (n < 0 || static_cast<uint32_t>(n) != raw) break;
    in += 8 + compressed;
    produced += raw;
  }
  if (produced == size && in == input.size()) return Ok();
  const int n = LZ4_decompress_safe(input.data(), out->data(),
                                    static_cast<int>(input.size()),
                                    static_cast<int>(size));
  if (n >= 0 && static_cast<size_t>(n) == size) return Ok();
  return Fail(ErrorCode::kCorrupt, "LZ4: corrupt data");
}

}  // namespace

PageCompressor::PageCompressor(int32_t codec) : codec_(codec) {
  if (codec_ == kZstd) zstd_ = ZSTD_createCCtx();
}

PageCompressor::~PageCompressor() {
  if (zstd_) ZSTD_freeCCtx(static_cast<ZSTD_CCtx*>(zstd_));
}

std::string_view PageCompressor::Compress(std::string_view input) {
  switch (codec_) {
    case kSnappy: {
      const size_t max = snappy::MaxCompressedLength(input.size());
      if (buffer_.size() < max) buffer_.resize(max);
      size_t n = 0;
      snappy::RawCompress(input.data(), input.size(), buffer_.data(), &n);
      return {buffer_.data(), n};
    }
    case kZstd: {
      const size_t max = ZSTD_compressBound(input.size());
      if (buffer_.size() < max) buffer_.resize(max);
      const size_t n = ZSTD_compressCCtx(
          static_cast<ZSTD_CCtx*>(zstd_), buffer_.data(), buffer_.size(),
          input.data(), input.size(), kZstdLevel);
      // Cannot fail with a bound-sized buffer; stay safe regardless.
      if (ZSTD_isError(n)) return {};
      return {buffer_.data(), n};
    }
    default:
      return input;
  }
}

PageDecompressor::PageDecompressor() = default;

PageDecompressor::~PageDecompressor() {
  if (zstd_) ZSTD_freeDCtx(static_cast<ZSTD_DCtx*>(zstd_));
}

Status PageDecompressor::Decompress(int32_t codec, std::string_view input,
                                    size_t size, std::string* out) {
  switch (codec) {
    case kUncompressed:
      if (input.size() != size) {
        return Fail(ErrorCode::kCorrupt, "UNCOMPRESSED page holds {} bytes, its header says {}",
                    input.size(), size);
      }
      out->assign(input);
      return Ok();
    case kSnappy: {
      size_t length = 0;
      if (!snappy::GetUncompressedLength(input.data(), input.size(), &length) ||
          length != size) {
        return Fail(ErrorCode::kCorrupt, "SNAPPY: corrupt data or wrong length (expected {} bytes)",
                    size);
      }
      out->resize(size);
      if (!snappy::RawUncompress(input.data(), input.size(), out->data())) {
        return Fail(ErrorCode::kCorrupt, "SNAPPY: corrupt data");
      }
      return Ok();
    }
    case kZstd: {
      const unsigned long long declared =
          ZSTD_getFrameContentSize(input.data(), input.size());
      if (declared == ZSTD_CONTENTSIZE_ERROR ||
          (declared != ZSTD_CONTENTSIZE_UNKNOWN && declared != size)) {
        return Fail(ErrorCode::kCorrupt, "ZSTD: corrupt frame or wrong length (expected {} bytes)",
                    size);
      }
      if (!zstd_) zstd_ = ZSTD_createDCtx();
      out->resize(size);
      const size_t n =
          ZSTD_decompressDCtx(static_cast<ZSTD_DCtx*>(zstd_), out->data(), size,
                              input.data(), input.size());
      if (ZSTD_isError(n) || n != size) {
        return Fail(ErrorCode::kCorrupt, "ZSTD: corrupt data ({})",
                    ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short output");
      }
      return Ok();
    }
    case kGzip:
      // Deflate expands at most 1032:1; a larger claim is corrupt, and
      // must not make us allocate it.
      if (size > input.size() * 1032 + 64) {
        return Fail(ErrorCode::kCorrupt, "GZIP: page claims {} bytes from {}", size, input.size());
      }
      out->resize(size);
      return Gunzip(input, size, out);
    case kLz4Raw: {
      if (size > input.size() * 256 + 64) {  // LZ4 expands at most 255:1
        return Fail(ErrorCode::kCorrupt, "LZ4_RAW: page claims {} bytes from {}", size,
                    input.size());
      }
      out->resize(size);
      const int n = LZ4_decompress_safe(input.data(), out->data(),
                                        static_cast<int>(input.size()),
                                        static_cast<int>(size));
      if (n < 0 || static_cast<size_t>(n) != size) {
        return Fail(ErrorCode::kCorrupt, "LZ4_RAW: corrupt data");
      }
      return Ok();
    }
    case kLz4:
      if (size > input.size() * 256 + 64) {
        return Fail(ErrorCode::kCorrupt, "LZ4: page claims {} bytes from {}", size, input.size());
      }
      out->resize(size);
      return HadoopLz4(input, size, out);
    default:
      return Fail(ErrorCode::kCorrupt,
          "codec {} is not supported (supported: UNCOMPRESSED, "
          "SNAPPY, GZIP, ZSTD, LZ4_RAW, LZ4)",
          CodecName(codec));
  }
}

}  // namespace prometheus::parquet::internal

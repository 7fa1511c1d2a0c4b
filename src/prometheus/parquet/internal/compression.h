// The page codecs of Parquet (Compression.md): we write SNAPPY and ZSTD and
// read those plus GZIP, LZ4_RAW and Hadoop-framed LZ4.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "prometheus/base/result.h"

namespace prometheus::parquet::internal {

// Compresses pages with one codec, reusing its buffers and contexts.
class PageCompressor {
 public:
  // `codec` is a parquet CompressionCodec: UNCOMPRESSED, SNAPPY or ZSTD.
  explicit PageCompressor(int32_t codec);
  ~PageCompressor();
  PageCompressor(const PageCompressor&) = delete;
  PageCompressor& operator=(const PageCompressor&) = delete;

  // The compressed bytes of `input`, valid until the next call (for
  // UNCOMPRESSED, `input` itself).
  std::string_view Compress(std::string_view input);

 private:
  int32_t codec_;
  std::string buffer_;
  void* zstd_ = nullptr;  // ZSTD_CCtx*
};

// Decompresses pages, reusing its contexts.
class PageDecompressor {
 public:
  PageDecompressor();
  ~PageDecompressor();
  PageDecompressor(const PageDecompressor&) = delete;
  PageDecompressor& operator=(const PageDecompressor&) = delete;

  // Decompresses `input` into `out`, which must come out exactly
  // `uncompressed_size` bytes long. The error names the codec and what
  // went wrong.
  Status Decompress(int32_t codec, std::string_view input,
                    size_t uncompressed_size, std::string* out);

 private:
  void* zstd_ = nullptr;  // ZSTD_DCtx*
};

}  // namespace prometheus::parquet::internal

// Codecs whose libraries stream by themselves: zstd frames and gzip members.
#pragma once

#include <memory>

#include "prometheus/io/byte_source.h"

namespace prometheus::io::internal {

// Decodes concatenated zstd frames, as zstd-jni's ZstdOutputStream writes.
std::unique_ptr<ByteSource> NewZstdSource(
    std::unique_ptr<ByteSource> compressed);

// Decodes concatenated gzip members (or zlib streams).
std::unique_ptr<ByteSource> NewGzipSource(
    std::unique_ptr<ByteSource> compressed);

}  // namespace prometheus::io::internal

// lz4-java's LZ4BlockOutputStream framing, as Spark's LZ4CompressionCodec
// writes it.
#pragma once

#include <memory>

#include "prometheus/io/byte_source.h"

namespace prometheus::io::internal {

// Decodes "LZ4Block" blocks; an empty RAW block ends one stream and further
// streams may follow it. Block checksums are verified.
std::unique_ptr<ByteSource> NewLz4BlockSource(
    std::unique_ptr<ByteSource> compressed);

}  // namespace prometheus::io::internal

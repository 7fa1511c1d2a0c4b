// compress-lzf's chunk framing ("ZV" chunks), as Spark's LZFCompressionCodec
// writes it.
#pragma once

#include <memory>

#include "prometheus/io/byte_source.h"

namespace prometheus::io::internal {

// Decodes "ZV" chunks, stored or LZF-compressed, each at most 64 KiB.
std::unique_ptr<ByteSource> NewLzfSource(
    std::unique_ptr<ByteSource> compressed);

}  // namespace prometheus::io::internal

// snappy-java's SnappyOutputStream framing, as Spark's SnappyCompressionCodec
// writes it.
#pragma once

#include <memory>

#include "prometheus/io/byte_source.h"

namespace prometheus::io::internal {

// Decodes a "\x82SNAPPY\0" header followed by length-prefixed raw Snappy
// blocks; a header may reappear where streams were concatenated.
std::unique_ptr<ByteSource> NewSnappySource(
    std::unique_ptr<ByteSource> compressed);

}  // namespace prometheus::io::internal

// Runs another ByteSource on a background thread, a few buffers ahead, so
// that decompression on one core overlaps parsing on another.
#pragma once

#include <memory>

#include "prometheus/io/byte_source.h"

namespace prometheus::io {

// Reads `inner` on its own thread into `buffers` buffers of `buffer_bytes`
// each; memory stays bounded whatever the stream's size. Errors of `inner`
// are returned by Read in stream order.
std::unique_ptr<ByteSource> Prefetch(std::unique_ptr<ByteSource> inner,
                                     size_t buffer_bytes = 1 << 20,
                                     size_t buffers = 4);

}  // namespace prometheus::io

// Compression codecs of Spark and Databricks event logs, with Spark's own
// framing for each (not the bare algorithm).
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/io/byte_source.h"

namespace prometheus::io {

enum class Codec {
  kNone,
  kLz4,     // lz4-java LZ4BlockOutputStream ("LZ4Block" blocks)
  kLzf,     // compress-lzf chunks ("ZV")
  kSnappy,  // snappy-java SnappyOutputStream ("\x82SNAPPY\0" header)
  kZstd,    // zstd frames
  kGzip,    // gzip members, as Databricks rotates logs
};

std::string_view CodecName(Codec codec);

// The codec of a short name ("lz4", "zstd", ...) or a Spark codec class name
// ("org.apache.spark.io.LZFCompressionCodec"), or kNone.
Codec CodecFromName(std::string_view name);

// The codec a file name implies: Spark names logs `<name>.<codec>`, and
// `.inprogress` may follow the codec suffix.
Codec CodecFromPath(const std::filesystem::path& path);

// The codec the first bytes of a stream show, or kNone when no magic matches.
Codec CodecFromMagic(std::string_view head);

// Wraps `compressed` so that reads return the decompressed bytes. A stream
// that ends inside a block (an in-progress log) ends at the last whole block.
std::unique_ptr<ByteSource> Decompress(Codec codec,
                                       std::unique_ptr<ByteSource> compressed);

}  // namespace prometheus::io

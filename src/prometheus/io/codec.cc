#include "prometheus/io/codec.h"

#include <string>
#include <utility>

#include "prometheus/io/internal/lz4_block_source.h"
#include "prometheus/io/internal/lzf_source.h"
#include "prometheus/io/internal/snappy_source.h"
#include "prometheus/io/internal/stream_sources.h"

namespace prometheus::io {
namespace {

constexpr std::string_view kInProgress = ".inprogress";

}  // namespace

std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNone:
      return "none";
    case Codec::kLz4:
      return "lz4";
    case Codec::kLzf:
      return "lzf";
    case Codec::kSnappy:
      return "snappy";
    case Codec::kZstd:
      return "zstd";
    case Codec::kGzip:
      return "gzip";
  }
  return "unknown";
}

Codec CodecFromName(std::string_view name) {
  // Spark 1.x wrote the configured value: a short name or a class name.
  constexpr std::string_view kPackage = "org.apache.spark.io.";
  if (name.starts_with(kPackage)) {
    name.remove_prefix(kPackage.size());
    if (name == "LZ4CompressionCodec") return Codec::kLz4;
    if (name == "LZFCompressionCodec") return Codec::kLzf;
    if (name == "SnappyCompressionCodec") return Codec::kSnappy;
    if (name == "ZStdCompressionCodec") return Codec::kZstd;
    return Codec::kNone;
  }
  if (name == "lz4") return Codec::kLz4;
  if (name == "lzf") return Codec::kLzf;
  if (name == "snappy") return Codec::kSnappy;
  if (name == "zstd" || name == "zst") return Codec::kZstd;
  if (name == "gz" || name == "gzip") return Codec::kGzip;
  return Codec::kNone;
}

Codec CodecFromPath(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  // Spark names a compacted log `<last part>.compact`, and a live one
  // `<name>.inprogress`; the codec suffix comes before either.
  for (std::string_view marker : {std::string_view(".compact"), kInProgress}) {
    if (name.ends_with(marker)) name.resize(name.size() - marker.size());
  }
  // Like Spark, the codec is whatever follows the last dot.
  size_t dot = name.rfind('.');
  if (dot == std::string::npos) return Codec::kNone;
  return CodecFromName(std::string_view(name).substr(dot + 1));
}

Codec CodecFromMagic(std::string_view head) {
  using namespace std::string_view_literals;
  if (head.starts_with("\x28\xB5\x2F\xFD"sv)) return Codec::kZstd;
  if (head.starts_with("\x1F\x8B"sv)) return Codec::kGzip;
  if (head.starts_with("LZ4Block"sv)) return Codec::kLz4;
  if (head.starts_with("ZV"sv)) return Codec::kLzf;
  if (head.starts_with("\x82SNAPPY\0"sv)) return Codec::kSnappy;
  return Codec::kNone;
}

std::unique_ptr<ByteSource> Decompress(Codec codec,
                                       std::unique_ptr<ByteSource> compressed) {
  switch (codec) {
    case Codec::kNone:
      return compressed;
    case Codec::kLz4:
      return internal::NewLz4BlockSource(std::move(compressed));
    case Codec::kLzf:
      return internal::NewLzfSource(std::move(compressed));
    case Codec::kSnappy:
      return internal::NewSnappySource(std::move(compressed));
    case Codec::kZstd:
      return internal::NewZstdSource(std::move(compressed));
    case Codec::kGzip:
      return internal::NewGzipSource(std::move(compressed));
  }
  return compressed;
}

}  // namespace prometheus::io

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

Codec CodecFromPath(const std::filesystem::path& path) {
  std::string name = path.filename().string();
  if (name.ends_with(kInProgress))
    name.resize(name.size() - kInProgress.size());
  // Like Spark, the codec is whatever follows the last dot.
  size_t dot = name.rfind('.');
  if (dot == std::string::npos) return Codec::kNone;
  std::string_view suffix = std::string_view(name).substr(dot + 1);
  if (suffix == "lz4") return Codec::kLz4;
  if (suffix == "lzf") return Codec::kLzf;
  if (suffix == "snappy") return Codec::kSnappy;
  if (suffix == "zstd" || suffix == "zst") return Codec::kZstd;
  if (suffix == "gz") return Codec::kGzip;
  return Codec::kNone;
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

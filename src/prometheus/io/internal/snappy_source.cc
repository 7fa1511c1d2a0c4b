#include "prometheus/io/internal/snappy_source.h"

#include <snappy.h>

#include <cstdint>
#include <string_view>

#include "prometheus/io/internal/block_source.h"

namespace prometheus::io::internal {
namespace {

// Stream header: magic, then big-endian int32 version and compatible
// version; the oldest reader version that can read the stream must be 1.
constexpr std::string_view kMagic("\x82SNAPPY\0", 8);
constexpr size_t kHeaderSize = 16;
constexpr uint32_t kReadableVersion = 1;
// Each block: big-endian int32 length, then a raw Snappy block. snappy-java
// refuses chunks above 512 MiB, and so do we.
constexpr size_t kLengthSize = 4;
constexpr uint32_t kMaxChunk = 512u << 20;

class SnappySource final : public BlockSource {
 public:
  using BlockSource::BlockSource;

 private:
  Result<Block> NextBlock() override {
    PROM_ASSIGN_OR_RETURN(bool whole, in().Ensure(kLengthSize));
    if (!whole) return Block();
    const uint64_t at = in().offset();
    // A chunk length is never negative, so a leading 0x82 starts a header.
    if (std::string_view(in().data(), kLengthSize) == kMagic.substr(0, 4)) {
      PROM_ASSIGN_OR_RETURN(whole, in().Ensure(kHeaderSize));
      if (!whole) return Block();
      return ReadHeader(at);
    }
    if (at == 0) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt Snappy stream: expected snappy-java header "
          "\"\\x82SNAPPY\\0\" at byte 0",
          name());
    }
    const uint32_t length = LoadBe32(in().data());
    if (length == 0 || length > kMaxChunk) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt Snappy stream: chunk at byte {} claims {} "
          "bytes, expected 1 to {}",
          name(), at, static_cast<int32_t>(length), kMaxChunk);
    }
    PROM_ASSIGN_OR_RETURN(whole, in().Ensure(kLengthSize + length));
    if (!whole) return Block();
    const char* payload = in().data() + kLengthSize;
    size_t original = 0;
    if (!snappy::GetUncompressedLength(payload, length, &original) ||
        original > kMaxChunk) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt Snappy stream: chunk at byte {} has no valid "
          "decompressed length",
          name(), at);
    }
    char* out = output_.Reserve(original);
    if (!snappy::RawUncompress(payload, length, out)) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt Snappy stream: chunk at byte {} does not "
          "decompress to its declared {} bytes",
          name(), at, original);
    }
    in().Consume(kLengthSize + length);
    return Block(std::span<const char>(out, original));
  }

  Result<Block> ReadHeader(uint64_t at) {
    const char* header = in().data();
    if (std::string_view(header, kMagic.size()) != kMagic) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt Snappy stream: expected snappy-java header "
          "\"\\x82SNAPPY\\0\" at byte {}",
          name(), at);
    }
    const uint32_t compatible = LoadBe32(header + 12);
    if (compatible > kReadableVersion) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: Snappy stream header at byte {} needs reader version "
          "{}, expected {}",
          name(), at, compatible, kReadableVersion);
    }
    in().Consume(kHeaderSize);
    return Block(std::span<const char>());
  }

  BlockBuffer output_;
};

}  // namespace

std::unique_ptr<ByteSource> NewSnappySource(
    std::unique_ptr<ByteSource> compressed) {
  return std::make_unique<SnappySource>(std::move(compressed));
}

}  // namespace prometheus::io::internal

#include "prometheus/io/internal/lz4_block_source.h"

#include <lz4.h>

#include <cstdint>
#include <cstring>
#include <string_view>

#include "prometheus/io/internal/block_source.h"
#include "prometheus/io/internal/xxhash32.h"

namespace prometheus::io::internal {
namespace {

// Block header: magic, token, compressed length, decompressed length and
// checksum, the integers little-endian.
constexpr std::string_view kMagic = "LZ4Block";
constexpr size_t kHeaderSize = 8 + 1 + 4 + 4 + 4;
// The token's high nibble is the method; its low nibble is the level, which
// bounds a block's decompressed size at 1 << (10 + level).
constexpr int kMethodRaw = 0x10;
constexpr int kMethodLz4 = 0x20;
constexpr int kLevelBase = 10;
// lz4-java's checksum: XXH32 with this seed, masked to its low 28 bits
// (StreamingXXHash32.asChecksum).
constexpr uint32_t kChecksumSeed = 0x9747b28c;
constexpr uint32_t kChecksumMask = 0x0FFFFFFF;

class Lz4BlockSource final : public BlockSource {
 public:
  using BlockSource::BlockSource;

 private:
  Result<Block> NextBlock() override {
    PROM_ASSIGN_OR_RETURN(bool whole_header, in().Ensure(kHeaderSize));
    if (!whole_header) return Block();
    const char* header = in().data();
    const uint64_t at = in().offset();
    if (std::string_view(header, kMagic.size()) != kMagic) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt LZ4 stream: expected block magic \"LZ4Block\" "
          "at byte {}",
          name(), at);
    }
    const int token = static_cast<unsigned char>(header[8]);
    const int method = token & 0xF0;
    const int level = token & 0x0F;
    const int32_t compressed = static_cast<int32_t>(LoadLe32(header + 9));
    const int32_t original = static_cast<int32_t>(LoadLe32(header + 13));
    const uint32_t checksum = LoadLe32(header + 17);
    if (method != kMethodRaw && method != kMethodLz4) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt LZ4 stream: block at byte {} has token {:#04x}, "
          "expected method 0x10 (raw) or 0x20 (LZ4)",
          name(), at, token);
    }
    const int32_t max_original = int32_t{1} << (kLevelBase + level);
    if (original < 0 || original > max_original || compressed < 0 ||
        compressed > LZ4_compressBound(max_original) ||
        (original == 0) != (compressed == 0) ||
        (method == kMethodRaw && compressed != original)) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt LZ4 stream: block at byte {} has impossible lengths "
          "{} decompressed, {} compressed; token {:#04x} allows 1 to {} "
          "decompressed bytes in at most the LZ4 bound",
          name(), at, original, compressed, token, max_original);
    }
    if (original == 0) {
      // lz4-java's "finished" block; another stream may be appended to it.
      if (method != kMethodRaw || checksum != 0) {
        return Fail(
            ErrorCode::kCorrupt,
            "{}: corrupt LZ4 stream: end-of-stream block at byte {} "
            "expected a raw method and zero checksum",
            name(), at);
      }
      in().Consume(kHeaderSize);
      return Block(std::span<const char>());
    }
    PROM_ASSIGN_OR_RETURN(bool whole_block,
                          in().Ensure(kHeaderSize + compressed));
    if (!whole_block) return Block();
    const char* payload = in().data() + kHeaderSize;
    const char* bytes = payload;
    if (method == kMethodLz4) {
      char* out = output_.Reserve(original);
      int got = LZ4_decompress_safe(payload, out, compressed, original);
      if (got != original) {
        return Fail(
            ErrorCode::kCorrupt,
            "{}: corrupt LZ4 stream: block at byte {} does not "
            "decompress to its declared {} bytes",
            name(), at, original);
      }
      bytes = out;
    }
    uint32_t computed =
        XxHash32(bytes, original, kChecksumSeed) & kChecksumMask;
    if (computed != checksum) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt LZ4 stream: block at byte {} has header "
          "checksum {:#x}, expected {:#x} from its contents",
          name(), at, checksum, computed);
    }
    in().Consume(kHeaderSize + compressed);
    return Block(std::span<const char>(bytes, original));
  }

  BlockBuffer output_;
};

}  // namespace

std::unique_ptr<ByteSource> NewLz4BlockSource(
    std::unique_ptr<ByteSource> compressed) {
  return std::make_unique<Lz4BlockSource>(std::move(compressed));
}

}  // namespace prometheus::io::internal

#include "prometheus/io/internal/lzf_source.h"

#include <lzf.h>

#include <cstdint>

#include "prometheus/io/internal/block_source.h"

namespace prometheus::io::internal {
namespace {

// Chunk header: 'Z', 'V', type, then the big-endian uint16 payload length,
// and for compressed chunks the uint16 decompressed length.
constexpr int kTypeStored = 0;
constexpr int kTypeCompressed = 1;
constexpr size_t kStoredHeaderSize = 5;
constexpr size_t kCompressedHeaderSize = 7;

class LzfSource final : public BlockSource {
 public:
  using BlockSource::BlockSource;

 private:
  Result<Block> NextBlock() override {
    PROM_ASSIGN_OR_RETURN(bool whole, in().Ensure(kStoredHeaderSize));
    if (!whole) return Block();
    const char* header = in().data();
    const uint64_t at = in().offset();
    if (header[0] != 'Z' || header[1] != 'V') {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt LZF stream: expected chunk magic \"ZV\" at "
          "byte {}",
          name(), at);
    }
    const int type = static_cast<unsigned char>(header[2]);
    const size_t length = LoadBe16(header + 3);
    if (type == kTypeStored) {
      PROM_ASSIGN_OR_RETURN(whole, in().Ensure(kStoredHeaderSize + length));
      if (!whole) return Block();
      std::span<const char> bytes(in().data() + kStoredHeaderSize, length);
      in().Consume(kStoredHeaderSize + length);
      return Block(bytes);
    }
    if (type != kTypeCompressed) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt LZF stream: chunk at byte {} has type {}, "
          "expected 0 (stored) or 1 (compressed)",
          name(), at, type);
    }
    PROM_ASSIGN_OR_RETURN(whole, in().Ensure(kCompressedHeaderSize));
    if (!whole) return Block();
    const size_t original = LoadBe16(in().data() + 5);
    if (length == 0 || original == 0) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt LZF stream: compressed chunk at byte {} has "
          "lengths {} and {}, expected both nonzero",
          name(), at, length, original);
    }
    PROM_ASSIGN_OR_RETURN(whole, in().Ensure(kCompressedHeaderSize + length));
    if (!whole) return Block();
    char* out = output_.Reserve(original);
    unsigned got = lzf_decompress(in().data() + kCompressedHeaderSize,
                                  static_cast<unsigned>(length), out,
                                  static_cast<unsigned>(original));
    if (got != original) {
      return Fail(
          ErrorCode::kCorrupt,
          "{}: corrupt LZF stream: chunk at byte {} does not "
          "decompress to its declared {} bytes",
          name(), at, original);
    }
    in().Consume(kCompressedHeaderSize + length);
    return Block(std::span<const char>(out, original));
  }

  BlockBuffer output_;
};

}  // namespace

std::unique_ptr<ByteSource> NewLzfSource(
    std::unique_ptr<ByteSource> compressed) {
  return std::make_unique<LzfSource>(std::move(compressed));
}

}  // namespace prometheus::io::internal

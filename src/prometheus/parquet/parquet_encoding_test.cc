// The RLE / bit-packed hybrid and DELTA_BINARY_PACKED against the examples
// of parquet-format's Encodings.md, and round trips over many widths.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "prometheus/parquet/internal/parquet_testing.h"
#include "prometheus/parquet/internal/rle.h"
#include "prometheus/parquet/internal/value_decoder.h"

namespace prometheus::parquet::internal {
namespace {

TEST(RleBitPackedTest, BitPacksAsTheSpecExample) {
  // Encodings.md: 0..7 with bit width 3 pack to 10001000 11000110 11111010,
  // after the run header (1 group << 1 | 1).
  const uint32_t values[] = {0, 1, 2, 3, 4, 5, 6, 7};
  std::string out;
  AppendRleBitPacked(values, 8, 3, &out);
  EXPECT_EQ(out, Bytes({0x03, 0x88, 0xC6, 0xFA}));
}

TEST(RleBitPackedTest, RepeatsBecomeRunsAfterFullGroups) {
  // 0, 1, 0, then 97 ones: the first group of 8 borrows five ones and is
  // bit-packed (01011111 read LSB first: 0xFA); the other 92 ones become
  // one RLE run (92 << 1 = 184 = varint B8 01, then the value byte).
  std::vector<uint8_t> levels(100, 1);
  levels[0] = levels[2] = 0;
  std::string out;
  AppendRleBitPacked(levels.data(), levels.size(), 1, &out);
  EXPECT_EQ(out, Bytes({0x03, 0xFA, 0xB8, 0x01, 0x01}));
  std::vector<uint8_t> back(100);
  RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(out.data()),
                              out.size(), 1);
  ASSERT_TRUE(decoder.Decode(back.data(), back.size()));
  EXPECT_EQ(back, levels);
}

TEST(RleBitPackedTest, RoundTripsEveryWidth) {
  std::mt19937 random(5);
  for (int width = 1; width <= 32; ++width) {
    const uint64_t limit = width == 32 ? 0xffffffffull : (1ull << width) - 1;
    std::vector<uint32_t> values;
    while (values.size() < 5000) {
      const uint32_t v = static_cast<uint32_t>(random() % (limit + 1));
      const size_t repeat = random() % 4 == 0 ? random() % 40 : 1;
      values.insert(values.end(), repeat + 1, v);
    }
    std::string out;
    AppendRleBitPacked(values.data(), values.size(), width, &out);
    std::vector<uint32_t> back(values.size());
    RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(out.data()),
                                out.size(), width);
    ASSERT_TRUE(decoder.Decode(back.data(), back.size())) << width;
    EXPECT_EQ(back, values) << width;
    // Asking for more than was encoded (past the padding) fails cleanly.
    std::vector<uint32_t> more(values.size() + 100);
    RleBitPackedDecoder again(reinterpret_cast<const uint8_t*>(out.data()),
                              out.size(), width);
    EXPECT_FALSE(again.Decode(more.data(), more.size())) << width;
  }
}

TEST(DeltaBinaryPackedTest, DecodesTheSpecExample) {
  // Encodings.md example 1: 1, 2, 3, 4, 5. Header: block size 128, 4
  // miniblocks, 5 values, first value 1 (zigzag 2); one block: min delta
  // 1 (zigzag 2), all four miniblock widths 0, no packed bits.
  const std::string bytes =
      Bytes({0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00});
  std::vector<int64_t> values;
  size_t used = 0;
  ASSERT_TRUE(DecodeDeltaBinaryPacked(bytes, 10, &values, &used));
  EXPECT_EQ(values, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(used, bytes.size());

  // Claiming more values than the caller expects is an error, not a
  // large allocation.
  values.clear();
  EXPECT_FALSE(DecodeDeltaBinaryPacked(bytes, 4, &values, &used));
  // So is a block cut short.
  values.clear();
  EXPECT_FALSE(DecodeDeltaBinaryPacked(bytes.substr(0, 7), 10, &values, &used));
}

}  // namespace
}  // namespace prometheus::parquet::internal

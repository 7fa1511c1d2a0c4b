// The fixtures in testdata/codecs/ were written by the Java libraries Spark
// uses (tools/make-codec-fixtures.sh), so these tests pin our framings to the
// real ones.
#include "prometheus/io/codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "prometheus/io/internal/input_buffer.h"
#include "prometheus/io/internal/xxhash32.h"
#include "prometheus/io/prefetching_source.h"
#include "prometheus/testing/paths.h"

namespace prometheus::io {
namespace {

using ::testing::HasSubstr;

const std::string kBase = std::string(prometheus::testing::SourceDir()) +
                          "/testdata/codecs/app-20200706201101-0003";

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

const std::string& Plain() {
  static const std::string* plain = new std::string(Slurp(kBase));
  return *plain;
}

struct Fixture {
  Codec codec;
  std::string suffix;
};

std::string PrintFixture(const ::testing::TestParamInfo<Fixture>& info) {
  return std::string(CodecName(info.param.codec));
}

// A source that hands out at most `chunk` bytes per read, to exercise the
// decoders' handling of short reads.
class TrickleSource final : public ByteSource {
 public:
  TrickleSource(std::string bytes, size_t chunk)
      : bytes_(std::move(bytes)), chunk_(chunk) {}
  Result<size_t> Read(std::span<char> buffer) override {
    size_t n = std::min({buffer.size(), chunk_, bytes_.size() - offset_});
    std::copy_n(bytes_.data() + offset_, n, buffer.data());
    offset_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string bytes_;
  size_t chunk_;
  size_t offset_ = 0;
  std::string name_ = "trickle";
};

// Reads `source` to its end through a buffer of `read_size` bytes.
Result<std::string> Drain(ByteSource& source, size_t read_size) {
  std::string out;
  std::vector<char> buffer(read_size);
  while (true) {
    PROM_ASSIGN_OR_RETURN(size_t n, source.Read(buffer));
    if (n == 0) return out;
    out.append(buffer.data(), n);
  }
}

// The offset of the second block of an lz4-java stream.
size_t SecondLz4Block(const std::string& bytes) {
  return 21 + internal::LoadLe32(bytes.data() + 9);
}

class CodecFixtureTest : public ::testing::TestWithParam<Fixture> {
 protected:
  std::string Compressed() const { return Slurp(kBase + GetParam().suffix); }
  std::string Name() const { return "fixture" + GetParam().suffix; }
  Result<std::string> DecodeBytes(std::string bytes, size_t read_size = 4096) {
    auto source =
        Decompress(GetParam().codec, MemorySource(std::move(bytes), Name()));
    return Drain(*source, read_size);
  }
};

TEST_P(CodecFixtureTest, DecodesToThePlainFileAtAnyReadSize) {
  ASSERT_GT(Plain().size(), 200000u);
  for (size_t read_size : {1, 7, 4096, 1 << 20}) {
    Result<std::string> out = DecodeBytes(Compressed(), read_size);
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_TRUE(*out == Plain()) << "read size " << read_size;
  }
}

TEST_P(CodecFixtureTest, DecodesAFileReadInTinyPieces) {
  for (size_t chunk : {1, 3, 1000}) {
    auto source = Decompress(
        GetParam().codec, std::make_unique<TrickleSource>(Compressed(), chunk));
    Result<std::string> out = Drain(*source, 5000);
    ASSERT_TRUE(out) << out.error().message;
    EXPECT_TRUE(*out == Plain()) << "chunk " << chunk;
  }
}

TEST_P(CodecFixtureTest, DecodesFromAFile) {
  Result<std::unique_ptr<ByteSource>> file =
      OpenFile(kBase + GetParam().suffix);
  ASSERT_TRUE(file) << file.error().message;
  auto source = Decompress(GetParam().codec, std::move(*file));
  EXPECT_EQ(source->name(), kBase + GetParam().suffix);
  Result<std::string> out = ReadAll(*source);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(*out == Plain());
}

TEST_P(CodecFixtureTest, DecodesConcatenatedStreams) {
  Result<std::string> out = DecodeBytes(Compressed() + Compressed());
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(*out == Plain() + Plain());
}

TEST_P(CodecFixtureTest, EmptyInputIsAnEmptyStream) {
  Result<std::string> out = DecodeBytes("");
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(*out, "");
}

TEST_P(CodecFixtureTest, TruncatedInputYieldsAPrefixWithoutError) {
  const std::string compressed = Compressed();
  std::vector<size_t> cuts = {1, 2, 5, 9, 17, 21, 22, compressed.size() - 1};
  for (size_t cut = 0; cut < compressed.size(); cut += 1009) {
    cuts.push_back(cut);
  }
  for (size_t cut : cuts) {
    Result<std::string> out = DecodeBytes(compressed.substr(0, cut), 777);
    ASSERT_TRUE(out) << "cut at " << cut << ": " << out.error().message;
    EXPECT_TRUE(Plain().starts_with(*out)) << "cut at " << cut;
  }
  // A cut inside the last block keeps all the blocks before it.
  Result<std::string> most =
      DecodeBytes(compressed.substr(0, compressed.size() - 200));
  ASSERT_TRUE(most) << most.error().message;
  EXPECT_GT(most->size(), Plain().size() / 3);
  EXPECT_LT(most->size(), Plain().size());
}

TEST_P(CodecFixtureTest, AWholeStreamIsNotCut) {
  for (const std::string& bytes :
       {Compressed(), Compressed() + Compressed(), std::string()}) {
    auto source = Decompress(GetParam().codec, MemorySource(bytes, Name()));
    ASSERT_TRUE(Drain(*source, 4096));
    EXPECT_EQ(source->cut_at(), std::nullopt) << bytes.size() << " bytes";
  }
}

TEST_P(CodecFixtureTest, ACutStreamSaysWhereItsUnfinishedPartStarts) {
  const std::string compressed = Compressed();
  for (size_t cut : {compressed.size() - 1, compressed.size() / 2, size_t{3}}) {
    // Through Prefetch too, as LoadEventLog reads compressed logs.
    auto source = Prefetch(Decompress(
        GetParam().codec, MemorySource(compressed.substr(0, cut), Name())));
    Result<std::string> out = Drain(*source, 4096);
    ASSERT_TRUE(out) << out.error().message;
    ASSERT_TRUE(source->cut_at().has_value()) << "cut at " << cut;
    EXPECT_LT(*source->cut_at(), cut);
    // What comes before that part is a whole stream.
    auto whole = Decompress(
        GetParam().codec,
        MemorySource(compressed.substr(0, *source->cut_at()), Name()));
    Result<std::string> whole_out = Drain(*whole, 4096);
    ASSERT_TRUE(whole_out) << whole_out.error().message;
    EXPECT_EQ(whole->cut_at(), std::nullopt) << "cut at " << cut;
    // Block framings end at the last whole block; zstd and gzip also hand
    // out what they could decode of the unfinished frame.
    if (GetParam().codec != Codec::kZstd && GetParam().codec != Codec::kGzip) {
      EXPECT_TRUE(*whole_out == *out) << "cut at " << cut;
    }
  }
}

TEST_P(CodecFixtureTest, CorruptHeaderIsAnErrorNamingTheSource) {
  std::string bytes = Compressed();
  size_t at = 0;
  std::string where;
  switch (GetParam().codec) {
    case Codec::kLz4:  // The magic of the second block.
      at = SecondLz4Block(bytes);
      where = "at byte " + std::to_string(at);
      break;
    case Codec::kLzf:  // The magic of the second chunk.
      ASSERT_EQ(bytes[2], 1);
      at = 7 + internal::LoadBe16(bytes.data() + 3);
      where = "at byte " + std::to_string(at);
      break;
    case Codec::kSnappy:  // The sign of the first chunk's length.
      at = 16;
      where = "at byte 16";
      break;
    default:  // The magic of the first frame or member.
      at = 0;
      where = "near byte";
      break;
  }
  bytes[at] = static_cast<char>(0xFF);
  Result<std::string> out = DecodeBytes(std::move(bytes));
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kCorrupt);
  EXPECT_THAT(out.error().message, HasSubstr(Name()));
  EXPECT_THAT(out.error().message, HasSubstr(where));
}

TEST_P(CodecFixtureTest, MagicIdentifiesTheCodec) {
  EXPECT_EQ(CodecFromMagic(Compressed().substr(0, 8)), GetParam().codec);
  EXPECT_EQ(CodecFromPath(kBase + GetParam().suffix), GetParam().codec);
}

INSTANTIATE_TEST_SUITE_P(Spark, CodecFixtureTest,
                         ::testing::Values(Fixture{Codec::kLz4, ".lz4"},
                                         Fixture{Codec::kLzf, ".lzf"},
                                         Fixture{Codec::kSnappy, ".snappy"},
                                         Fixture{Codec::kZstd, ".zstd"},
                                         Fixture{Codec::kGzip, ".gz"}),
                         PrintFixture);

std::string Lz4Fixture() { return Slurp(kBase + ".lz4"); }

TEST(Lz4Test, ChecksumMismatchNamesTheBlock) {
  std::string bytes = Lz4Fixture();
  size_t second = SecondLz4Block(bytes);
  ASSERT_EQ(bytes.substr(second, 8), "LZ4Block");
  bytes[second + 17] ^= 0x01;  // Lowest byte of the checksum.
  auto source = Decompress(Codec::kLz4, MemorySource(bytes, "app.lz4"));
  Result<std::string> out = ReadAll(*source);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, ErrorCode::kCorrupt);
  EXPECT_THAT(out.error().message, HasSubstr("app.lz4"));
  EXPECT_THAT(out.error().message, HasSubstr("checksum"));
  EXPECT_THAT(out.error().message,
              HasSubstr("at byte " + std::to_string(second)));
}

TEST(Lz4Test, ImpossibleLengthIsAnError) {
  std::string bytes = Lz4Fixture();
  bytes[9 + 3] = 0x40;  // Top byte of the first block's compressed length.
  auto source = Decompress(Codec::kLz4, MemorySource(bytes, "app.lz4"));
  Result<std::string> out = ReadAll(*source);
  ASSERT_FALSE(out);
  EXPECT_THAT(out.error().message, HasSubstr("at byte 0"));
}

TEST(Lz4Test, FixtureHasManyBlocksAndAFinishedBlock) {
  std::string bytes = Lz4Fixture();
  size_t blocks = 0;
  for (size_t at = bytes.find("LZ4Block"); at != std::string::npos;
       at = bytes.find("LZ4Block", at + 1)) {
    ++blocks;
  }
  EXPECT_GT(blocks, 5u);
  // The last block is lz4-java's end marker: RAW, level 5, zero lengths.
  EXPECT_EQ(bytes.substr(bytes.size() - 21),
            std::string("LZ4Block\x15", 9) + std::string(12, '\0'));
}

TEST(XxHash32Test, MatchesReferenceValues) {
  EXPECT_EQ(internal::XxHash32("", 0, 0), 0x02CC5D05u);
  EXPECT_EQ(internal::XxHash32("abc", 3, 0), 0x32D153FFu);
}

TEST(CodecTest, NoneReturnsTheSourceItself) {
  auto memory = MemorySource("plain", "plain.json");
  ByteSource* raw = memory.get();
  EXPECT_EQ(Decompress(Codec::kNone, std::move(memory)).get(), raw);
}

TEST(CodecTest, FromPath) {
  EXPECT_EQ(CodecFromPath("app.lz4"), Codec::kLz4);
  EXPECT_EQ(CodecFromPath("/logs/events_1_app.zstd"), Codec::kZstd);
  EXPECT_EQ(CodecFromPath("app.zst"), Codec::kZstd);
  EXPECT_EQ(CodecFromPath("x.lz4.inprogress"), Codec::kLz4);
  EXPECT_EQ(CodecFromPath("app-1.snappy.inprogress"), Codec::kSnappy);
  EXPECT_EQ(CodecFromPath("local-1.lzf"), Codec::kLzf);
  EXPECT_EQ(CodecFromPath("eventlog-2021-06-15--15-00.gz"), Codec::kGzip);
  EXPECT_EQ(CodecFromPath("eventlog"), Codec::kNone);
  EXPECT_EQ(CodecFromPath("app-20200706201101-0003.inprogress"), Codec::kNone);
  EXPECT_EQ(CodecFromPath("dir.lz4/app"), Codec::kNone);
}

TEST(CodecTest, FromMagicOfPlainText) {
  EXPECT_EQ(CodecFromMagic(Plain().substr(0, 8)), Codec::kNone);
  EXPECT_EQ(CodecFromMagic(""), Codec::kNone);
  EXPECT_EQ(CodecFromMagic("LZ4Bl"), Codec::kNone);
}

TEST(CodecTest, Names) {
  EXPECT_EQ(CodecName(Codec::kLz4), "lz4");
  EXPECT_EQ(CodecName(Codec::kGzip), "gzip");
  EXPECT_EQ(CodecName(Codec::kNone), "none");
}

}  // namespace
}  // namespace prometheus::io

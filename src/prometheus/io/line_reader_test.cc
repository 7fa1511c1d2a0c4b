// LineReader over in-memory streams, with chunk sizes small enough that lines
// straddle refills and outgrow the buffer.
#include "prometheus/io/line_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "prometheus/io/byte_source.h"

namespace prometheus::io {
namespace {

struct ReadLine {
  std::string text;
  size_t capacity = 0;
  uint64_t number = 0;
  bool terminated = true;
};

// Reads every line, copying it out, and checks the padding promise on each:
// `capacity` bytes from text.data() must be readable.
std::vector<ReadLine> ReadLines(ByteSource& source, size_t chunk_bytes,
                                uint64_t* bytes_read = nullptr) {
  LineReader reader(source, chunk_bytes);
  std::vector<ReadLine> lines;
  while (true) {
    auto line = reader.Next();
    EXPECT_TRUE(line.has_value()) << line.error().message;
    if (!line || !*line) break;
    const Line& l = **line;
    EXPECT_GE(l.capacity, l.text.size() + kLinePadding)
        << "line " << l.number << " with chunk " << chunk_bytes;
    // Touch every byte the reader says is readable (caught by ASan if not).
    std::vector<char> copy(l.capacity);
    std::memcpy(copy.data(), l.text.data(), l.capacity);
    lines.push_back({std::string(l.text), l.capacity, l.number, l.terminated});
  }
  if (bytes_read != nullptr) *bytes_read = reader.bytes_read();
  return lines;
}

std::vector<ReadLine> ReadLines(const std::string& bytes, size_t chunk_bytes,
                                uint64_t* bytes_read = nullptr) {
  auto source = MemorySource(bytes, "memory");
  return ReadLines(*source, chunk_bytes, bytes_read);
}

std::vector<std::string> Texts(const std::vector<ReadLine>& lines) {
  std::vector<std::string> out;
  for (const auto& line : lines) out.push_back(line.text);
  return out;
}

// Hands out at most one byte per Read: every read is short.
class OneByteSource final : public ByteSource {
 public:
  explicit OneByteSource(std::string bytes) : bytes_(std::move(bytes)) {}
  Result<size_t> Read(std::span<char> buffer) override {
    if (buffer.empty() || offset_ == bytes_.size()) return size_t{0};
    buffer[0] = bytes_[offset_++];
    return size_t{1};
  }
  const std::string& name() const override { return name_; }

 private:
  std::string bytes_;
  size_t offset_ = 0;
  std::string name_ = "one-byte";
};

class LineReaderChunkTest : public ::testing::TestWithParam<size_t> {};

TEST_P(LineReaderChunkTest, SplitsLinesAcrossChunkBoundaries) {
  const std::string text =
      "{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":\"3.5.0\"}\n"
      "short\n"
      "a somewhat longer line that does not fit in a tiny chunk at all\n"
      "x\n";
  uint64_t bytes_read = 0;
  auto lines = ReadLines(text, GetParam(), &bytes_read);
  EXPECT_EQ(Texts(lines),
            (std::vector<std::string>{
                "{\"Event\":\"SparkListenerLogStart\",\"Spark Version\":"
                "\"3.5.0\"}",
                "short",
                "a somewhat longer line that does not fit in a tiny chunk at "
                "all",
                "x"}));
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].number, i + 1);
    EXPECT_TRUE(lines[i].terminated);
  }
  EXPECT_EQ(bytes_read, text.size());
}

TEST_P(LineReaderChunkTest, StripsCarriageReturnBeforeNewline) {
  auto lines = ReadLines("alpha\r\nbeta\r\n\r\ngamma\n", GetParam());
  EXPECT_EQ(Texts(lines),
            (std::vector<std::string>{"alpha", "beta", "", "gamma"}));
}

TEST_P(LineReaderChunkTest, KeepsCarriageReturnInsideLine) {
  auto lines = ReadLines("a\rb\n", GetParam());
  EXPECT_EQ(Texts(lines), (std::vector<std::string>{"a\rb"}));
}

TEST_P(LineReaderChunkTest, ReturnsUnterminatedLastLine) {
  auto lines = ReadLines("first\n{\"Event\":\"SparkListenerTa", GetParam());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "first");
  EXPECT_TRUE(lines[0].terminated);
  EXPECT_EQ(lines[1].text, "{\"Event\":\"SparkListenerTa");
  EXPECT_FALSE(lines[1].terminated);
  EXPECT_EQ(lines[1].number, 2u);
}

TEST_P(LineReaderChunkTest, ReturnsEmptyLines) {
  auto lines = ReadLines("\n\na\n\n", GetParam());
  EXPECT_EQ(Texts(lines), (std::vector<std::string>{"", "", "a", ""}));
  for (const auto& line : lines) EXPECT_TRUE(line.terminated);
  EXPECT_EQ(lines.back().number, 4u);
}

TEST_P(LineReaderChunkTest, GrowsForLinesLongerThanTheChunk) {
  std::string long_line(10 * std::min<size_t>(GetParam(), 4096) + 1000, 'q');
  for (size_t i = 0; i < long_line.size(); i += 37) long_line[i] = 'Z';
  std::string text = "head\n" + long_line + "\ntail\n" + long_line;
  uint64_t bytes_read = 0;
  auto lines = ReadLines(text, GetParam(), &bytes_read);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].text, "head");
  EXPECT_EQ(lines[1].text, long_line);
  EXPECT_EQ(lines[2].text, "tail");
  EXPECT_EQ(lines[3].text, long_line);
  EXPECT_FALSE(lines[3].terminated);
  EXPECT_EQ(bytes_read, text.size());
}

INSTANTIATE_TEST_SUITE_P(ChunkSizes, LineReaderChunkTest,
                         ::testing::Values(1, 2, 7, 64, 4 << 20));

TEST(LineReaderTest, EmptyStreamHasNoLines) {
  uint64_t bytes_read = 99;
  auto lines = ReadLines("", 7, &bytes_read);
  EXPECT_TRUE(lines.empty());
  EXPECT_EQ(bytes_read, 0u);
}

TEST(LineReaderTest, EndOfStreamIsSticky) {
  auto source = MemorySource("only\n", "memory");
  LineReader reader(*source, 2);
  auto first = reader.Next();
  ASSERT_TRUE(first.has_value());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->text, "only");
  for (int i = 0; i < 3; ++i) {
    auto next = reader.Next();
    ASSERT_TRUE(next.has_value());
    EXPECT_FALSE(next->has_value());
  }
}

TEST(LineReaderTest, LineNumbersAreOneBasedAndConsecutive) {
  std::string text;
  for (int i = 1; i <= 500; ++i) text += std::string(i % 13, 'a') + "\n";
  auto lines = ReadLines(text, 7);
  ASSERT_EQ(lines.size(), 500u);
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(lines[i].number, i + 1);
    EXPECT_EQ(lines[i].text.size(), (i + 1) % 13);
  }
}

TEST(LineReaderTest, HandlesShortReads) {
  std::string text = "one\r\ntwo\n\nthree is longer than the chunk\nfour";
  OneByteSource source(text);
  uint64_t bytes_read = 0;
  auto lines = ReadLines(source, 4, &bytes_read);
  EXPECT_EQ(Texts(lines),
            (std::vector<std::string>{
                "one", "two", "", "three is longer than the chunk", "four"}));
  EXPECT_FALSE(lines.back().terminated);
  EXPECT_EQ(bytes_read, text.size());
}

TEST(LineReaderTest, BytesReadCountsWholeStreamIncludingTerminators) {
  std::string text = "a\r\n\r\n\nbb\n";
  uint64_t bytes_read = 0;
  auto lines = ReadLines(text, 3, &bytes_read);
  EXPECT_EQ(lines.size(), 4u);
  EXPECT_EQ(bytes_read, text.size());
}

TEST(LineReaderTest, PaddingAfterUnterminatedTailIsZero) {
  // A parser may scan the padding; after the cut-off tail it must not see
  // leftovers of earlier lines that could look like more JSON.
  auto source = MemorySource(
      "{\"a\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\"}\n{\"c\"", "memory");
  LineReader reader(*source, 64);
  ASSERT_TRUE(reader.Next().has_value());
  auto tail = reader.Next();
  ASSERT_TRUE(tail.has_value());
  ASSERT_TRUE(tail->has_value());
  const Line& line = **tail;
  EXPECT_EQ(line.text, "{\"c\"");
  EXPECT_FALSE(line.terminated);
  const char* after = line.text.data() + line.text.size();
  EXPECT_TRUE(std::all_of(after, after + kLinePadding,
                          [](char c) { return c == '\0'; }));
}

}  // namespace
}  // namespace prometheus::io

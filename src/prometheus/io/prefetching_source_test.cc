#include "prometheus/io/prefetching_source.h"

#include <gtest/gtest.h>

#include <string>

namespace prometheus::io {
namespace {

// Hands out its bytes in small pieces, then fails if told to.
class FlakySource final : public ByteSource {
 public:
  FlakySource(std::string bytes, bool fail_at_end)
      : bytes_(std::move(bytes)), fail_at_end_(fail_at_end) {}
  Result<size_t> Read(std::span<char> buffer) override {
    if (offset_ == bytes_.size()) {
      if (fail_at_end_) return Fail(ErrorCode::kIo, "{}: broken at byte {}", name_, offset_);
      return 0;
    }
    size_t n = std::min<size_t>({buffer.size(), 333, bytes_.size() - offset_});
    std::copy_n(bytes_.data() + offset_, n, buffer.data());
    offset_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string bytes_;
  bool fail_at_end_;
  size_t offset_ = 0;
  std::string name_ = "flaky.zstd";
};

std::string Pattern(size_t size) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>(i * 7 + i / 251);
  return bytes;
}

TEST(PrefetchingSource, DeliversEveryByteInOrderAcrossSmallBuffers) {
  std::string bytes = Pattern(100'000);
  auto source = Prefetch(std::make_unique<FlakySource>(bytes, false), 1000, 3);
  EXPECT_EQ(source->name(), "flaky.zstd");
  auto all = ReadAll(*source);
  ASSERT_TRUE(all.has_value());
  EXPECT_EQ(*all, bytes);
  auto after = source->Read(std::span<char>(all->data(), 10));
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(*after, 0u);
}

TEST(PrefetchingSource, ReportsTheInnerErrorAfterTheBytesBeforeIt) {
  std::string bytes = Pattern(5'000);
  auto source = Prefetch(std::make_unique<FlakySource>(bytes, true), 1024, 2);
  std::string got;
  char buffer[700];
  while (true) {
    auto n = source->Read(buffer);
    if (!n) {
      EXPECT_NE(n.error().message.find("flaky.zstd"), std::string::npos);
      break;
    }
    ASSERT_GT(*n, 0u) << "the error must not be lost";
    got.append(buffer, *n);
  }
  EXPECT_EQ(got, bytes);
}

TEST(PrefetchingSource, StopsCleanlyWhenClosedBeforeTheEnd) {
  auto source = Prefetch(std::make_unique<FlakySource>(Pattern(1'000'000), false), 4096, 2);
  char buffer[10];
  ASSERT_TRUE(source->Read(buffer).has_value());
  source.reset();  // must join the producer without reading the rest
}

}  // namespace
}  // namespace prometheus::io

#include "prometheus/io/byte_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "prometheus/testing/temp_dir.h"

namespace prometheus::io {
namespace {

using ::testing::HasSubstr;

TEST(OpenFile, ReadsTheFileToItsEnd) {
  prometheus::testing::TempDir tmp;
  auto source = OpenFile(tmp.Write("app-1", "line one\nline two\n"));
  ASSERT_TRUE(source) << source.error().message;
  EXPECT_EQ((*source)->name(), (tmp.path() / "app-1").string());
  Result<std::string> bytes = ReadAll(**source);
  ASSERT_TRUE(bytes) << bytes.error().message;
  EXPECT_EQ(*bytes, "line one\nline two\n");
}

TEST(OpenFile, AMissingFileIsNotFoundAndNamed) {
  prometheus::testing::TempDir tmp;
  auto source = OpenFile(tmp.path() / "gone");
  ASSERT_FALSE(source);
  EXPECT_EQ(source.error().code, ErrorCode::kNotFound);
  EXPECT_THAT(source.error().message, HasSubstr((tmp.path() / "gone").string()));
  EXPECT_THAT(source.error().message, HasSubstr("cannot open"));
}

TEST(OpenFile, AFolderOpensButItsReadIsAnIoError) {
  prometheus::testing::TempDir tmp;
  auto source = OpenFile(tmp.path());  // open(2) allows it; read(2) says EISDIR
  ASSERT_TRUE(source) << source.error().message;
  Result<std::string> bytes = ReadAll(**source);
  ASSERT_FALSE(bytes);
  EXPECT_EQ(bytes.error().code, ErrorCode::kIo);
  EXPECT_THAT(bytes.error().message, HasSubstr("read failed"));
}

TEST(MemorySource, ReadsItsBytesInPiecesAndThenEnds) {
  auto source = MemorySource("abcde", "memory");
  char buffer[2];
  std::string seen;
  while (true) {
    Result<size_t> n = source->Read(buffer);
    ASSERT_TRUE(n);
    if (*n == 0) break;
    EXPECT_LE(*n, sizeof buffer);
    seen.append(buffer, *n);
  }
  EXPECT_EQ(seen, "abcde");
  EXPECT_EQ(source->name(), "memory");
}

}  // namespace
}  // namespace prometheus::io

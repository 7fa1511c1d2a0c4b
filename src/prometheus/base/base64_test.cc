#include "prometheus/base/base64.h"

#include <gtest/gtest.h>

namespace prometheus {
namespace {

TEST(Base64Test, RoundTripsEveryLengthAndRefusesNonBase64) {
  std::string bytes;
  for (int i = 0; i < 300; ++i) {
    auto decoded = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(decoded) << decoded.error().message;
    EXPECT_EQ(*decoded, bytes);
    bytes += static_cast<char>(i * 37);
  }
  EXPECT_EQ(Base64Encode("Man"), "TWFu");
  EXPECT_EQ(Base64Encode("Ma"), "TWE=");
  EXPECT_EQ(*Base64Decode("TQ=="), "M");
  auto bad = Base64Decode("TW!u");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(bad.error().message.find("offset 2"), std::string::npos);
  EXPECT_FALSE(Base64Decode("TWF"));
  EXPECT_FALSE(Base64Decode("T=Fu"));
}

}  // namespace
}  // namespace prometheus

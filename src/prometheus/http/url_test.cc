#include "prometheus/http/url.h"

#include <gtest/gtest.h>

namespace prometheus::http {
namespace {

TEST(UrlTest, EncodesQueryValuesAndPathSegments) {
  EXPECT_EQ(QueryString({{"page_token", "CAEo+/="}, {"limit", "25"}}),
            "?page_token=CAEo%2B%2F%3D&limit=25");
  EXPECT_EQ(QueryString({}), "");
  EXPECT_EQ(EncodePath("/Volumes/main/ops/a b/eventlog-2024-06-10--12-00.gz"),
            "/Volumes/main/ops/a%20b/eventlog-2024-06-10--12-00.gz");
  EXPECT_EQ(EncodePath("/x/50%/#?"), "/x/50%25/%23%3F");
}

TEST(UrlTest, Base64RoundTripsEveryLengthAndRefusesNonBase64) {
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
}  // namespace prometheus::http

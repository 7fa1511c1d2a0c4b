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

}  // namespace
}  // namespace prometheus::http

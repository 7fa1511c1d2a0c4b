// ApplyEdits: bytes outside the edited ranges are copied unchanged, order at
// one offset is kept, overlaps and out-of-range edits are refused.
#include "prometheus/rewrite/edit.h"

#include <gtest/gtest.h>

namespace prometheus::rewrite {
namespace {

TEST(ApplyEdits, KeepsEveryByteOutsideTheRanges) {
  std::string original = "a = 1\r\n# comment \t\r\n\r\nb = f(x)  # tail\r\n\xe2\x82\xac = 2";
  uint32_t x = original.find("x");
  auto out = ApplyEdits(original, {Edit{x + 1, x + 1, ")"}, Edit{x, x, "g("}});
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(*out, "a = 1\r\n# comment \t\r\n\r\nb = f(g(x))  # tail\r\n\xe2\x82\xac = 2");
}

TEST(ApplyEdits, InsertionsAtOneOffsetKeepOrderAndPrecedeAReplacement) {
  auto out = ApplyEdits("abc", {Edit{1, 2, "B"}, Edit{1, 1, "1"}, Edit{1, 1, "2"}});
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, "a12Bc");
}

TEST(ApplyEdits, AdjacentEditsAreNotOverlaps) {
  auto out = ApplyEdits("abcd", {Edit{2, 4, "CD"}, Edit{0, 2, "AB"}, Edit{2, 2, "-"}});
  ASSERT_TRUE(out.has_value()) << out.error().message;
  EXPECT_EQ(*out, "AB-CD");
}

TEST(ApplyEdits, RefusesOverlappingEdits) {
  auto out = ApplyEdits("abcdef", {Edit{1, 4, "X"}, Edit{3, 5, "Y"}});
  ASSERT_FALSE(out.has_value());
  EXPECT_NE(out.error().message.find("overlap"), std::string::npos);
  // An insertion strictly inside a replaced range overlaps it too.
  EXPECT_FALSE(ApplyEdits("abcdef", {Edit{1, 4, "X"}, Edit{2, 2, "Y"}}).has_value());
}

TEST(ApplyEdits, RefusesEditsOutsideTheBuffer) {
  EXPECT_FALSE(ApplyEdits("abc", {Edit{2, 5, ""}}).has_value());
  EXPECT_FALSE(ApplyEdits("abc", {Edit{2, 1, ""}}).has_value());
}

TEST(ApplyEdits, NoEditsIsTheIdentity) {
  std::string original = "x\r\ny\n";
  EXPECT_EQ(ApplyEdits(original, {}).value(), original);
}

}  // namespace
}  // namespace prometheus::rewrite

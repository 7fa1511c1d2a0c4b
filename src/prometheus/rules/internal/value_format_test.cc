// Placeholder formats of rule messages and fixes.
#include "prometheus/rules/internal/value_format.h"

#include <gtest/gtest.h>

namespace prometheus::rules::internal {
namespace {

std::string Format(const ExprValue& value, std::string_view format) {
  auto text = FormatValue(value, format);
  EXPECT_TRUE(text.has_value()) << text.error().message;
  return text ? *text : "";
}

TEST(FormatNumberTest, WholeNumbersHaveNoDecimals) {
  EXPECT_EQ(FormatNumber(0), "0");
  EXPECT_EQ(FormatNumber(1234), "1234");
  EXPECT_EQ(FormatNumber(-7), "-7");
  EXPECT_EQ(FormatNumber(3328599654.0), "3328599654");
}

TEST(FormatNumberTest, FractionsKeepAboutThreeDigits) {
  EXPECT_EQ(FormatNumber(12.345), "12.35");
  EXPECT_EQ(FormatNumber(12.3), "12.3");
  EXPECT_EQ(FormatNumber(4.001), "4");
  EXPECT_EQ(FormatNumber(0.012345), "0.0123");
  EXPECT_EQ(FormatNumber(1234.5), "1234") << "round half to even at 3 digits";
}

TEST(FormatValueTest, EveryFormat) {
  EXPECT_EQ(Format(3.1 * 1024 * 1024, "bytes"), "3.1 MiB");
  EXPECT_EQ(Format(512.0, "bytes"), "512 B");
  EXPECT_EQ(Format(850.0, "duration"), "850 ms");
  EXPECT_EQ(Format(12300.0, "duration"), "12.3 s");
  EXPECT_EQ(Format(245000.0, "duration"), "4m 05s");
  EXPECT_EQ(Format(7380000.0, "duration"), "2h 03m");
  EXPECT_EQ(Format(0.125, "pct"), "12.5%");
  EXPECT_EQ(Format(0.1, "pct"), "10%");
  EXPECT_EQ(Format(5.4595, "pct"), "546%");
  EXPECT_EQ(Format(399.6, "int"), "400");
  EXPECT_EQ(Format(-0.4, "int"), "0") << "no negative zero";
  EXPECT_EQ(Format(2.0 / 3, ".2f"), "0.67");
  EXPECT_EQ(Format(2.0, ".0f"), "2");
}

TEST(FormatValueTest, NullsStringsAndBooleans) {
  EXPECT_EQ(Format(ExprValue{}, ""), "n/a");
  EXPECT_EQ(Format(ExprValue{}, "bytes"), "n/a");
  EXPECT_EQ(Format(std::string("COMPLETE"), ""), "COMPLETE");
  EXPECT_EQ(Format(true, ""), "true");
  auto bad = FormatValue(std::string("x"), "bytes");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "format 'bytes' needs a number, found string");
}

TEST(FormatValueTest, KnownFormats) {
  for (std::string_view f :
       {"", "bytes", "duration", "pct", "int", ".0f", ".9f"}) {
    EXPECT_TRUE(IsValueFormat(f)) << f;
  }
  for (std::string_view f : {"percent", ".f", ".10f", "2f", "Bytes"}) {
    EXPECT_FALSE(IsValueFormat(f)) << f;
  }
}

}  // namespace
}  // namespace prometheus::rules::internal

// Mapping positions inside TOML strings back to the file.
#include "prometheus/rules/internal/toml_position.h"

#include <gtest/gtest.h>

namespace prometheus::rules::internal {
namespace {

std::pair<int, int> Map(std::string_view file, TextPosition token,
                        TextPosition inside) {
  TextPosition at = PositionInFile(file, token, inside);
  return {at.line, at.column};
}

TEST(PositionInFileTest, BasicStringCountsEscapesAsOneCharacter) {
  //                      col 6 is the opening quote
  std::string_view file = "x\nv = \"a\\\"b c\"\n";
  EXPECT_EQ(Map(file, {2, 5}, {1, 1}), std::pair(2, 6));   // a
  EXPECT_EQ(Map(file, {2, 5}, {1, 3}), std::pair(2, 9));   // b, after \"
  EXPECT_EQ(Map(file, {2, 5}, {1, 5}), std::pair(2, 11));  // c
  EXPECT_EQ(Map(file, {2, 5}, {1, 6}), std::pair(2, 12))
      << "the end is the closing quote";
}

TEST(PositionInFileTest, UnicodeEscapesAreOneCharacter) {
  std::string_view file = "v = \"\\u00e9x\"";
  EXPECT_EQ(Map(file, {1, 5}, {1, 2}), std::pair(1, 12));
}

TEST(PositionInFileTest, LiteralStringsHaveNoEscapes) {
  std::string_view file = "v = 'a\\b'";
  EXPECT_EQ(Map(file, {1, 5}, {1, 3}), std::pair(1, 8));
}

TEST(PositionInFileTest, MultiLineStringsSkipTheFirstNewline) {
  std::string_view file = "v = '''\nab\n  cd'''";
  EXPECT_EQ(Map(file, {1, 5}, {1, 2}), std::pair(2, 2));
  EXPECT_EQ(Map(file, {1, 5}, {2, 3}), std::pair(3, 3));
}

TEST(PositionInFileTest, LineEndingBackslashJoinsLines) {
  std::string_view file = "v = \"\"\"\nab \\\n    cd\"\"\"";
  // The value is "ab cd": its 'c' is line 1, column 4 of the value.
  EXPECT_EQ(Map(file, {1, 5}, {1, 4}), std::pair(3, 5));
}

TEST(SplitLocationTest, SplitsThePrefix) {
  auto located =
      SplitLocation("line 3, column 14: expected ')', found end of text");
  ASSERT_TRUE(located.has_value());
  EXPECT_EQ(located->position.line, 3);
  EXPECT_EQ(located->position.column, 14);
  EXPECT_EQ(located->rest, "expected ')', found end of text");
  EXPECT_FALSE(SplitLocation("unknown name x").has_value());
  EXPECT_FALSE(SplitLocation("line 3: x").has_value());
}

}  // namespace
}  // namespace prometheus::rules::internal

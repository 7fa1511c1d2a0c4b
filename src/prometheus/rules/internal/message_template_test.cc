// Message templates: placeholders, literal braces, positioned errors.
#include "prometheus/rules/internal/message_template.h"

#include <gtest/gtest.h>

#include <map>

namespace prometheus::rules::internal {
namespace {

class OneScope : public Scope {
 public:
  std::optional<ExprValue> Lookup(std::string_view name) const override {
    if (name == "bytes") return 2048.0;
    if (name == "name") return std::string("x");
    if (name == "none") return ExprValue{};
    return std::nullopt;
  }
};

std::string Render(std::string_view text) {
  auto pieces = ParseTemplate(text);
  EXPECT_TRUE(pieces.has_value()) << pieces.error().message;
  if (!pieces) return "";
  auto out = RenderTemplate(*pieces, OneScope());
  EXPECT_TRUE(out.has_value()) << out.error().message;
  return out ? *out : "";
}

std::string ParseError(std::string_view text) {
  auto pieces = ParseTemplate(text);
  EXPECT_FALSE(pieces.has_value());
  return pieces ? "" : pieces.error().message;
}

TEST(MessageTemplateTest, ReplacesPlaceholders) {
  EXPECT_EQ(Render("read {bytes:bytes} by {name}; {none:pct}"),
            "read 2.0 KiB by x; n/a");
  EXPECT_EQ(Render("{{literal}} and }}"), "{literal} and }");
  EXPECT_EQ(Render(""), "");
}

TEST(MessageTemplateTest, NamesInOrderWithoutRepeats) {
  auto pieces = ParseTemplate("{b} {a:int} {b:bytes} {c.d}");
  ASSERT_TRUE(pieces.has_value());
  EXPECT_EQ(TemplateNames(*pieces),
            (std::vector<std::string>{"b", "a", "c.d"}));
}

TEST(MessageTemplateTest, ParseErrorsHaveLineAndColumn) {
  EXPECT_EQ(ParseError("ab {x"),
            "line 1, column 6: expected '}' or ':format' after the name, found "
            "end of text");
  EXPECT_EQ(
      ParseError("a\nb {x:pcts}"),
      "line 2, column 6: expected a format (bytes, duration, pct, int or .Nf), "
      "found 'p'");
  EXPECT_EQ(ParseError("a {} b"),
            "line 1, column 4: expected a name after '{', found '}'");
  EXPECT_EQ(ParseError("a } b"),
            "line 1, column 4: expected '}}' for a literal brace, found ' '");
}

TEST(MessageTemplateTest, RenderErrorsNameThePlaceholder) {
  auto pieces = ParseTemplate("{nope}");
  ASSERT_TRUE(pieces.has_value());
  auto out = RenderTemplate(*pieces, OneScope());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().message, "unknown name nope");
  pieces = ParseTemplate("{name:bytes}");
  out = RenderTemplate(*pieces, OneScope());
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().message,
            "{name}: format 'bytes' needs a number, found string");
}

}  // namespace
}  // namespace prometheus::rules::internal

// The SQL tokenizer: strings, quoted identifiers and comments are single
// tokens, so keywords inside them are never seen.
#include "prometheus/rewrite/sql_tokens.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace prometheus::rewrite {
namespace {

std::vector<std::string> Texts(std::string_view sql) {
  auto tokens = TokenizeSql(sql);
  EXPECT_TRUE(tokens.has_value()) << tokens.error().message;
  std::vector<std::string> out;
  if (tokens) {
    for (const SqlToken& token : *tokens) out.emplace_back(TokenText(sql, token));
  }
  return out;
}

TEST(SqlTokens, SplitsWordsSymbolsAndNumbers) {
  EXPECT_EQ(Texts("SELECT a.b, 1.5e3 FROM t\r\n"),
            (std::vector<std::string>{"SELECT", "a", ".", "b", ",", "1.5e3", "FROM", "t"}));
}

TEST(SqlTokens, StringsQuotedIdentifiersAndCommentsAreOneToken) {
  std::string_view sql =
      "SELECT 'it''s JOIN x', \"a\\\"b\", `odd name` -- JOIN y\n/* FROM z */ /*+ BROADCAST(d) */";
  auto tokens = TokenizeSql(sql);
  ASSERT_TRUE(tokens.has_value());
  std::vector<SqlTokenKind> kinds;
  for (const SqlToken& token : *tokens) kinds.push_back(token.kind);
  EXPECT_EQ(kinds, (std::vector<SqlTokenKind>{
                       SqlTokenKind::kWord, SqlTokenKind::kString, SqlTokenKind::kSymbol,
                       SqlTokenKind::kString, SqlTokenKind::kSymbol, SqlTokenKind::kQuotedIdentifier,
                       SqlTokenKind::kComment, SqlTokenKind::kComment, SqlTokenKind::kHint}));
  EXPECT_EQ(TokenText(sql, (*tokens)[1]), "'it''s JOIN x'");
  EXPECT_EQ(TokenText(sql, (*tokens)[6]), "-- JOIN y");
}

TEST(SqlTokens, KeywordsIgnoreCase) {
  std::string_view sql = "select";
  auto tokens = TokenizeSql(sql);
  ASSERT_TRUE(tokens.has_value());
  EXPECT_TRUE(IsKeyword(sql, (*tokens)[0], "SELECT"));
  EXPECT_FALSE(IsKeyword(sql, (*tokens)[0], "SELECTS"));
}

TEST(SqlTokens, UnterminatedRunsFail) {
  EXPECT_FALSE(TokenizeSql("SELECT 'abc").has_value());
  EXPECT_FALSE(TokenizeSql("SELECT /* abc").has_value());
  EXPECT_FALSE(TokenizeSql("SELECT `abc").has_value());
  EXPECT_TRUE(TokenizeSql("SELECT 1 -- no newline").has_value());
}

}  // namespace
}  // namespace prometheus::rewrite

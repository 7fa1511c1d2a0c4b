#include "prometheus/rewrite/sql_tokens.h"

#include <cctype>

namespace prometheus::rewrite {
namespace {

bool IsWordStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsWordByte(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// The offset just past the quoted run starting at `start`, or npos when it
// is unterminated. Doubled quotes and (for strings) backslashes escape.
size_t EndOfQuoted(std::string_view sql, size_t start, bool backslash_escapes) {
  char quote = sql[start];
  for (size_t i = start + 1; i < sql.size(); ++i) {
    if (backslash_escapes && sql[i] == '\\') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return std::string_view::npos;
}

}  // namespace

bool IsKeyword(std::string_view sql, const SqlToken& token, std::string_view keyword) {
  if (token.kind != SqlTokenKind::kWord) return false;
  std::string_view text = TokenText(sql, token);
  if (text.size() != keyword.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(text[i])) !=
        std::toupper(static_cast<unsigned char>(keyword[i]))) {
      return false;
    }
  }
  return true;
}

Result<std::vector<SqlToken>> TokenizeSql(std::string_view sql) {
  std::vector<SqlToken> tokens;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    size_t end = i + 1;
    SqlTokenKind kind = SqlTokenKind::kSymbol;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '-' && sql.substr(i, 2) == "--") {
      end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
      kind = SqlTokenKind::kComment;
    } else if (c == '/' && sql.substr(i, 2) == "/*") {
      size_t close = sql.find("*/", i + 2);
      if (close == std::string_view::npos) return Fail(ErrorCode::kCorrupt,
                                                       "unterminated /* comment at SQL offset {}", i);
      end = close + 2;
      kind = sql.substr(i, 3) == "/*+" ? SqlTokenKind::kHint : SqlTokenKind::kComment;
    } else if (c == '\'' || c == '"' || c == '`') {
      end = EndOfQuoted(sql, i, c != '`');
      if (end == std::string_view::npos) return Fail(ErrorCode::kCorrupt,
                                                     "unterminated {} at SQL offset {}", c, i);
      kind = c == '`' ? SqlTokenKind::kQuotedIdentifier : SqlTokenKind::kString;
    } else if (IsWordStart(c)) {
      while (end < sql.size() && IsWordByte(sql[end])) ++end;
      kind = SqlTokenKind::kWord;
    } else if (IsDigit(c)) {
      while (end < sql.size() && (IsWordByte(sql[end]) || sql[end] == '.')) ++end;
      kind = SqlTokenKind::kNumber;
    }
    tokens.push_back(SqlToken{kind, static_cast<uint32_t>(i), static_cast<uint32_t>(end)});
    i = end;
  }
  return tokens;
}

}  // namespace prometheus::rewrite

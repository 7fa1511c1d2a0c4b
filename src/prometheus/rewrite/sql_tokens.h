// A small SQL tokenizer, enough to find SELECT, FROM and JOIN clauses in
// the text of a `spark.sql("...")` literal: string literals, quoted
// identifiers and comments are single tokens, so a `JOIN` inside them is
// never mistaken for a keyword.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::rewrite {

enum class SqlTokenKind {
  kWord,              // identifier or keyword: [A-Za-z_][A-Za-z0-9_]*
  kNumber,            // 12, 1.5e3
  kString,            // '...' or "..." (backslash escapes, doubled quotes)
  kQuotedIdentifier,  // `...`
  kComment,           // -- ... or /* ... */
  kHint,              // /*+ ... */
  kSymbol,            // any other single byte: ( ) , . ; = ...
};

// Byte offsets [start, end) into the tokenized text.
struct SqlToken {
  SqlTokenKind kind = SqlTokenKind::kSymbol;
  uint32_t start = 0;
  uint32_t end = 0;
};

// Splits `sql` into tokens, whitespace dropped. Fails on an unterminated
// string, quoted identifier or block comment.
Result<std::vector<SqlToken>> TokenizeSql(std::string_view sql);

// The token's text.
inline std::string_view TokenText(std::string_view sql, const SqlToken& token) {
  return sql.substr(token.start, token.end - token.start);
}

// True for a word token equal to `keyword` ignoring ASCII case.
bool IsKeyword(std::string_view sql, const SqlToken& token, std::string_view keyword);

}  // namespace prometheus::rewrite

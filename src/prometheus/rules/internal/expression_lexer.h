// Splits expression text into tokens, each with its 1-based line and column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::rules::internal {

enum class TokenKind { kNumber, kString, kName, kSymbol, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;   // the name, the symbol, or the decoded string
  double number = 0;  // kNumber, with any unit suffix applied
  int line = 1;
  int column = 1;
};

// How a token reads in an error message: 'max', '(', "abc", number 12,
// end of text.
std::string DescribeToken(const Token& token);

// The tokens of `text`, ending with a kEnd token. Errors read
// "line L, column C: expected ..., found ...".
Result<std::vector<Token>> Tokenize(std::string_view text);

}  // namespace prometheus::rules::internal

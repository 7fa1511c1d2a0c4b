#include "prometheus/rules/internal/expression_lexer.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <utility>

namespace prometheus::rules::internal {
namespace {

struct Unit {
  std::string_view name;
  double factor;
};

// Sizes in bytes (binary) and durations in milliseconds, the units of the
// KPI columns.
constexpr Unit kUnits[] = {
    {"KiB", 1024.0},          {"MiB", 1048576.0}, {"GiB", 1073741824.0},
    {"TiB", 1099511627776.0}, {"ms", 1.0},        {"s", 1000.0},
    {"min", 60000.0},         {"h", 3600000.0},
};

// Two-character symbols first, so "<=" is not read as "<" then "=".
constexpr std::string_view kSymbols[] = {
    "==", "!=", "<=", ">=", "&&", "||", "(", ")", ",",
    "+",  "-",  "*",  "/",  "%",  "<",  ">", "!",
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpace();
      Token token;
      token.line = line_;
      token.column = column_;
      if (pos_ >= text_.size()) {
        tokens.push_back(std::move(token));
        return tokens;
      }
      char c = text_[pos_];
      Status status = Ok();
      if (IsDigit(c) ||
          (c == '.' && pos_ + 1 < text_.size() && IsDigit(text_[pos_ + 1]))) {
        status = ReadNumber(token);
      } else if (c == '"' || c == '\'') {
        status = ReadString(token);
      } else if (IsAlpha(c)) {
        token.kind = TokenKind::kName;
        size_t start = pos_;
        while (pos_ < text_.size() &&
               (IsAlpha(text_[pos_]) || IsDigit(text_[pos_]) ||
                text_[pos_] == '.')) {
          Advance();
        }
        token.text = std::string(text_.substr(start, pos_ - start));
      } else {
        status = ReadSymbol(token);
      }
      if (!status) return std::unexpected(status.error());
      tokens.push_back(std::move(token));
    }
  }

 private:
  void Advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r')) {
      Advance();
    }
  }

  std::unexpected<Error> FailHere(std::string_view expected,
                                  std::string_view found) const {
    return Fail(ErrorCode::kInvalidArgument,
                "line {}, column {}: expected {}, found {}", line_, column_,
                expected, found);
  }

  Status ReadNumber(Token& token) {
    size_t start = pos_;
    while (pos_ < text_.size() && IsDigit(text_[pos_])) Advance();
    if (pos_ < text_.size() && text_[pos_] == '.') {
      Advance();
      while (pos_ < text_.size() && IsDigit(text_[pos_])) Advance();
    }
    if (pos_ + 1 < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      size_t digit = pos_ + 1;
      if (text_[digit] == '+' || text_[digit] == '-') ++digit;
      if (digit < text_.size() && IsDigit(text_[digit])) {
        while (pos_ < digit) Advance();
        while (pos_ < text_.size() && IsDigit(text_[pos_])) Advance();
      }
    }
    double value = 0;
    auto [end, ec] =
        std::from_chars(text_.data() + start, text_.data() + pos_, value);
    if (ec != std::errc() || end != text_.data() + pos_ ||
        !std::isfinite(value)) {
      return FailHere("a finite number",
                      fmt::format("'{}'", text_.substr(start, pos_ - start)));
    }
    if (pos_ < text_.size() && IsAlpha(text_[pos_])) {
      size_t suffix_start = pos_;
      int suffix_line = line_, suffix_column = column_;
      while (pos_ < text_.size() &&
             (IsAlpha(text_[pos_]) || IsDigit(text_[pos_]))) {
        Advance();
      }
      std::string_view suffix = text_.substr(suffix_start, pos_ - suffix_start);
      const Unit* unit = nullptr;
      for (const Unit& u : kUnits) {
        if (u.name == suffix) unit = &u;
      }
      if (unit == nullptr) {
        return Fail(ErrorCode::kInvalidArgument,
            "line {}, column {}: expected a unit after the number (KiB, MiB, "
            "GiB, TiB, ms, s, min or h), found '{}'",
            suffix_line, suffix_column, suffix);
      }
      value *= unit->factor;
    }
    token.kind = TokenKind::kNumber;
    token.number = value;
    token.text = std::string(text_.substr(start, pos_ - start));
    return Ok();
  }

  Status ReadString(Token& token) {
    char quote = text_[pos_];
    Advance();
    std::string value;
    while (true) {
      if (pos_ >= text_.size()) {
        return FailHere(fmt::format("a closing {}", quote), "end of text");
      }
      char c = text_[pos_];
      if (c == quote) {
        Advance();
        break;
      }
      if (c == '\\') {
        int escape_line = line_, escape_column = column_;
        Advance();
        char e = pos_ < text_.size() ? text_[pos_] : '\0';
        switch (e) {
          case '"':
          case '\'':
          case '\\':
            value += e;
            break;
          case 'n':
            value += '\n';
            break;
          case 't':
            value += '\t';
            break;
          default:
            return Fail(ErrorCode::kInvalidArgument,
                "line {}, column {}: expected an escape (\\\" \\' \\\\ \\n "
                "\\t), found {}",
                escape_line, escape_column,
                e == '\0' ? std::string("end of text")
                          : fmt::format("'\\{}'", e));
        }
        Advance();
        continue;
      }
      value += c;
      Advance();
    }
    token.kind = TokenKind::kString;
    token.text = std::move(value);
    return Ok();
  }

  Status ReadSymbol(Token& token) {
    for (std::string_view symbol : kSymbols) {
      if (text_.substr(pos_, symbol.size()) == symbol) {
        token.kind = TokenKind::kSymbol;
        token.text = std::string(symbol);
        for (size_t i = 0; i < symbol.size(); ++i) Advance();
        return Ok();
      }
    }
    char c = text_[pos_];
    if (c == '=') return FailHere("'==' (comparison)", "'='");
    if (c == '&') return FailHere("'&&'", "'&'");
    if (c == '|') return FailHere("'||'", "'|'");
    return FailHere("a number, name, string, operator or parenthesis",
                    fmt::format("'{}'", c));
  }

  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::string DescribeToken(const Token& token) {
  switch (token.kind) {
    case TokenKind::kNumber:
      return fmt::format("number {}", token.text);
    case TokenKind::kString:
      return fmt::format("string \"{}\"", token.text);
    case TokenKind::kName:
    case TokenKind::kSymbol:
      return fmt::format("'{}'", token.text);
    case TokenKind::kEnd:
      break;
  }
  return "end of text";
}

Result<std::vector<Token>> Tokenize(std::string_view text) {
  return Lexer(text).Run();
}

}  // namespace prometheus::rules::internal

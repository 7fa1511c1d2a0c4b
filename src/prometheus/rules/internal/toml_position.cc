#include "prometheus/rules/internal/toml_position.h"

#include <charconv>

namespace prometheus::rules::internal {
namespace {

// The byte offset of 1-based (line, column) in `text`, clamped to its end.
size_t OffsetOf(std::string_view text, TextPosition position) {
  size_t offset = 0;
  for (int line = 1; line < position.line && offset < text.size(); ++offset) {
    if (text[offset] == '\n') ++line;
  }
  return std::min(text.size(), offset + position.column - 1);
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Whether a backslash at `offset` ends its line (only blanks follow), which
// in a multi-line basic string removes the newline and leading blanks.
bool IsLineEndingBackslash(std::string_view text, size_t offset) {
  size_t i = offset + 1;
  while (i < text.size() && IsBlank(text[i])) ++i;
  return i < text.size() && text[i] == '\n';
}

size_t EscapeLength(std::string_view text, size_t offset) {
  if (offset + 1 >= text.size()) return 1;
  if (text[offset + 1] == 'u') return 6;
  if (text[offset + 1] == 'U') return 10;
  return 2;
}

}  // namespace

TextPosition PositionInFile(std::string_view file_text, TextPosition token,
                            TextPosition inside) {
  size_t offset = OffsetOf(file_text, token);
  std::string_view rest = file_text.substr(offset);
  char quote = rest.empty() ? '"' : rest[0];
  bool basic = quote == '"';
  bool multi_line = rest.size() >= 3 && rest[1] == quote && rest[2] == quote;
  std::string_view delimiter =
      multi_line ? rest.substr(0, 3) : rest.substr(0, 1);

  TextPosition file = token;
  auto step = [&](size_t count) {
    for (size_t k = 0; k < count && offset < file_text.size(); ++k, ++offset) {
      if (file_text[offset] == '\n') {
        ++file.line;
        file.column = 1;
      } else {
        ++file.column;
      }
    }
  };
  step(delimiter.size());
  if (multi_line) {  // a newline right after the delimiter is not content
    if (file_text.substr(offset, 2) == "\r\n")
      step(2);
    else if (file_text.substr(offset, 1) == "\n")
      step(1);
  }
  TextPosition decoded;
  while (offset < file_text.size()) {
    // A line-ending backslash and the blanks after it are not content.
    if (basic && multi_line && file_text[offset] == '\\' &&
        IsLineEndingBackslash(file_text, offset)) {
      step(1);
      while (offset < file_text.size() &&
             (IsBlank(file_text[offset]) || file_text[offset] == '\n')) {
        step(1);
      }
      continue;
    }
    if (decoded.line == inside.line && decoded.column >= inside.column) break;
    if (file_text.substr(offset, delimiter.size()) == delimiter) break;
    char c = file_text[offset];
    if (c == '\n') {
      ++decoded.line;
      decoded.column = 1;
    } else {
      ++decoded.column;
    }
    step(basic && c == '\\' ? EscapeLength(file_text, offset) : 1);
  }
  return file;
}

std::optional<LocatedMessage> SplitLocation(std::string_view message) {
  auto number_after = [&](std::string_view prefix,
                          size_t& pos) -> std::optional<int> {
    if (message.substr(pos, prefix.size()) != prefix) return std::nullopt;
    pos += prefix.size();
    int value = 0;
    auto [end, ec] = std::from_chars(message.data() + pos,
                                     message.data() + message.size(), value);
    if (ec != std::errc()) return std::nullopt;
    pos = end - message.data();
    return value;
  };
  size_t pos = 0;
  std::optional<int> line = number_after("line ", pos);
  if (!line) return std::nullopt;
  std::optional<int> column = number_after(", column ", pos);
  if (!column || message.substr(pos, 2) != ": ") return std::nullopt;
  return LocatedMessage{{*line, *column}, std::string(message.substr(pos + 2))};
}

}  // namespace prometheus::rules::internal

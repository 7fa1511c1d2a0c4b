#include "prometheus/rules/internal/message_template.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "prometheus/rules/internal/value_format.h"

namespace prometheus::rules::internal {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.';
}

// Tracks the line and column of a byte offset while scanning forward.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  void AdvanceTo(size_t offset) {
    for (; pos_ < offset && pos_ < text_.size(); ++pos_) {
      if (text_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else {
        ++column_;
      }
    }
  }

  std::unexpected<Error> Expected(size_t offset, std::string_view what) {
    AdvanceTo(offset);
    std::string found = offset < text_.size()
                            ? fmt::format("'{}'", text_[offset])
                            : std::string("end of text");
    return Fail(ErrorCode::kInvalidArgument,
                "line {}, column {}: expected {}, found {}", line_, column_,
                what, found);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

Result<std::vector<TemplatePiece>> ParseTemplate(std::string_view text) {
  std::vector<TemplatePiece> pieces;
  std::string literal;
  Cursor cursor(text);
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '}') {
      if (i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        i += 2;
        continue;
      }
      return cursor.Expected(i + 1, "'}}' for a literal brace");
    }
    if (c != '{') {
      literal += c;
      ++i;
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '{') {
      literal += '{';
      i += 2;
      continue;
    }
    size_t name_start = ++i;
    while (i < text.size() && IsNameChar(text[i])) ++i;
    if (i == name_start) return cursor.Expected(i, "a name after '{'");
    TemplatePiece piece{std::string(text.substr(name_start, i - name_start)),
                        "", true};
    if (i < text.size() && text[i] == ':') {
      size_t format_start = ++i;
      while (i < text.size() && text[i] != '}') ++i;
      piece.format = std::string(text.substr(format_start, i - format_start));
      if (!IsValueFormat(piece.format)) {
        cursor.AdvanceTo(format_start);
        return cursor.Expected(format_start,
                               "a format (bytes, duration, pct, int or .Nf)");
      }
    }
    if (i >= text.size() || text[i] != '}') {
      return cursor.Expected(i, "'}' or ':format' after the name");
    }
    ++i;
    if (!literal.empty()) pieces.push_back({std::move(literal), "", false});
    literal.clear();
    pieces.push_back(std::move(piece));
  }
  if (!literal.empty()) pieces.push_back({std::move(literal), "", false});
  return pieces;
}

std::vector<std::string> TemplateNames(
    const std::vector<TemplatePiece>& pieces) {
  std::vector<std::string> names;
  for (const TemplatePiece& piece : pieces) {
    if (piece.placeholder &&
        std::find(names.begin(), names.end(), piece.text) == names.end()) {
      names.push_back(piece.text);
    }
  }
  return names;
}

Result<std::string> RenderTemplate(const std::vector<TemplatePiece>& pieces,
                                   const Scope& scope) {
  std::string out;
  for (const TemplatePiece& piece : pieces) {
    if (!piece.placeholder) {
      out += piece.text;
      continue;
    }
    std::optional<ExprValue> value = scope.Lookup(piece.text);
    if (!value) return Fail(ErrorCode::kInvalidArgument,
                            "unknown name {}", piece.text);
    auto text = FormatValue(*value, piece.format);
    if (!text) return Wrap(fmt::format("{{{}}}", piece.text), text.error());
    out += *text;
  }
  return out;
}

}  // namespace prometheus::rules::internal

#include "prometheus/rewrite/ipynb_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace prometheus::rewrite::ipynb {
namespace {

// Deep enough for any notebook, shallow enough for the stack.
constexpr int kMaxDepth = 512;

// The length of the UTF-8 sequence starting at `at`, or 0 when it is not a
// well-formed one (overlongs, surrogates and code points past U+10FFFF
// refused).
size_t Utf8Length(std::string_view text, size_t at) {
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(at);
  if (lead < 0x80) return 1;
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
  if (lead < 0xC2 || lead > 0xF4 || at + length > text.size()) return 0;
  unsigned char second = byte(at + 1);
  unsigned char low = 0x80, high = 0xBF;
  if (lead == 0xE0) low = 0xA0;
  if (lead == 0xED) high = 0x9F;
  if (lead == 0xF0) low = 0x90;
  if (lead == 0xF4) high = 0x8F;
  if (second < low || second > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
  }
  return length;
}

uint32_t DecodeUtf8(std::string_view text, size_t at, size_t length) {
  auto byte = [&](size_t i) {
    return static_cast<unsigned char>(text[at + i]);
  };
  if (length == 1) return byte(0);
  uint32_t code = byte(0) & (0xFF >> (length + 1));
  for (size_t i = 1; i < length; ++i) code = (code << 6) | (byte(i) & 0x3F);
  return code;
}

void AppendUtf8(uint32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

class Parser {
 public:
  Parser(std::string_view text, JsonDocument& document)
      : text_(text), document_(document) {}

  Result<JsonValue> Document() {
    PROM_ASSIGN_OR_RETURN(JsonValue root, Value(0));
    SkipSpace();
    if (pos_ != text_.size())
      return Expected("the end of the document after the top-level value");
    return root;
  }

 private:
  std::unexpected<Error> Expected(std::string_view what) const {
    std::string found = "end of input";
    if (pos_ < text_.size()) {
      unsigned char c = text_[pos_];
      found = c >= 0x20 && c < 0x7F ? fmt::format("'{}'", text_[pos_])
                                    : fmt::format("byte 0x{:02x}", c);
    }
    return Fail(ErrorCode::kCorrupt,
                "{}: expected {}, found {}", JsonPosition(text_, pos_), what,
                found);
  }

  void SkipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' ||
            text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool Consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Result<JsonValue> Value(int depth) {
    SkipSpace();
    if (depth > kMaxDepth)
      return Expected(fmt::format("at most {} levels of nesting", kMaxDepth));
    JsonValue value;
    value.begin = pos_;
    char c = pos_ < text_.size() ? text_[pos_] : '\0';
    if (c == '{') {
      value.kind = JsonValue::Kind::kObject;
      PROM_TRY(Object(value, depth));
    } else if (c == '[') {
      value.kind = JsonValue::Kind::kArray;
      PROM_TRY(Array(value, depth));
    } else if (c == '"') {
      value.kind = JsonValue::Kind::kString;
      PROM_ASSIGN_OR_RETURN(value.string, String());
    } else if (Consume("true") || Consume("false")) {
      value.kind = JsonValue::Kind::kBool;
    } else if (Consume("null")) {
      value.kind = JsonValue::Kind::kNull;
    } else if (Consume("NaN") || Consume("Infinity") || Consume("-Infinity")) {
      value.kind =
          JsonValue::Kind::kNumber;  // Python's json writes and reads these
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      value.kind = JsonValue::Kind::kNumber;
      PROM_TRY(Number());
    } else {
      return Expected("a JSON value");
    }
    value.end = pos_;
    return value;
  }

  Status Object(JsonValue& object, int depth) {
    ++pos_;
    SkipSpace();
    if (Consume("}")) return Ok();
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"')
        return Expected("a string key in object");
      JsonMember member;
      member.key_begin = pos_;
      PROM_ASSIGN_OR_RETURN(member.key, String());
      SkipSpace();
      if (!Consume(":")) return Expected("':' after object key");
      PROM_ASSIGN_OR_RETURN(member.value, Value(depth + 1));
      object.members.push_back(std::move(member));
      SkipSpace();
      if (Consume("}")) return Ok();
      if (!Consume(",")) return Expected("',' or '}' in object");
    }
  }

  Status Array(JsonValue& array, int depth) {
    ++pos_;
    SkipSpace();
    if (Consume("]")) return Ok();
    while (true) {
      PROM_ASSIGN_OR_RETURN(JsonValue item, Value(depth + 1));
      array.items.push_back(std::move(item));
      SkipSpace();
      if (Consume("]")) return Ok();
      if (!Consume(",")) return Expected("',' or ']' in array");
    }
  }

  Status Digits() {
    if (pos_ >= text_.size() || text_[pos_] < '0' || text_[pos_] > '9')
      return Expected("a digit");
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
      ++pos_;
    return Ok();
  }

  Status Number() {
    Consume("-");
    if (!Consume("0")) PROM_TRY(Digits());
    if (Consume(".")) PROM_TRY(Digits());
    if (Consume("e") || Consume("E")) {
      if (!Consume("+")) Consume("-");
      PROM_TRY(Digits());
    }
    return Ok();
  }

  Result<uint32_t> Hex4() {
    uint32_t code = 0;
    for (int i = 0; i < 4; ++i, ++pos_) {
      char c = pos_ < text_.size() ? text_[pos_] : '\0';
      int digit = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
      if (digit < 0) return Expected("four hex digits after \\u");
      code = code * 16 + digit;
    }
    return code;
  }

  Result<uint32_t> Escape() {
    char c = pos_ < text_.size() ? text_[pos_] : '\0';
    static constexpr std::string_view kFrom = "\"\\/bfnrt",
                                      kTo = "\"\\/\b\f\n\r\t";
    if (size_t i = kFrom.find(c); c != '\0' && i != std::string_view::npos) {
      ++pos_;
      return static_cast<unsigned char>(kTo[i]);
    }
    if (c != 'u')
      return Expected(
          "an escape: one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
    ++pos_;
    PROM_ASSIGN_OR_RETURN(uint32_t code, Hex4());
    if (code >= 0xDC00 && code <= 0xDFFF) {
      pos_ -= 6;
      return Expected("a high surrogate before a low one");
    }
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (!Consume("\\u"))
        return Expected("a low surrogate \\uDC00-\\uDFFF after a high one");
      PROM_ASSIGN_OR_RETURN(uint32_t low, Hex4());
      if (low < 0xDC00 || low > 0xDFFF) {
        pos_ -= 6;
        return Expected("a low surrogate \\uDC00-\\uDFFF after a high one");
      }
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    if (code >= 0x80) document_.escaped_non_ascii = true;
    return code;
  }

  Result<std::string> String() {
    ++pos_;
    std::string out;
    while (true) {
      size_t run = pos_;
      while (pos_ < text_.size()) {
        unsigned char c = text_[pos_];
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++pos_;
      }
      out.append(text_.substr(run, pos_ - run));
      if (pos_ >= text_.size()) return Expected("'\"' closing the string");
      unsigned char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20)
        return Expected(
            "a string character (control characters must be escaped)");
      if (c == '\\') {
        ++pos_;
        PROM_ASSIGN_OR_RETURN(uint32_t code, Escape());
        AppendUtf8(code, out);
        continue;
      }
      size_t length = Utf8Length(text_, pos_);
      if (length == 0) return Expected("valid UTF-8");
      document_.raw_non_ascii = true;
      out.append(text_.substr(pos_, length));
      pos_ += length;
    }
  }

  std::string_view text_;
  JsonDocument& document_;
  uint32_t pos_ = 0;
};

}  // namespace

const JsonValue* JsonValue::Find(std::string_view key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it) {
    if (it->key == key) return &it->value;
  }
  return nullptr;
}

Result<JsonDocument> ParseJson(std::string_view text) {
  if (text.size() >= std::numeric_limits<uint32_t>::max()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the document is {} bytes; at most 4 GiB is supported",
                text.size());
  }
  JsonDocument document;
  Parser parser(text, document);
  PROM_ASSIGN_OR_RETURN(document.root, parser.Document());
  return document;
}

std::string JsonPosition(std::string_view text, uint32_t offset) {
  offset = std::min<size_t>(offset, text.size());
  size_t line = 1 + std::count(text.begin(), text.begin() + offset, '\n');
  return fmt::format("line {}, byte {}", line, offset);
}

std::string JsonQuote(std::string_view text, bool ensure_ascii) {
  std::string out = "\"";
  out.reserve(text.size() + 2);
  for (size_t i = 0; i < text.size();) {
    unsigned char c = text[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        // ensure_ascii also escapes DEL: Python's ESCAPE_ASCII keeps only '
        // '..'~'.
        if (c < 0x20 || (ensure_ascii && c == 0x7F)) {
          out += fmt::format("\\u{:04x}", c);
        } else if (c >= 0x80 && ensure_ascii) {
          size_t length = std::max<size_t>(Utf8Length(text, i), 1);
          uint32_t code = DecodeUtf8(text, i, length);
          if (code >= 0x10000) {
            code -= 0x10000;
            out += fmt::format("\\u{:04x}\\u{:04x}", 0xD800 + (code >> 10),
                               0xDC00 + (code & 0x3FF));
          } else {
            out += fmt::format("\\u{:04x}", code);
          }
          i += length;
          continue;
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

bool IsValidUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    size_t length = Utf8Length(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

std::vector<std::string_view> SplitLinesKeepEnds(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = text[i];
    size_t boundary = 0;  // the length of a line break at i
    if (c == '\r') {
      boundary = i + 1 < text.size() && text[i + 1] == '\n' ? 2 : 1;
    } else if (c == '\n' || c == 0x0B || c == 0x0C ||
               (c >= 0x1C && c <= 0x1E)) {
      boundary = 1;
    } else if (c == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0x85) {
      boundary = 2;  // U+0085
    } else if (c == 0xE2 && text.substr(i + 1, 1) == "\x80" &&
               i + 2 < text.size() &&
               (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
      boundary = 3;  // U+2028, U+2029
    }
    if (boundary == 0) {
      ++i;
      continue;
    }
    i += boundary;
    lines.push_back(text.substr(start, i - start));
    start = i;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

}  // namespace prometheus::rewrite::ipynb

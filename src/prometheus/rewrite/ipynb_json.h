// A small strict JSON scanner for .ipynb files that keeps the byte span of
// every value, and the string encoding Python's json.dumps uses. Libraries
// decode JSON but forget where each token sat; in-place notebook edits need it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::rewrite::ipynb {

struct JsonMember;

struct JsonValue {
  enum class Kind : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  uint32_t begin = 0;               // first byte of the value in the document
  uint32_t end = 0;                 // one past its last byte
  std::string string;               // a string's decoded UTF-8 text
  std::vector<JsonValue> items;     // an array's elements
  std::vector<JsonMember> members;  // an object's members, in file order

  bool IsString() const { return kind == Kind::kString; }
  // The member named `key` (the last one, as Python's json keeps), or null.
  const JsonValue* Find(std::string_view key) const;
};

struct JsonMember {
  std::string key;
  uint32_t key_begin = 0;  // the opening quote of the key
  JsonValue value;
};

struct JsonDocument {
  JsonValue root;
  bool raw_non_ascii = false;      // some byte >= 0x80 appears unescaped
  bool escaped_non_ascii = false;  // some string escapes a code point >= 0x80
};

// Parses RFC 8259 JSON plus the NaN/Infinity literals Python's json reads.
// Errors read "line 12, byte 340: expected ',' or '}' in object, found 'x'"
// (line 1-based, byte 0-based).
Result<JsonDocument> ParseJson(std::string_view text);

// "line L, byte B" for `offset` in `text`.
std::string JsonPosition(std::string_view text, uint32_t offset);

// `text` (valid UTF-8) as a JSON string token written the way Python's
// json.dumps writes it with the given ensure_ascii.
std::string JsonQuote(std::string_view text, bool ensure_ascii);

bool IsValidUtf8(std::string_view text);

// Python's str.splitlines(keepends=True), which nbformat uses to split a
// cell source into list elements.
std::vector<std::string_view> SplitLinesKeepEnds(std::string_view text);

}  // namespace prometheus::rewrite::ipynb

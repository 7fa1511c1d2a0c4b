// Maps a position inside a TOML string's value (an expression or a
// template) to its position in the file, so errors point at the bad token.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace prometheus::rules::internal {

struct TextPosition {
  int line = 1;    // 1-based
  int column = 1;  // 1-based, in bytes
};

// Where character `inside` of the decoded value of the TOML string that
// starts (at its opening quote) at `token` lies in `file_text`. Handles the
// four string kinds, escapes and a multi-line string's trimmed first newline
// and line-ending backslashes.
TextPosition PositionInFile(std::string_view file_text, TextPosition token,
                            TextPosition inside);

// A message "line L, column C: rest" as its parts; nullopt when it has no
// such prefix.
struct LocatedMessage {
  TextPosition position;
  std::string rest;
};
std::optional<LocatedMessage> SplitLocation(std::string_view message);

}  // namespace prometheus::rules::internal

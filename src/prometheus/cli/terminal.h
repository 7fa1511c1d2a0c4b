// The program's two streams: what the report renderers return goes out
// through here.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string_view>

namespace prometheus::cli {

// Writes `text` whole, embedded NULs included.
inline void Write(std::FILE* stream, std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stream);
}

inline bool IsTerminal(std::FILE* stream) { return ::isatty(::fileno(stream)) != 0; }

}  // namespace prometheus::cli

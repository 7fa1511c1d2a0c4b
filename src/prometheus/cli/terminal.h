// The program's two streams: what the report renderers return goes out
// through here. They are stdout and stderr unless the caller of Run chose
// others (the Python module captures them, python/).
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string_view>

namespace prometheus::cli {

// The streams every command writes to: process-wide, so one command runs at
// a time while they are not stdout and stderr.
struct Streams {
  std::FILE* out = stdout;
  std::FILE* err = stderr;
};

Streams& CurrentStreams();
inline std::FILE* Out() { return CurrentStreams().out; }
inline std::FILE* Err() { return CurrentStreams().err; }

// Makes `streams` current for its lifetime, then puts back the previous ones.
class StreamsScope {
 public:
  explicit StreamsScope(Streams streams) : saved_(CurrentStreams()) { CurrentStreams() = streams; }
  ~StreamsScope() { CurrentStreams() = saved_; }
  StreamsScope(const StreamsScope&) = delete;
  StreamsScope& operator=(const StreamsScope&) = delete;

 private:
  Streams saved_;
};

// Writes `text` whole, embedded NULs included.
inline void Write(std::FILE* stream, std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stream);
}

// False for a stream with no file descriptor (an in-memory one).
inline bool IsTerminal(std::FILE* stream) {
  int fd = ::fileno(stream);
  return fd >= 0 && ::isatty(fd) != 0;
}

}  // namespace prometheus::cli

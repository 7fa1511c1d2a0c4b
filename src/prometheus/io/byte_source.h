// Byte streams: a local file, or the decompressed contents of another stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "prometheus/base/result.h"

namespace prometheus::io {

// A forward-only stream of bytes.
class ByteSource {
 public:
  virtual ~ByteSource() = default;

  // Fills the front of `buffer` and returns how many bytes were written;
  // 0 means the stream has ended. A short read is not the end.
  virtual Result<size_t> Read(std::span<char> buffer) = 0;

  // A name for error messages, usually the file path.
  virtual const std::string& name() const = 0;

  // Once Read has returned 0: where a compressed stream that ended inside a
  // block, frame or member (a cut file, or one still being written) was cut,
  // as the offset in the compressed bytes where that unfinished unit
  // starts. nullopt for a clean end, or for a source that is not compressed.
  virtual std::optional<uint64_t> cut_at() const { return std::nullopt; }
};

// Opens a local file for reading; the error names the path.
Result<std::unique_ptr<ByteSource>> OpenFile(const std::filesystem::path& path);

// A source over bytes held in memory, for tests and small inputs.
std::unique_ptr<ByteSource> MemorySource(std::string bytes, std::string name);

// Reads `source` to its end.
Result<std::string> ReadAll(ByteSource& source);

}  // namespace prometheus::io

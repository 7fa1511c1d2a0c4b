#include "prometheus/io/byte_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace prometheus::io {
namespace {

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  ~FileSource() override { ::close(fd_); }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  Result<size_t> Read(std::span<char> buffer) override {
    while (true) {
      ssize_t n = ::read(fd_, buffer.data(), buffer.size());
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      return Fail(ErrorCode::kIo, "{}: read failed: {}", name_,
                  std::strerror(errno));
    }
  }
  const std::string& name() const override { return name_; }

 private:
  int fd_;
  std::string name_;
};

class StringSource final : public ByteSource {
 public:
  StringSource(std::string bytes, std::string name)
      : bytes_(std::move(bytes)), name_(std::move(name)) {}

  Result<size_t> Read(std::span<char> buffer) override {
    size_t n = std::min(buffer.size(), bytes_.size() - offset_);
    std::memcpy(buffer.data(), bytes_.data() + offset_, n);
    offset_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }

 private:
  std::string bytes_;
  size_t offset_ = 0;
  std::string name_;
};

}  // namespace

Result<std::unique_ptr<ByteSource>> OpenFile(
    const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    // A missing file is the caller's mistake; any other refusal is the OS's.
    ErrorCode code = errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo;
    return Fail(code, "{}: cannot open: {}", path.string(),
                std::strerror(errno));
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::make_unique<FileSource>(fd, path.string());
}

std::unique_ptr<ByteSource> MemorySource(std::string bytes, std::string name) {
  return std::make_unique<StringSource>(std::move(bytes), std::move(name));
}

Result<std::string> ReadAll(ByteSource& source) {
  std::string out;
  size_t used = 0;
  while (true) {
    if (out.size() - used < 65536) out.resize(out.size() * 2 + 65536);
    PROM_ASSIGN_OR_RETURN(size_t n,
                          source.Read(std::span(out.data() + used,
                                                out.size() - used)));
    if (n == 0) break;
    used += n;
  }
  out.resize(used);
  return out;
}

}  // namespace prometheus::io

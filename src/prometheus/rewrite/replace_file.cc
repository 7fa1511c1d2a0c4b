#include "prometheus/rewrite/replace_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace prometheus::rewrite {
namespace {

namespace fs = std::filesystem;

std::unexpected<Error> IoError(const fs::path& path, std::string_view what,
                               int error) {
  return Fail(ErrorCode::kIo, "{}: {}: {}", path.string(), what,
              std::strerror(error));
}

// The temporary file: removed on destruction unless it was renamed.
class Temporary {
 public:
  explicit Temporary(fs::path path) : path_(std::move(path)) {}
  ~Temporary() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }
  Temporary(const Temporary&) = delete;
  Temporary& operator=(const Temporary&) = delete;

  const fs::path& path() const { return path_; }
  int fd() const { return fd_; }
  void set_fd(int fd) { fd_ = fd; }
  void set_renamed() { renamed_ = true; }
  int Close() {
    int result = ::close(fd_);
    fd_ = -1;
    return result;
  }

 private:
  fs::path path_;
  int fd_ = -1;
  bool renamed_ = false;
};

Status WriteAll(int fd, std::string_view text, const fs::path& where) {
  while (!text.empty()) {
    ssize_t wrote = ::write(fd, text.data(), text.size());
    if (wrote < 0) {
      if (errno == EINTR) continue;
      return IoError(where, "cannot write", errno);
    }
    text.remove_prefix(static_cast<size_t>(wrote));
  }
  return Ok();
}

}  // namespace

Status ReplaceFile(const fs::path& path, std::string_view text) {
  struct stat original {};
  if (::stat(path.c_str(), &original) != 0)
    return IoError(path, "cannot stat", errno);
  fs::path temporary_path = path;
  temporary_path += ".prometheus-tmp";
  int fd = ::open(temporary_path.c_str(),
                  O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    // Not ours (EEXIST: a file of that name is left alone) or not created.
    return IoError(path, "cannot write a temporary file beside it", errno);
  }
  Temporary temporary(temporary_path);
  temporary.set_fd(fd);
  PROM_TRY(WriteAll(fd, text, path));
  if (::fchmod(fd, original.st_mode & 07777) != 0)
    return IoError(path, "cannot set permissions", errno);
  if (::fsync(fd) != 0)
    return IoError(path, "cannot flush", errno);
  if (temporary.Close() != 0)
    return IoError(path, "cannot close", errno);
  if (::rename(temporary_path.c_str(), path.c_str()) != 0)
    return IoError(path, "cannot replace", errno);
  temporary.set_renamed();
  return Ok();
}

}  // namespace prometheus::rewrite

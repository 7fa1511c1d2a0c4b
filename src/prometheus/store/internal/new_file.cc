#include "prometheus/store/internal/new_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace prometheus::store::internal {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

std::filesystem::path Folder(const std::filesystem::path& path) {
  std::filesystem::path folder = path.parent_path();
  return folder.empty() ? std::filesystem::path(".") : folder;
}

// Links `from` to `to` unless `to` exists. link() is atomic on local
// filesystems and NFS; where hard links are refused, rename without
// replacing does the same.
int LinkNoReplace(const std::filesystem::path& from,
                  const std::filesystem::path& to) {
  if (::link(from.c_str(), to.c_str()) == 0) return 0;
  const int error = errno;
  if (error != EPERM && error != ENOTSUP && error != EOPNOTSUPP &&
      error != EXDEV) {
    return error;
  }
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(),
                  RENAME_NOREPLACE) == 0) {
    return 0;
  }
  return errno;
}

}  // namespace

Result<NewFile> NewFile::Create(const std::filesystem::path& path) {
  static std::atomic<uint64_t> counter{0};
  std::filesystem::path temp =
      Folder(path) / fmt::format(".{}.{}-{}.tmp", path.filename().string(),
                                 ::getpid(), counter.fetch_add(1));
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Fail("{}: cannot create a temporary file in its folder: {}",
                path.string(), ErrnoText(errno));
  }
  return NewFile(path, std::move(temp), fd);
}

NewFile::NewFile(NewFile&& other) noexcept
    : path_(std::move(other.path_)),
      temp_(std::move(other.temp_)),
      fd_(other.fd_),
      size_(other.size_),
      committed_(other.committed_) {
  other.fd_ = -1;
  other.committed_ = true;  // nothing left for it to clean up
}

NewFile::~NewFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_.c_str());
}

Status NewFile::Append(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail("{}: write failed: {}", path_.string(), ErrnoText(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
    size_ += static_cast<uint64_t>(n);
  }
  return Ok();
}

Status NewFile::Commit() {
  if (::fsync(fd_) != 0) {
    return Fail("{}: fsync failed: {}", path_.string(), ErrnoText(errno));
  }
  if (::close(fd_) != 0) {
    fd_ = -1;
    return Fail("{}: close failed: {}", path_.string(), ErrnoText(errno));
  }
  fd_ = -1;
  const int error = LinkNoReplace(temp_, path_);
  if (error == EEXIST) {
    return Fail("{}: already exists; Parquet files are never overwritten",
                path_.string());
  }
  if (error != 0) {
    return Fail("{}: cannot link the finished file into place: {}",
                path_.string(), ErrnoText(error));
  }
  committed_ = true;
  ::unlink(temp_.c_str());  // gone already if renameat2 moved it
  // Make the new name itself durable.
  const int dir =
      ::open(Folder(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return Ok();
}

}  // namespace prometheus::store::internal

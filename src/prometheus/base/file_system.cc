// The local disk. A new file is written under a hidden temporary name in its
// folder, flushed, then linked to its final name, which link() never
// replaces: the file appears whole or not at all, and only once.
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstring>
#include <fstream>

#include "prometheus/base/file_system.h"

namespace prometheus {
namespace fs = std::filesystem;
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

fs::path Folder(const fs::path& path) {
  fs::path folder = path.parent_path();
  return folder.empty() ? fs::path(".") : folder;
}

// Links `from` to `to` unless `to` exists. link() is atomic on local
// filesystems and NFS; where hard links are refused, rename without
// replacing does the same.
int LinkNoReplace(const fs::path& from, const fs::path& to) {
  if (::link(from.c_str(), to.c_str()) == 0) return 0;
  const int error = errno;
  if (error != EPERM && error != ENOTSUP && error != EOPNOTSUPP && error != EXDEV) {
    return error;
  }
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
    return 0;
  }
  return errno;
}

class LocalNewFile : public NewFile {
 public:
  LocalNewFile(fs::path path, fs::path temp, int fd)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {}
  ~LocalNewFile() override {
    if (fd_ >= 0) ::close(fd_);
    if (!linked_) ::unlink(temp_.c_str());
  }

  Status Append(std::string_view bytes) override {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(ErrorCode::kIo, "{}: write failed: {}", path_.string(), ErrnoText(errno));
      }
      bytes.remove_prefix(static_cast<size_t>(n));
      size_ += static_cast<uint64_t>(n);
    }
    return Ok();
  }

  Result<bool> Commit() override {
    if (::fsync(fd_) != 0) {
      return Fail(ErrorCode::kIo, "{}: fsync failed: {}", path_.string(), ErrnoText(errno));
    }
    const int closed = ::close(fd_);
    fd_ = -1;
    if (closed != 0) {
      return Fail(ErrorCode::kIo, "{}: close failed: {}", path_.string(), ErrnoText(errno));
    }
    const int error = LinkNoReplace(temp_, path_);
    if (error == EEXIST) return false;
    if (error != 0) {
      return Fail(ErrorCode::kIo, "{}: cannot link the finished file into place: {}",
                  path_.string(), ErrnoText(error));
    }
    linked_ = true;
    ::unlink(temp_.c_str());  // gone already if renameat2 moved it
    // Make the new name itself durable.
    const int folder = ::open(Folder(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0 || ::fsync(folder) != 0) {
      const int saved = errno;
      if (folder >= 0) ::close(folder);
      return Fail(ErrorCode::kIo, "{}: written, but its folder could not be flushed: {}",
                  path_.string(), ErrnoText(saved));
    }
    ::close(folder);
    return true;
  }

  uint64_t size() const override { return size_; }

 private:
  fs::path path_;
  fs::path temp_;
  int fd_ = -1;
  uint64_t size_ = 0;
  bool linked_ = false;
};

class Local : public FileSystem {
 public:
  Result<std::vector<Entry>> List(const fs::path& folder) override {
    std::vector<Entry> entries;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      Entry entry{it->path().filename().string(), it->is_directory(type_ec)};
      if (!entry.is_folder) {
        std::error_code stat_ec;
        entry.size_bytes = it->file_size(stat_ec);
        if (stat_ec) entry.size_bytes = 0;
        auto modified = it->last_write_time(stat_ec);
        if (!stat_ec) {
          entry.modified_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::file_clock::to_sys(modified).time_since_epoch())
                                  .count();
        }
      }
      entries.push_back(std::move(entry));
    }
    if (ec == std::errc::no_such_file_or_directory) {
      return Fail(ErrorCode::kNotFound, "{}: no such folder", folder.string());
    }
    if (ec) return Fail(ErrorCode::kIo, "{}: cannot list: {}", folder.string(), ec.message());
    return entries;
  }

  Result<std::string> Read(const fs::path& path) override {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      const int error = errno;
      return Fail(error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                  "{}: cannot open: {}", path.string(), ErrnoText(error));
    }
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0);
    std::string bytes(static_cast<size_t>(size < 0 ? 0 : size), '\0');
    if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
      return Fail(ErrorCode::kIo, "{}: read failed", path.string());
    }
    return bytes;
  }

  Result<std::string> ReadRange(const fs::path& path, uint64_t offset,
                                uint64_t length) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      const int error = errno;
      return Fail(error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                  "{}: cannot open: {}", path.string(), ErrnoText(error));
    }
    std::string bytes(length, '\0');
    size_t filled = 0;
    while (filled < length) {
      ssize_t n = ::pread(fd, bytes.data() + filled, length - filled,
                          static_cast<off_t>(offset + filled));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        const int error = errno;
        ::close(fd);
        return Fail(ErrorCode::kIo, "{}: read failed at byte {}: {}", path.string(),
                    offset + filled, ErrnoText(error));
      }
      if (n == 0) break;
      filled += static_cast<size_t>(n);
    }
    ::close(fd);
    bytes.resize(filled);
    return bytes;
  }

  Result<std::unique_ptr<NewFile>> Create(const fs::path& path) override {
    static std::atomic<uint64_t> counter{0};
    fs::path temp = Folder(path) / fmt::format(".{}.{}-{}.tmp", path.filename().string(),
                                               ::getpid(), counter.fetch_add(1));
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      const int error = errno;
      return Fail(error == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                  "{}: cannot create a temporary file in its folder: {}", path.string(),
                  ErrnoText(error));
    }
    return std::make_unique<LocalNewFile>(path, std::move(temp), fd);
  }

  Status CreateFolders(const fs::path& folder) override {
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) return Fail(ErrorCode::kIo, "{}: cannot create: {}", folder.string(), ec.message());
    return Ok();
  }

  Status Rename(const fs::path& from, const fs::path& to) override {
    std::error_code ec;
    fs::rename(from, to, ec);
    if (ec) {
      return Fail(ErrorCode::kIo, "{}: cannot rename to {}: {}", from.string(), to.string(),
                  ec.message());
    }
    return Ok();
  }

  Status Delete(const fs::path& path) override {
    std::error_code ec;
    fs::remove(path, ec);
    if (ec) return Fail(ErrorCode::kIo, "{}: cannot delete: {}", path.string(), ec.message());
    return Ok();
  }
};

}  // namespace

FileSystem& LocalFileSystem() {
  static Local* local = new Local();
  return *local;
}

}  // namespace prometheus

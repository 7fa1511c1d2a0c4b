// Creating a file that appears whole or not at all: bytes go to a temporary
// name in the same folder, are flushed to disk, and are then linked to the
// final name, which must not exist yet (it is never overwritten).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "prometheus/base/result.h"

namespace prometheus::store::internal {

class NewFile {
 public:
  // Creates the temporary file for `path`.
  static Result<NewFile> Create(const std::filesystem::path& path);

  NewFile(NewFile&& other) noexcept;
  NewFile& operator=(NewFile&&) = delete;
  // Removes the temporary file unless Commit succeeded.
  ~NewFile();

  Status Append(std::string_view bytes);
  // Flushes the bytes to disk and gives them the final name; an existing
  // file there is an error and stays untouched.
  Status Commit();

  uint64_t size() const { return size_; }

 private:
  NewFile(std::filesystem::path path, std::filesystem::path temp, int fd)
      : path_(std::move(path)), temp_(std::move(temp)), fd_(fd) {}

  std::filesystem::path path_;
  std::filesystem::path temp_;
  int fd_ = -1;
  uint64_t size_ = 0;
  bool committed_ = false;
};

}  // namespace prometheus::store::internal

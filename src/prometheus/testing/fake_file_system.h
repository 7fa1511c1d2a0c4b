// A FileSystem for fault tests: it passes every call to another one (the
// local disk by default) and makes the new files a test chooses fail the way
// disks and object stores fail.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "prometheus/base/file_system.h"

namespace prometheus::testing {

class FakeFileSystem : public FileSystem {
 public:
  enum class Fault {
    kNoSpace,     // the first Append fails with ENOSPC, having written nothing
    kShortWrite,  // the first Append writes half its bytes, then fails with ENOSPC
    kIoError,     // Commit fails with EIO (the fsync): nothing is published
    kLostRace,    // Commit finds the name taken by another writer: false
    kPublishedThenIoError,  // Commit publishes the file, then its folder's
                            // fsync fails with EIO: the outcome looks unknown
  };

  explicit FakeFileSystem(FileSystem& inner = LocalFileSystem()) : inner_(inner) {}

  // The `nth` file created from now on (0 the next one) gets `fault`; a
  // lost race is decided before the inner file system is asked.
  void FailNewFile(int nth, Fault fault) { by_index_[created_.size() + nth] = fault; }
  // Every file created from now on whose name ends with `suffix` gets `fault`.
  void FailNewFiles(std::string suffix, Fault fault) { by_suffix_.emplace_back(suffix, fault); }

  // The files created so far, in order (a Create that failed is not one).
  const std::vector<std::filesystem::path>& created() const { return created_; }

  Result<std::vector<Entry>> List(const std::filesystem::path& folder) override {
    return inner_.List(folder);
  }
  Result<std::string> Read(const std::filesystem::path& path) override {
    return inner_.Read(path);
  }
  Result<std::string> ReadRange(const std::filesystem::path& path, uint64_t offset,
                                uint64_t length) override {
    return inner_.ReadRange(path, offset, length);
  }
  Result<std::unique_ptr<NewFile>> Create(const std::filesystem::path& path) override;
  Status CreateFolders(const std::filesystem::path& folder) override {
    return inner_.CreateFolders(folder);
  }
  Status Rename(const std::filesystem::path& from, const std::filesystem::path& to) override {
    return inner_.Rename(from, to);
  }
  Status Delete(const std::filesystem::path& path) override { return inner_.Delete(path); }

 private:
  FileSystem& inner_;
  std::vector<std::filesystem::path> created_;
  std::map<size_t, Fault> by_index_;
  std::vector<std::pair<std::string, Fault>> by_suffix_;
};

}  // namespace prometheus::testing

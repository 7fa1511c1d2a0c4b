// The file operations a store needs, behind one interface (after LevelDB's
// Env and DuckDB's FileSystem): the local disk implements it today; a fake
// injects faults in tests; a remote store (a volume, an object store) is one
// more implementation, with no change to the code above it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus {

// A file being written: nobody sees it until Commit publishes it whole.
class NewFile {
 public:
  virtual ~NewFile() = default;  // an uncommitted file is discarded

  virtual Status Append(std::string_view bytes) = 0;
  // Makes the bytes durable, then gives them the file's name unless a file
  // has that name already: true when published, false when the name was
  // taken (the existing file is untouched and this one is discarded).
  virtual Result<bool> Commit() = 0;
  // Bytes appended so far.
  virtual uint64_t size() const = 0;
};

class FileSystem {
 public:
  struct Entry {
    std::string name;  // the file name, without its folder
    bool is_folder = false;
    uint64_t size_bytes = 0;  // of a file
    int64_t modified_ms = 0;  // of a file, in milliseconds since the epoch
  };

  virtual ~FileSystem() = default;

  // The entries of `folder`, in no particular order; a folder that does not
  // exist is an error with code kNotFound.
  virtual Result<std::vector<Entry>> List(const std::filesystem::path& folder) = 0;
  // The whole content of a file.
  virtual Result<std::string> Read(const std::filesystem::path& path) = 0;
  // `length` bytes from `offset` (fewer where the file ends first).
  virtual Result<std::string> ReadRange(const std::filesystem::path& path, uint64_t offset,
                                        uint64_t length) = 0;
  // Starts writing `path`, which is published only by NewFile::Commit and
  // only if absent then: the put-if-absent that commits rely on. A missing
  // folder is an error with code kNotFound.
  virtual Result<std::unique_ptr<NewFile>> Create(const std::filesystem::path& path) = 0;
  // Creates `folder` and its missing parents (nothing to do where folders are
  // implicit).
  virtual Status CreateFolders(const std::filesystem::path& folder) = 0;
  // Renames `from` to `to`, replacing `to` if it exists.
  virtual Status Rename(const std::filesystem::path& from, const std::filesystem::path& to) = 0;
  // Deletes a file; deleting a file that is not there is not an error.
  virtual Status Delete(const std::filesystem::path& path) = 0;
};

// The local disk, for the whole process.
FileSystem& LocalFileSystem();

}  // namespace prometheus

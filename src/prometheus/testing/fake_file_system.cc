#include "prometheus/testing/fake_file_system.h"

#include <cerrno>
#include <cstring>
#include <optional>

namespace prometheus::testing {
namespace {

using Fault = FakeFileSystem::Fault;

// Another writer holds the name: whatever is appended is dropped.
class LosingFile : public NewFile {
 public:
  Status Append(std::string_view bytes) override {
    size_ += bytes.size();
    return Ok();
  }
  Result<bool> Commit() override { return false; }
  uint64_t size() const override { return size_; }

 private:
  uint64_t size_ = 0;
};

class FaultyFile : public NewFile {
 public:
  FaultyFile(std::filesystem::path path, std::unique_ptr<NewFile> inner, Fault fault)
      : path_(std::move(path)), inner_(std::move(inner)), fault_(fault) {}

  Status Append(std::string_view bytes) override {
    if (fault_ == Fault::kShortWrite) {
      PROM_TRY(inner_->Append(bytes.substr(0, bytes.size() / 2)));
      return Fail(ErrorCode::kIo, "{}: write failed: {}", path_.string(), std::strerror(ENOSPC));
    }
    if (fault_ == Fault::kNoSpace) {
      return Fail(ErrorCode::kIo, "{}: write failed: {}", path_.string(), std::strerror(ENOSPC));
    }
    return inner_->Append(bytes);
  }
  Result<bool> Commit() override {
    if (fault_ == Fault::kIoError) {
      return Fail(ErrorCode::kIo, "{}: fsync failed: {}", path_.string(), std::strerror(EIO));
    }
    PROM_ASSIGN_OR_RETURN(bool published, inner_->Commit());
    if (published && fault_ == Fault::kPublishedThenIoError) {
      return Fail(ErrorCode::kIo, "{}: fsync of its folder failed: {}", path_.string(),
                  std::strerror(EIO));
    }
    return published;
  }
  uint64_t size() const override { return inner_->size(); }

 private:
  std::filesystem::path path_;
  std::unique_ptr<NewFile> inner_;
  Fault fault_;
};

}  // namespace

Result<std::unique_ptr<NewFile>> FakeFileSystem::Create(const std::filesystem::path& path) {
  std::optional<Fault> fault;
  if (auto it = by_index_.find(created_.size()); it != by_index_.end()) fault = it->second;
  for (const auto& [suffix, suffix_fault] : by_suffix_) {
    if (path.filename().string().ends_with(suffix)) fault = suffix_fault;
  }
  if (fault == Fault::kLostRace) {
    created_.push_back(path);
    return std::make_unique<LosingFile>();
  }
  // A Create the inner file system refuses is not counted: the fault waits
  // for the next file.
  PROM_ASSIGN_OR_RETURN(std::unique_ptr<NewFile> file, inner_.Create(path));
  created_.push_back(path);
  if (!fault) return file;
  return std::make_unique<FaultyFile>(path, std::move(file), *fault);
}

}  // namespace prometheus::testing

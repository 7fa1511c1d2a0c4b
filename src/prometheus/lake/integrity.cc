#include "prometheus/lake/integrity.h"

#include <fmt/format.h>

#include <map>
#include <string>

namespace prometheus::lake {
namespace {

namespace fs = std::filesystem;
using Entries = std::map<std::string, FileSystem::Entry>;

constexpr std::string_view kParquetMagic = "PAR1";

// A file's entries by name, listed once per folder.
class FolderCache {
 public:
  explicit FolderCache(FileSystem& file_system) : file_system_(file_system) {}

  Result<const Entries*> Of(const fs::path& folder) {
    auto it = folders_.find(folder);
    if (it != folders_.end()) return &it->second;
    PROM_ASSIGN_OR_RETURN(auto listed, file_system_.List(folder));
    Entries& entries = folders_[folder];
    for (auto& entry : listed) entries[entry.name] = std::move(entry);
    return &entries;
  }

 private:
  FileSystem& file_system_;
  std::map<fs::path, Entries> folders_;
};

// Why `path` is not the Parquet file of `expected_size` bytes that the log
// names, or "" when it is.
Result<std::string> ProblemOf(FileSystem& file_system, FolderCache& folders,
                              const fs::path& path, int64_t expected_size) {
  Result<const Entries*> entries = folders.Of(path.parent_path());
  if (!entries && entries.error().code != ErrorCode::kNotFound) {
    return std::unexpected(entries.error());
  }
  auto it = entries ? (*entries)->find(path.filename().string()) : Entries::const_iterator();
  if (!entries || it == (*entries)->end() || it->second.is_folder) return std::string("missing");
  const uint64_t size = it->second.size_bytes;
  if (expected_size >= 0 && size != static_cast<uint64_t>(expected_size)) {
    return fmt::format("{} bytes where the log says {}", size, expected_size);
  }
  if (size < 2 * kParquetMagic.size()) return fmt::format("{} bytes, too short for Parquet", size);
  PROM_ASSIGN_OR_RETURN(std::string head, file_system.ReadRange(path, 0, kParquetMagic.size()));
  PROM_ASSIGN_OR_RETURN(std::string tail,
                        file_system.ReadRange(path, size - kParquetMagic.size(),
                                              kParquetMagic.size()));
  if (head != kParquetMagic || tail != kParquetMagic) {
    return std::string("not Parquet (no PAR1 magic at both ends)");
  }
  return std::string();
}

bool IsUri(const std::string& path) {
  size_t colon = path.find(':');
  return colon != std::string::npos && path.find('/') > colon;
}

bool IsUnfinishedWrite(const std::string& name) {
  return name.starts_with(".") && name.ends_with(".tmp");
}

}  // namespace

Status CheckDataFiles(const delta::DeltaTable& table, const delta::Snapshot& snapshot) {
  FolderCache folders(table.file_system());
  for (const auto& [path, add] : snapshot.files) {
    if (IsUri(path)) continue;
    const fs::path file = table.root() / path;
    PROM_ASSIGN_OR_RETURN(std::string problem,
                          ProblemOf(table.file_system(), folders, file, add.size));
    if (!problem.empty()) {
      return Fail(ErrorCode::kCorrupt,
                  "{}: data file {} of version {} is {}: the table cannot be read whole, "
                  "so nothing is written on top of it; restore the file, or move the "
                  "table away to start a new one",
                  table.root().string(), file.string(), snapshot.version, problem);
    }
  }
  return Ok();
}

Result<RemovedOrphans> RemoveOrphans(const delta::DeltaTable& table,
                                     const delta::Snapshot& snapshot, int64_t now_ms,
                                     int64_t min_age_ms) {
  RemovedOrphans removed;
  FileSystem& file_system = table.file_system();
  for (const fs::path& folder : {table.root(), table.log_dir()}) {
    Result<std::vector<FileSystem::Entry>> entries = file_system.List(folder);
    if (!entries && entries.error().code == ErrorCode::kNotFound) continue;
    if (!entries) return std::unexpected(entries.error());
    const bool is_log = folder == table.log_dir();
    for (const FileSystem::Entry& entry : *entries) {
      if (entry.is_folder || now_ms - entry.modified_ms < min_age_ms) continue;
      const bool data_file = !is_log && entry.name.ends_with(".parquet") &&
                             !entry.name.starts_with(".") &&
                             !snapshot.files.contains(entry.name) &&
                             !snapshot.tombstones.contains(entry.name);
      if (!data_file && !IsUnfinishedWrite(entry.name)) continue;
      if (file_system.Delete(folder / entry.name)) {
        ++removed.files;
        removed.bytes += entry.size_bytes;
      }
    }
  }
  return removed;
}

}  // namespace prometheus::lake

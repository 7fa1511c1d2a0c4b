// Reading the workspace's files: DBFS (`dbfs:/...`, base64 reads of at most
// 1 MiB) and Unity Catalog volumes through the Files API (`/Volumes/...`,
// byte ranges), routed by path as the SDKs route them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/databricks/workspace.h"

namespace prometheus::databricks {

enum class Storage { kDbfs, kVolumes, kS3, kUnknown };

// `/Volumes/...` and `dbfs:/Volumes/...` are volumes; other `dbfs:/` paths
// DBFS; `s3://` is not readable through the workspace.
Storage StorageOf(std::string_view path);

struct FileEntry {
  std::string path;  // absolute, as the API gave it, without a trailing '/'
  std::string name;
  bool is_dir = false;
  int64_t size = 0;
};

// The entries of a folder (all pages). A missing folder is kNotFound.
Result<std::vector<FileEntry>> ListFolder(const Workspace& workspace, const std::string& folder);

// Bytes moved per request.
inline constexpr int64_t kDbfsChunk = 1 << 20;       // the DBFS read maximum
inline constexpr int64_t kFilesChunk = 8 << 20;      // one Files API range

// Downloads `size` bytes of `path` into `local` through a temporary file in
// `partial_folder` (same file system) renamed into place, so that a killed
// download leaves nothing under `local`'s folder; one chunk in memory at a
// time.
Status Download(const Workspace& workspace, const std::string& path, int64_t size,
                const std::filesystem::path& local, const std::filesystem::path& partial_folder);

// Puts `bytes` at `path` (a `/Volumes/...` path) with the Files API, never
// overwriting: a file already there under the same name is taken for this
// one (callers name files by their content), so a retried put is harmless.
// Returns whether this call created the file.
Result<bool> UploadOnce(const Workspace& workspace, const std::string& path, std::string bytes);

// Deletes the volume file `path`; one already gone is no error.
Status DeleteFile(const Workspace& workspace, const std::string& path);

}  // namespace prometheus::databricks

#include "prometheus/databricks/files.h"

#include <fmt/format.h>

#include <unistd.h>

#include <atomic>
#include <fstream>

#include "prometheus/base/base64.h"
#include "prometheus/http/url.h"

namespace prometheus::databricks {
namespace {

using nlohmann::json;

// The path the API takes: `dbfs:` removed (DBFS), `/Volumes/...` kept.
std::string ApiPath(std::string_view path) {
  if (path.starts_with("dbfs:")) path.remove_prefix(5);
  std::string out(path);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string BaseName(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  auto slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

Storage StorageOf(std::string_view path) {
  if (path.starts_with("s3://") || path.starts_with("s3a://")) return Storage::kS3;
  std::string api = ApiPath(path);
  if (api.starts_with("/Volumes/")) return Storage::kVolumes;
  if (path.starts_with("dbfs:/") || path.starts_with("/")) return Storage::kDbfs;
  return Storage::kUnknown;
}

Result<std::vector<FileEntry>> ListFolder(const Workspace& workspace, const std::string& folder) {
  std::vector<FileEntry> entries;
  std::string path = ApiPath(folder);
  if (StorageOf(folder) == Storage::kDbfs) {
    PROM_ASSIGN_OR_RETURN(json answer, workspace.GetJson("/api/2.0/dbfs/list", {{"path", path}}));
    if (auto it = answer.find("files"); it != answer.end() && it->is_array()) {
      for (const auto& file : *it) {
        FileEntry entry;
        entry.path = ApiPath(file.value("path", ""));
        entry.name = BaseName(entry.path);
        entry.is_dir = file.value("is_dir", false);
        entry.size = file.contains("file_size") && file["file_size"].is_number_integer()
                         ? file["file_size"].get<int64_t>() : 0;
        entries.push_back(std::move(entry));
      }
    }
    return entries;
  }
  if (StorageOf(folder) != Storage::kVolumes) {
    return Fail(ErrorCode::kInvalidArgument, "{}: not a DBFS or volume path", folder);
  }
  std::string token;
  for (;;) {
    Query query = {{"page_size", "1000"}};
    if (!token.empty()) query.emplace_back("page_token", token);
    PROM_ASSIGN_OR_RETURN(json answer,
                          workspace.GetJson("/api/2.0/fs/directories" + http::EncodePath(path), query));
    if (auto it = answer.find("contents"); it != answer.end() && it->is_array()) {
      for (const auto& item : *it) {
        FileEntry entry;
        entry.path = ApiPath(item.value("path", ""));
        entry.name = item.value("name", BaseName(entry.path));
        entry.is_dir = item.value("is_directory", false);
        entry.size = item.contains("file_size") && item["file_size"].is_number_integer()
                         ? item["file_size"].get<int64_t>() : 0;
        entries.push_back(std::move(entry));
      }
    }
    token = answer.value("next_page_token", "");
    if (token.empty()) break;
  }
  return entries;
}

Status Download(const Workspace& workspace, const std::string& path, int64_t size,
                const std::filesystem::path& local, const std::filesystem::path& partial_folder) {
  std::error_code ec;
  std::filesystem::create_directories(local.parent_path(), ec);
  std::filesystem::create_directories(partial_folder, ec);
  // A name of this download's own, outside the log's folder (a reader must
  // never take it for a part): two runs on one all-purpose cluster may fetch
  // the same file at once, and each renames a whole copy into place.
  static std::atomic<uint64_t> downloads{0};
  std::filesystem::path partial =
      partial_folder / fmt::format("{}-{}-{}", ::getpid(), downloads.fetch_add(1), local.filename().string());
  std::ofstream out(partial, std::ios::binary | std::ios::trunc);
  if (!out) return Fail(ErrorCode::kIo, "{}: cannot write", partial.string());
  std::string api = ApiPath(path);
  const bool dbfs = StorageOf(path) == Storage::kDbfs;
  int64_t offset = 0;
  while (offset < size) {
    std::string bytes;
    if (dbfs) {
      int64_t length = std::min(kDbfsChunk, size - offset);
      PROM_ASSIGN_OR_RETURN(json answer, workspace.GetJson("/api/2.0/dbfs/read",
          {{"path", api}, {"offset", std::to_string(offset)}, {"length", std::to_string(length)}}));
      auto data = Base64Decode(answer.value("data", ""));
      if (!data) {
        return Fail(ErrorCode::kCorrupt, "dbfs read {} at offset {}: {}", path, offset,
                    data.error().message);
      }
      bytes = std::move(*data);
    } else {
      int64_t last = std::min(offset + kFilesChunk, size) - 1;
      PROM_ASSIGN_OR_RETURN(http::Response answer,
          workspace.Get("/api/2.0/fs/files" + http::EncodePath(api),
                        {{"Range", fmt::format("bytes={}-{}", offset, last)}}));
      bytes = std::move(answer.body);
      if (answer.status == 200 && offset > 0) {
        return Fail(ErrorCode::kCorrupt, "GET /api/2.0/fs/files{}: the range from {} was answered "
                    "with the whole file", api, offset);
      }
      if (bytes.size() > static_cast<size_t>(last - offset + 1)) bytes.resize(last - offset + 1);
    }
    if (bytes.empty()) {
      return Fail(ErrorCode::kCorrupt, "{}: ended at byte {} of the {} listed", path, offset, size);
    }
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    offset += static_cast<int64_t>(bytes.size());
  }
  out.close();
  if (!out) return Fail(ErrorCode::kIo, "{}: write failed", partial.string());
  std::filesystem::rename(partial, local, ec);
  if (ec) return Fail(ErrorCode::kIo, "{}: {}", local.string(), ec.message());
  return Ok();
}

Result<bool> UploadOnce(const Workspace& workspace, const std::string& path, std::string bytes) {
  if (StorageOf(path) != Storage::kVolumes) {
    return Fail(ErrorCode::kInvalidArgument, "{}: uploads go to a volume (/Volumes/...)", path);
  }
  auto put = workspace.Put("/api/2.0/fs/files" + http::EncodePath(ApiPath(path)) + "?overwrite=false",
                           std::move(bytes), {{"Content-Type", "application/octet-stream"}});
  if (put) return true;
  if (put.error().code == ErrorCode::kConflict) return false;  // put before, by an earlier try
  return std::unexpected(put.error());
}

Status DeleteFile(const Workspace& workspace, const std::string& path) {
  auto deleted = workspace.Delete("/api/2.0/fs/files" + http::EncodePath(ApiPath(path)));
  if (!deleted && deleted.error().code != ErrorCode::kNotFound) return std::unexpected(deleted.error());
  return Ok();
}

}  // namespace prometheus::databricks

#include "prometheus/lake/vacuum.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "prometheus/base/units.h"
#include "prometheus/delta/checkpoint_writer.h"
#include "prometheus/delta/table_properties.h"
#include "prometheus/delta/url_encoding.h"

namespace prometheus::lake {
namespace {

using delta::DeltaTable;
using delta::Snapshot;

// The version a Delta log file's name starts with, for commits, checkpoints
// and checksums; nullopt for anything else (_last_checkpoint, temporaries).
std::optional<int64_t> LogVersion(std::string_view name) {
  if (name.size() < 21 || name[20] != '.') return std::nullopt;
  int64_t version = 0;
  auto [ptr, ec] = std::from_chars(name.data(), name.data() + 20, version);
  if (ec != std::errc() || ptr != name.data() + 20) return std::nullopt;
  std::string_view rest = name.substr(20);
  if (rest == ".json" || rest == ".crc" || rest.starts_with(".checkpoint.")) return version;
  return std::nullopt;
}

// Paths that remove actions of JSON commits still in the log name with a
// deletion time at or after `since_ms`.
Result<std::set<std::string>> RecentlyRemoved(FileSystem& file_system,
                                              const std::filesystem::path& log_dir,
                                              const std::vector<FileSystem::Entry>& log,
                                              int64_t since_ms) {
  std::set<std::string> removed;
  for (const FileSystem::Entry& entry : log) {
    if (!entry.name.ends_with(".json") || !LogVersion(entry.name)) continue;
    PROM_ASSIGN_OR_RETURN(std::string text, file_system.Read(log_dir / entry.name));
    for (std::string_view rest = text; !rest.empty();) {
      size_t end = rest.find('\n');
      std::string_view line = rest.substr(0, end);
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
      if (line.find("\"remove\"") == std::string_view::npos) continue;
      auto action = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!action.is_object() || !action.contains("remove")) continue;
      const auto& remove = action["remove"];
      if (!remove.is_object() || !remove.contains("path") || !remove["path"].is_string()) {
        continue;
      }
      // A remove without a time counts as recent: keep what it names.
      int64_t deleted = remove.value("deletionTimestamp", since_ms);
      if (deleted >= since_ms) removed.insert(delta::UrlDecode(remove["path"].get<std::string>()));
    }
  }
  return removed;
}

// The log files that log retention cleans (see VacuumTable).
std::vector<FileSystem::Entry> ExpiredLogFiles(const std::vector<FileSystem::Entry>& log,
                                               int64_t cutoff_ms) {
  std::map<int64_t, int64_t> commit_times;  // version -> modified
  std::set<int64_t> checkpoints;            // classic, single-file
  for (const FileSystem::Entry& entry : log) {
    std::optional<int64_t> version = LogVersion(entry.name);
    if (!version) continue;
    if (entry.name.ends_with(".json") && entry.name.size() == 25) {
      commit_times[*version] = entry.modified_ms;
    }
    if (entry.name.ends_with(".checkpoint.parquet")) checkpoints.insert(*version);
  }
  std::optional<int64_t> anchor;
  for (int64_t version : checkpoints) {
    auto commit = commit_times.find(version);
    if (commit != commit_times.end() && commit->second <= cutoff_ms) anchor = version;
  }
  std::vector<FileSystem::Entry> expired;
  if (!anchor) return expired;
  for (const FileSystem::Entry& entry : log) {
    std::optional<int64_t> version = LogVersion(entry.name);
    if (version && *version < *anchor && entry.modified_ms <= cutoff_ms) {
      expired.push_back(entry);
    }
  }
  std::sort(expired.begin(), expired.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return expired;
}

}  // namespace

Status CheckRetention(const DeltaTable& table, const Snapshot& snapshot, int64_t retain_ms) {
  if (!snapshot.metadata) return Ok();
  const int64_t minimum =
      delta::PropertyDurationMs(*snapshot.metadata, "delta.deletedFileRetentionDuration",
                                delta::kDefaultDeletedFileRetentionMs);
  if (retain_ms >= minimum) return Ok();
  return Fail(ErrorCode::kInvalidArgument,
              "{}: --retain {} is shorter than the table's delta.deletedFileRetentionDuration "
              "({}): a reader of a recent version could find its files deleted; give at "
              "least that",
              table.root().string(), FormatDuration(static_cast<double>(retain_ms)),
              FormatDuration(static_cast<double>(minimum)));
}

Result<VacuumedTable> VacuumTable(const Lake& lake, std::string_view name,
                                  const VacuumOptions& options) {
  DeltaTable table = lake.Table(name);
  FileSystem& file_system = table.file_system();
  VacuumedTable result;
  result.table = std::string(name);
  PROM_ASSIGN_OR_RETURN(Snapshot snapshot, table.Load());
  if (snapshot.version < 0) return result;
  PROM_TRY(CheckRetention(table, snapshot, options.retain_ms));
  const int64_t since = options.now_ms - options.retain_ms;

  PROM_ASSIGN_OR_RETURN(std::vector<FileSystem::Entry> log, file_system.List(table.log_dir()));
  PROM_ASSIGN_OR_RETURN(std::set<std::string> keep,
                        RecentlyRemoved(file_system, table.log_dir(), log, since));
  for (const auto& [path, remove] : snapshot.tombstones) {
    if (remove.deletion_timestamp >= since) keep.insert(path);
  }
  PROM_ASSIGN_OR_RETURN(std::vector<FileSystem::Entry> entries, file_system.List(table.root()));
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const FileSystem::Entry& entry : entries) {
    if (entry.is_folder || entry.name.starts_with(".") || !entry.name.ends_with(".parquet")) {
      continue;
    }
    if (snapshot.files.contains(entry.name) || keep.contains(entry.name)) continue;
    if (entry.modified_ms >= since) continue;
    if (!options.dry_run) {
      if (auto deleted = file_system.Delete(table.root() / entry.name); !deleted) {
        return Wrap(fmt::format("{}: vacuum stopped after {} file(s)", table.root().string(),
                                result.data_files.size()),
                    deleted.error());
      }
    }
    result.data_files.push_back(entry.name);
    result.data_bytes += static_cast<int64_t>(entry.size_bytes);
  }

  const int64_t log_retention = delta::PropertyDurationMs(
      *snapshot.metadata, "delta.logRetentionDuration", delta::kDefaultLogRetentionMs);
  for (const FileSystem::Entry& entry : ExpiredLogFiles(log, options.now_ms - log_retention)) {
    if (!options.dry_run) {
      if (auto deleted = file_system.Delete(table.log_dir() / entry.name); !deleted) {
        return Wrap(fmt::format("{}: log clean-up stopped", table.log_dir().string()),
                    deleted.error());
      }
    }
    result.log_files.push_back(entry.name);
  }
  return result;
}

}  // namespace prometheus::lake

#include "prometheus/io/event_log_files.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <tuple>
#include <optional>
#include <system_error>

namespace prometheus::io {
namespace fs = std::filesystem;
namespace {

std::string FileName(const fs::path& path) { return path.filename().string(); }

using Entries = std::vector<fs::directory_entry>;

// The folder's entries, sorted by path; an unreadable folder is an error.
Result<Entries> ListFolder(const fs::path& dir) {
  std::error_code ec;
  Entries entries;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    entries.push_back(*it);
  }
  if (ec) {
    return Fail(ErrorCode::kIo, "{}: cannot list folder: {}", dir.string(),
                ec.message());
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

bool IsMarker(const std::string& name, uint64_t size) {
  if (size != 0) return false;
  return name.starts_with("appstatus_") || name == "APPLICATION_COMPLETE" ||
         name.starts_with("SPARK_VERSION_") ||
         name.starts_with("COMPRESSION_CODEC_") || name.starts_with("_");
}

// The N of `events_<N>_<appId>`, or nullopt for any other name.
std::optional<int64_t> RollingIndex(const std::string& name) {
  if (!name.starts_with("events_")) return std::nullopt;
  int64_t index = 0;
  const char* begin = name.data() + 7;
  auto [ptr, ec] = std::from_chars(begin, name.data() + name.size(), index);
  if (ec != std::errc() || ptr == begin || *ptr != '_') return std::nullopt;
  return index;
}

// The codec comes from the name, else from the first bytes (a Databricks
// `eventlog` may be gzipped without a suffix).
Result<LogPart> MakePart(const fs::path& path) {
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (ec) {
    return Fail(ErrorCode::kIo, "{}: cannot stat: {}", path.string(),
                ec.message());
  }
  Codec codec = CodecFromPath(path);
  if (codec == Codec::kNone && size > 0) {
    char head[8] = {};
    std::ifstream in(path, std::ios::binary);
    in.read(head, sizeof head);
    codec = CodecFromMagic(std::string_view(head, static_cast<size_t>(in.gcount())));
  }
  return LogPart{path, codec, size};
}

Result<EventLogInput> RollingLog(const fs::path& dir, const Entries& entries) {
  EventLogInput input{dir.string(), LogLayout::kRolling, {}, false, false};
  // (index, is compact, path): a compact file sorts after the part it ends.
  std::vector<std::tuple<int64_t, bool, fs::path>> parts;
  for (const auto& entry : entries) {
    std::string name = FileName(entry.path());
    if (name.starts_with("appstatus_") && name.ends_with(".inprogress")) {
      input.in_progress = true;
    }
    if (auto index = RollingIndex(name)) {
      parts.emplace_back(*index, name.ends_with(".compact"), entry.path());
    }
  }
  std::sort(parts.begin(), parts.end());
  // Like Spark, read from the last compact file on: it replaces every part
  // before it, which a failed clean-up may have left behind.
  for (size_t i = parts.size(); i-- > 0;) {
    if (std::get<1>(parts[i])) {
      parts.erase(parts.begin(), parts.begin() + static_cast<ptrdiff_t>(i));
      input.compacted = true;
      break;
    }
  }
  // No part yet (an application just starting): the empty input is reported
  // when it is loaded, without stopping the walk.
  for (const auto& [index, compact, path] : parts) {
    PROM_ASSIGN_OR_RETURN(LogPart part, MakePart(path));
    input.parts.push_back(std::move(part));
  }
  return input;
}

Result<EventLogInput> LegacyLog(const fs::path& dir, const Entries& entries) {
  EventLogInput input{dir.string(), LogLayout::kLegacyDir, {}, true, false};
  std::optional<Codec> codec;
  std::vector<fs::path> logs;
  for (const auto& entry : entries) {
    std::string name = FileName(entry.path());
    if (name == "APPLICATION_COMPLETE") input.in_progress = false;
    if (name.starts_with("COMPRESSION_CODEC_")) {
      codec = CodecFromName(std::string_view(name).substr(18));
    }
    if (name.starts_with("EVENT_LOG_")) logs.push_back(entry.path());
  }
  std::sort(logs.begin(), logs.end());
  for (const auto& path : logs) {
    PROM_ASSIGN_OR_RETURN(LogPart part, MakePart(path));
    if (codec) part.codec = *codec;
    input.parts.push_back(std::move(part));
  }
  return input;
}

Result<EventLogInput> DatabricksLog(const fs::path& dir, const Entries& entries) {
  EventLogInput input{dir.string(), LogLayout::kDatabricks, {}, false, false};
  std::vector<fs::path> rotated;
  std::optional<fs::path> current;
  for (const auto& entry : entries) {
    std::string name = FileName(entry.path());
    if (name == "eventlog") current = entry.path();
    if (name.starts_with("eventlog-")) rotated.push_back(entry.path());
  }
  // Rotated names carry their date (YYYY-MM-DD--HH-MM): name order is time.
  std::sort(rotated.begin(), rotated.end());
  if (current) rotated.push_back(*current);
  for (const auto& path : rotated) {
    PROM_ASSIGN_OR_RETURN(LogPart part, MakePart(path));
    input.parts.push_back(std::move(part));
  }
  return input;
}

Result<EventLogInput> SingleFile(const fs::path& path) {
  PROM_ASSIGN_OR_RETURN(LogPart part, MakePart(path));
  std::string name = FileName(path);
  EventLogInput input{path.string(), LogLayout::kSingleFile, {}, false, false};
  input.in_progress = name.ends_with(".inprogress");
  input.compacted = name.ends_with(".compact");
  input.parts.push_back(std::move(part));
  return input;
}

bool HasEntry(const Entries& entries, auto predicate) {
  for (const auto& entry : entries) {
    if (predicate(FileName(entry.path()))) return true;
  }
  return false;
}

// Walks `entries`, the listing of `dir`; what cannot be read below it is
// skipped with a sentence in `found.skipped`.
Status Walk(const fs::path& dir, const Entries& entries, FoundEventLogs& found) {
  std::vector<EventLogInput>& out = found.inputs;
  std::string dir_name = FileName(dir);
  if (dir_name.starts_with("eventlog_v2_")) {
    PROM_ASSIGN_OR_RETURN(EventLogInput input, RollingLog(dir, entries));
    out.push_back(std::move(input));
    return Ok();
  }
  if (HasEntry(entries, [](const std::string& n) { return n == "EVENT_LOG_1"; })) {
    PROM_ASSIGN_OR_RETURN(EventLogInput input, LegacyLog(dir, entries));
    out.push_back(std::move(input));
    return Ok();
  }
  if (HasEntry(entries, [](const std::string& n) {
        return n == "eventlog" || (n.starts_with("eventlog-") &&
                                   n.size() >= 25 && n[13] == '-');
      })) {
    PROM_ASSIGN_OR_RETURN(EventLogInput input, DatabricksLog(dir, entries));
    out.push_back(std::move(input));
    return Ok();
  }
  for (const auto& entry : entries) {
    std::string name = FileName(entry.path());
    if (name.starts_with(".")) continue;
    std::error_code ec;
    Status walked = Ok();
    if (entry.is_directory(ec)) {
      Result<Entries> listed = ListFolder(entry.path());
      walked = listed ? Walk(entry.path(), *listed, found)
                      : Status(std::unexpected(listed.error()));
    } else if (entry.is_regular_file(ec)) {
      uint64_t size = entry.file_size(ec);
      if (ec || IsMarker(name, size) || size == 0) continue;
      Result<EventLogInput> input = SingleFile(entry.path());
      if (input) out.push_back(std::move(*input));
      if (!input) walked = std::unexpected(input.error());
    }
    if (!walked) found.skipped.push_back(walked.error().message + "; skipped");
  }
  return Ok();
}

}  // namespace

std::string_view LayoutName(LogLayout layout) {
  switch (layout) {
    case LogLayout::kSingleFile:
      return "file";
    case LogLayout::kRolling:
      return "rolling";
    case LogLayout::kLegacyDir:
      return "spark-1.x-directory";
    case LogLayout::kDatabricks:
      return "databricks";
  }
  return "file";
}

uint64_t EventLogInput::total_bytes() const {
  uint64_t total = 0;
  for (const auto& part : parts) total += part.size_bytes;
  return total;
}

Result<FoundEventLogs> FindEventLogs(const std::vector<fs::path>& paths) {
  FoundEventLogs found;
  std::vector<EventLogInput>& out = found.inputs;
  for (const auto& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return Fail(ErrorCode::kNotFound, "{}: no such file or directory",
                  path.string());
    }
    if (fs::is_directory(status)) {
      size_t before = out.size();
      size_t skipped_before = found.skipped.size();
      PROM_ASSIGN_OR_RETURN(Entries entries, ListFolder(path));
      PROM_TRY(Walk(path, entries, found));
      if (out.size() == before) {
        if (found.skipped.size() > skipped_before) {
          return Fail(ErrorCode::kIo,
                      "{}: folder holds no readable event-log file ({})",
                      path.string(), found.skipped[skipped_before]);
        }
        return Fail(ErrorCode::kNotFound,
                    "{}: folder holds no event-log files", path.string());
      }
    } else if (!fs::is_regular_file(status)) {
      return Fail(ErrorCode::kInvalidArgument,
                  "{}: not a regular file or folder (a FIFO, socket or "
                  "device): expected an event-log file or a folder of them",
                  path.string());
    } else {
      PROM_ASSIGN_OR_RETURN(EventLogInput input, SingleFile(path));
      if (input.total_bytes() == 0) {
        return Fail(ErrorCode::kCorrupt,
                    "{}: empty log (0 bytes): expected Spark event-log lines",
                    path.string());
      }
      out.push_back(std::move(input));
    }
  }
  return found;
}

}  // namespace prometheus::io

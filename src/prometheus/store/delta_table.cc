#include "prometheus/store/delta_table.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "prometheus/store/delta_checkpoint.h"
#include "prometheus/store/delta_schema.h"
#include "prometheus/store/parquet.h"

namespace prometheus::store {
namespace fs = std::filesystem;
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

int64_t ParseVersion(std::string_view digits) {
  int64_t v = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), v);
  return v;
}

// What the log folder holds, classified by name.
struct LogListing {
  std::map<int64_t, fs::path> commits;
  // version -> parts expected and the part files found (part index -> path)
  struct CheckpointParts {
    int64_t expected = 1;
    std::map<int64_t, fs::path> parts;
  };
  std::map<int64_t, CheckpointParts> checkpoints;
};

Result<LogListing> ListLog(const fs::path& log_dir) {
  LogListing listing;
  std::error_code ec;
  for (fs::directory_iterator it(log_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.starts_with(".") || it->is_directory(ec)) continue;  // .crc, .tmp/
    if (name == "_last_checkpoint" || name.ends_with(".tmp") ||
        name.starts_with("_commit_")) {
      continue;
    }
    std::string_view n = name;
    if (n.size() == 25 && n.ends_with(".json") && AllDigits(n.substr(0, 20))) {
      listing.commits[ParseVersion(n.substr(0, 20))] = it->path();
      continue;
    }
    if (n.size() > 20 && AllDigits(n.substr(0, 20))) {
      std::string_view rest = n.substr(20);
      int64_t version = ParseVersion(n.substr(0, 20));
      if (rest == ".checkpoint.parquet") {
        listing.checkpoints[version].parts[1] = it->path();
        continue;
      }
      // N.checkpoint.PPPPPPPPPP.QQQQQQQQQQ.parquet (multi-part)
      if (rest.size() == 41 && rest.starts_with(".checkpoint.") &&
          rest.ends_with(".parquet") && AllDigits(rest.substr(12, 10)) &&
          rest[22] == '.' && AllDigits(rest.substr(23, 10))) {
        auto& cp = listing.checkpoints[version];
        cp.expected = ParseVersion(rest.substr(23, 10));
        cp.parts[ParseVersion(rest.substr(12, 10))] = it->path();
        continue;
      }
      // Checksums, compacted commits and v2 checkpoints: not needed here.
      if (rest == ".crc" || rest.ends_with(".compacted.json") ||
          rest.starts_with(".checkpoint.")) {
        continue;
      }
    }
    return Fail("{}: unexpected file in the Delta log: expected NNNNNNNNNNNNNNNNNNNN.json "
                "commits, checkpoints or _last_checkpoint",
                it->path().string());
  }
  if (ec) return Fail("{}: cannot list: {}", log_dir.string(), ec.message());
  return listing;
}

Result<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("{}: cannot open: {}", path.string(), std::strerror(errno));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Status SyncDirectory(const fs::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail("{}: cannot open folder: {}", dir.string(), std::strerror(errno));
  ::fsync(fd);
  ::close(fd);
  return Ok();
}

std::string RandomHex() {
  std::random_device device;
  return fmt::format("{:08x}{:08x}", device(), device());
}

}  // namespace

std::string CommitFileName(int64_t version) {
  return fmt::format("{:020}.json", version);
}

Result<Snapshot> DeltaTable::Load() const {
  Snapshot snapshot;
  std::error_code ec;
  if (!fs::exists(log_dir(), ec)) return snapshot;
  PROM_ASSIGN_OR_RETURN(LogListing listing, ListLog(log_dir()));
  if (listing.commits.empty() && listing.checkpoints.empty()) return snapshot;

  // The newest checkpoint with all its parts present.
  std::optional<int64_t> start;
  for (auto it = listing.checkpoints.rbegin(); it != listing.checkpoints.rend(); ++it) {
    if (static_cast<int64_t>(it->second.parts.size()) == it->second.expected) {
      start = it->first;
      break;
    }
  }
  int64_t next = 0;
  if (start) {
    for (const auto& [index, path] : listing.checkpoints[*start].parts) {
      PROM_TRY(ApplyCheckpoint(path, snapshot));
    }
    snapshot.version = *start;
    next = *start + 1;
  } else if (!listing.commits.empty() && listing.commits.begin()->first != 0) {
    return Fail("{}: missing commit 0 and no checkpoint: the log starts at {}",
                log_dir().string(), CommitFileName(listing.commits.begin()->first));
  }
  for (auto it = listing.commits.lower_bound(next); it != listing.commits.end(); ++it) {
    if (it->first != next) {
      return Fail("{}: missing commit {} ({}): Delta versions must be contiguous",
                  log_dir().string(), next, CommitFileName(next));
    }
    PROM_ASSIGN_OR_RETURN(std::string text, ReadText(it->second));
    PROM_TRY(ApplyCommitText(text, it->second.string(), snapshot));
    snapshot.version = next++;
  }
  if (!snapshot.protocol) {
    return Fail("{}: no protocol action at version {}: not a valid Delta table",
                root_.string(), snapshot.version);
  }
  if (!snapshot.metadata) {
    return Fail("{}: no metaData action at version {}: not a valid Delta table",
                root_.string(), snapshot.version);
  }
  if (auto readable = CheckReadable(*snapshot.protocol); !readable) {
    return Fail("{}: {}", root_.string(), readable.error().message);
  }
  return snapshot;
}

Result<bool> DeltaTable::TryCommit(int64_t version,
                                   const std::vector<std::string>& actions) const {
  std::error_code ec;
  fs::create_directories(log_dir(), ec);
  if (ec) return Fail("{}: cannot create: {}", log_dir().string(), ec.message());
  std::string text;
  for (const auto& action : actions) {
    text += action;
    text += '\n';
  }
  fs::path tmp = log_dir() / fmt::format("_commit_{}.json.tmp", RandomHex());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Fail("{}: cannot create: {}", tmp.string(), std::strerror(errno));
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int saved = errno;
      ::close(fd);
      fs::remove(tmp, ec);
      return Fail("{}: write failed: {}", tmp.string(), std::strerror(saved));
    }
    written += static_cast<size_t>(n);
  }
  ::fsync(fd);
  ::close(fd);
  // link() never replaces an existing file: it is the put-if-absent.
  fs::path target = log_dir() / CommitFileName(version);
  int linked = ::link(tmp.c_str(), target.c_str());
  int saved = errno;
  fs::remove(tmp, ec);
  if (linked != 0) {
    if (saved == EEXIST) return false;
    return Fail("{}: cannot commit: {}", target.string(), std::strerror(saved));
  }
  PROM_TRY(SyncDirectory(log_dir()));
  return true;
}

Result<Table> DeltaTable::ReadAll(const Snapshot& snapshot) const {
  if (!snapshot.metadata) return Fail("{}: table has no metadata", root_.string());
  PROM_ASSIGN_OR_RETURN(Schema schema, ParseSchemaString(snapshot.metadata->schema_string));
  Table out = MakeTable(schema);
  for (const auto& [path, add] : snapshot.files) {
    if (add.has_deletion_vector) {
      return Fail("{}: file {} has a deletion vector, which this reader does not apply",
                  root_.string(), path);
    }
    PROM_ASSIGN_OR_RETURN(Table part, ReadParquet(root_ / path));
    for (size_t row = 0; row < part.num_rows(); ++row) {
      size_t target = out.AddRow();
      for (size_t c = 0; c < schema.size(); ++c) {
        Value value;
        if (auto source = part.ColumnIndex(schema[c].name)) {
          value = part.Get(*source, row);
        } else if (auto pv = add.partition_values.find(schema[c].name);
                   pv != add.partition_values.end()) {
          PROM_ASSIGN_OR_RETURN(value, ParsePartitionValue(pv->second, schema[c].type));
        }
        SetValue(out, c, target, value);
      }
    }
  }
  return out;
}

}  // namespace prometheus::store

#include "prometheus/delta/delta_table.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "prometheus/delta/delta_checkpoint.h"
#include "prometheus/delta/delta_schema.h"
#include "prometheus/parquet/parquet.h"
#include "prometheus/parquet/partial_read.h"

namespace prometheus::delta {
namespace fs = std::filesystem;
using parquet::Schema;
using parquet::Table;
using parquet::Value;
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

Result<LogListing> ListLog(FileSystem& file_system, const fs::path& log_dir) {
  LogListing listing;
  PROM_ASSIGN_OR_RETURN(std::vector<FileSystem::Entry> entries, file_system.List(log_dir));
  for (const FileSystem::Entry& entry : entries) {
    const std::string& name = entry.name;
    if (name.starts_with(".") || entry.is_folder) continue;  // .crc, .tmp/
    if (name == "_last_checkpoint" || name.ends_with(".tmp") ||
        name.starts_with("_commit_")) {
      continue;
    }
    const fs::path path = log_dir / name;
    std::string_view n = name;
    if (n.size() == 25 && n.ends_with(".json") && AllDigits(n.substr(0, 20))) {
      listing.commits[ParseVersion(n.substr(0, 20))] = path;
      continue;
    }
    if (n.size() > 20 && AllDigits(n.substr(0, 20))) {
      std::string_view rest = n.substr(20);
      int64_t version = ParseVersion(n.substr(0, 20));
      if (rest == ".checkpoint.parquet") {
        listing.checkpoints[version].parts[1] = path;
        continue;
      }
      // N.checkpoint.PPPPPPPPPP.QQQQQQQQQQ.parquet (multi-part)
      if (rest.size() == 41 && rest.starts_with(".checkpoint.") &&
          rest.ends_with(".parquet") && AllDigits(rest.substr(12, 10)) &&
          rest[22] == '.' && AllDigits(rest.substr(23, 10))) {
        auto& cp = listing.checkpoints[version];
        cp.expected = ParseVersion(rest.substr(23, 10));
        cp.parts[ParseVersion(rest.substr(12, 10))] = path;
        continue;
      }
      // N.checkpoint.<uuid>.{json,parquet} (v2)
      constexpr size_t kUuid = 36;
      if (rest.starts_with(".checkpoint.") &&
          ((rest.size() == 12 + kUuid + 5 && rest.ends_with(".json")) ||
           (rest.size() == 12 + kUuid + 8 && rest.ends_with(".parquet"))) &&
          rest[12 + 8] == '-' && rest[12 + 13] == '-') {
        listing.checkpoints[version].parts[1] = path;
        continue;
      }
      // Checksums, compacted commits and checkpoints of a form not known
      // here (the JSON commits are read instead): not needed.
      if (rest == ".crc" || rest.ends_with(".compacted.json") ||
          rest.starts_with(".checkpoint.")) {
        continue;
      }
    }
    return Fail(ErrorCode::kCorrupt,
                "{}: unexpected file in the Delta log: expected NNNNNNNNNNNNNNNNNNNN.json "
                "commits, checkpoints or _last_checkpoint",
                path.string());
  }
  return listing;
}

// The top-level "numRecords" of an add's stats JSON, if it holds one: the
// text is scanned, not parsed, as a show of 5 rows may count thousands.
std::optional<int64_t> NumRecords(std::string_view stats) {
  constexpr std::string_view kKey = "\"numRecords\"";
  int depth = 0;
  bool in_string = false;
  bool expect_key = false;  // at depth 1, after '{' or ','
  for (size_t i = 0; i < stats.size(); ++i) {
    const char c = stats[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '{' || c == '[') {
      expect_key = ++depth == 1;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    } else if (c == '"') {
      if (depth == 1 && expect_key && stats.substr(i).starts_with(kKey)) {
        size_t at = stats.find_first_not_of(" \t\r\n", i + kKey.size());
        if (at == std::string_view::npos || stats[at] != ':') return std::nullopt;
        int64_t value = -1;
        at = stats.find_first_not_of(" \t\r\n", at + 1);
        if (at != std::string_view::npos) {
          std::from_chars(stats.data() + at, stats.data() + stats.size(), value);
        }
        return value >= 0 ? std::optional(value) : std::nullopt;
      }
      in_string = true;
      expect_key = false;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string CommitFileName(int64_t version) {
  return fmt::format("{:020}.json", version);
}

Result<Snapshot> DeltaTable::Load(const LoadOptions& options) const {
  Snapshot snapshot;
  Result<LogListing> listed = ListLog(*file_system_, log_dir());
  if (!listed && listed.error().code == ErrorCode::kNotFound) return snapshot;  // no log yet
  PROM_ASSIGN_OR_RETURN(LogListing listing, std::move(listed));
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
      PROM_TRY(path.extension() == ".json"
                   ? ApplyJsonCheckpoint(*file_system_, path, snapshot, options)
                   : ApplyCheckpoint(*file_system_, path, snapshot, options));
    }
    snapshot.version = *start;
    next = *start + 1;
  } else if (!listing.commits.empty() && listing.commits.begin()->first != 0) {
    return Fail(ErrorCode::kCorrupt, "{}: missing commit 0 and no checkpoint: the log starts at {}",
                log_dir().string(), CommitFileName(listing.commits.begin()->first));
  }
  for (auto it = listing.commits.lower_bound(next); it != listing.commits.end(); ++it) {
    if (it->first != next) {
      return Fail(ErrorCode::kCorrupt,
                  "{}: missing commit {} ({}): Delta versions must be contiguous",
                  log_dir().string(), next, CommitFileName(next));
    }
    PROM_ASSIGN_OR_RETURN(std::string text, file_system_->Read(it->second));
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      // Commits are published whole (put-if-absent), so an empty one is damage.
      return Fail(ErrorCode::kCorrupt,
                  "{}: empty commit file: a Delta commit holds at least one action, so "
                  "version {} cannot be read and neither can the table",
                  it->second.string(), next);
    }
    PROM_TRY(ApplyCommitText(text, it->second.string(), snapshot));
    snapshot.version = next++;
  }
  if (!options.tombstones) snapshot.tombstones.clear();  // as the contract says
  if (!snapshot.protocol) {
    return Fail(ErrorCode::kCorrupt,
                "{}: no protocol action at version {}: not a valid Delta table",
                root_.string(), snapshot.version);
  }
  if (!snapshot.metadata) {
    return Fail(ErrorCode::kCorrupt,
                "{}: no metaData action at version {}: not a valid Delta table",
                root_.string(), snapshot.version);
  }
  if (auto readable = CheckReadable(*snapshot.protocol); !readable) {
    return Wrap(root_.string(), readable.error());
  }
  return snapshot;
}

Result<bool> DeltaTable::TryCommit(int64_t version,
                                   const std::vector<std::string>& actions) const {
  std::string text;
  for (const auto& action : actions) {
    text += action;
    text += '\n';
  }
  const std::filesystem::path path = log_dir() / CommitFileName(version);
  Result<std::unique_ptr<NewFile>> created = file_system_->Create(path);
  if (!created && created.error().code == ErrorCode::kNotFound) {  // the table's first commit
    PROM_TRY(file_system_->CreateFolders(log_dir()));
    created = file_system_->Create(path);
  }
  PROM_ASSIGN_OR_RETURN(std::unique_ptr<NewFile> commit, std::move(created));
  PROM_TRY(commit->Append(text));
  return commit->Commit();
}

Result<Table> DeltaTable::ReadAll(const Snapshot& snapshot) const {
  return ReadRows(snapshot, std::nullopt);
}

Result<Table> DeltaTable::ReadFirst(const Snapshot& snapshot, size_t limit) const {
  return ReadRows(snapshot, limit);
}

Result<int64_t> DeltaTable::CountRows(const Snapshot& snapshot) const {
  int64_t rows = 0;
  for (const auto& [path, add] : snapshot.files) {
    if (std::optional<int64_t> counted = NumRecords(add.stats)) {
      rows += *counted;
      continue;
    }
    PROM_ASSIGN_OR_RETURN(int64_t in_file, parquet::ReadParquetRowCount(*file_system_, root_ / path));
    rows += in_file;
  }
  return rows;
}

Result<Table> DeltaTable::ReadRows(const Snapshot& snapshot, std::optional<size_t> limit) const {
  if (!snapshot.metadata) {
    return Fail(ErrorCode::kInvalidArgument, "{}: table has no metadata", root_.string());
  }
  PROM_ASSIGN_OR_RETURN(Schema schema, ParseSchemaString(snapshot.metadata->schema_string));
  Table out = MakeTable(schema);
  for (const auto& [path, add] : snapshot.files) {
    if (limit && out.num_rows() >= *limit) break;
    if (add.has_deletion_vector) {
      return Fail(ErrorCode::kCorrupt,
                  "{}: file {} has a deletion vector, which this reader does not apply",
                  root_.string(), path);
    }
    Result<Table> read = limit ? parquet::ReadParquetHead(*file_system_, root_ / path,
                                                          *limit - out.num_rows())
                               : parquet::ReadParquet(*file_system_, root_ / path);
    PROM_ASSIGN_OR_RETURN(Table part, std::move(read));
    // Where each column comes from, once per file: the file's column, or the
    // same value for every row (a partition value, or null).
    std::vector<std::optional<size_t>> sources(schema.size());
    std::vector<Value> constants(schema.size());
    for (size_t c = 0; c < schema.size(); ++c) {
      sources[c] = part.ColumnIndex(schema[c].name);
      if (sources[c]) continue;
      if (auto pv = add.partition_values.find(schema[c].name); pv != add.partition_values.end()) {
        PROM_ASSIGN_OR_RETURN(constants[c], ParsePartitionValue(pv->second, schema[c].type));
      }
    }
    for (size_t row = 0; row < part.num_rows(); ++row) {
      if (limit && out.num_rows() >= *limit) break;
      size_t target = out.AddRow();
      for (size_t c = 0; c < schema.size(); ++c) {
        SetValue(out, c, target, sources[c] ? part.Get(*sources[c], row) : constants[c]);
      }
    }
  }
  return out;
}

}  // namespace prometheus::delta

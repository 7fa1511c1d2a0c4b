#include "prometheus/delta/delta_checkpoint.h"

#include <map>

#include <nlohmann/json.hpp>

#include "prometheus/parquet/parquet.h"
#include "prometheus/parquet/partial_read.h"
#include "prometheus/delta/url_encoding.h"

namespace prometheus::delta {

using parquet::ColumnType;
using parquet::LeafColumn;
namespace {

// A leaf column cut into rows: a row starts at each repetition level 0.
class LeafRows {
 public:
  explicit LeafRows(const LeafColumn& leaf) : leaf_(leaf) {
    size_t value = 0;
    for (size_t i = 0; i < leaf.definition_levels.size(); ++i) {
      int16_t rep = leaf.repetition_levels.empty() ? 0 : leaf.repetition_levels[i];
      if (rep == 0) rows_.push_back({i, value});
      if (leaf.definition_levels[i] == leaf.max_definition_level) ++value;
    }
  }

  size_t num_rows() const { return rows_.size(); }

  // Definition level of the row's first entry: how deep the row is defined.
  int16_t Depth(size_t row) const {
    return leaf_.definition_levels[rows_[row].first_entry];
  }

  // The entries of `row`: for each, the value index when defined.
  std::vector<std::optional<size_t>> Entries(size_t row) const {
    std::vector<std::optional<size_t>> out;
    size_t end = row + 1 < rows_.size() ? rows_[row + 1].first_entry
                                        : leaf_.definition_levels.size();
    size_t value = rows_[row].first_value;
    for (size_t i = rows_[row].first_entry; i < end; ++i) {
      if (leaf_.definition_levels[i] == leaf_.max_definition_level) {
        out.push_back(value++);
      } else {
        out.push_back(std::nullopt);
      }
    }
    return out;
  }

  std::optional<std::string> String(size_t row) const {
    auto entries = Entries(row);
    if (entries.empty() || !entries[0]) return std::nullopt;
    return leaf_.values.strings[*entries[0]];
  }
  std::optional<int64_t> Int(size_t row) const {
    auto entries = Entries(row);
    if (entries.empty() || !entries[0]) return std::nullopt;
    return leaf_.values.ints[*entries[0]];
  }
  // Strings of a repeated leaf (a list element, a map key or value).
  std::vector<std::optional<std::string>> Strings(size_t row) const {
    std::vector<std::optional<std::string>> out;
    // A map or list that is empty or null still has one entry, undefined
    // below the repeated level; it holds no element.
    int16_t repeated_depth = leaf_.max_definition_level - 1;
    auto entries = Entries(row);
    size_t end = row + 1 < rows_.size() ? rows_[row + 1].first_entry
                                        : leaf_.definition_levels.size();
    for (size_t i = rows_[row].first_entry, k = 0; i < end; ++i, ++k) {
      if (leaf_.definition_levels[i] < repeated_depth) continue;
      out.push_back(entries[k] ? std::optional(leaf_.values.strings[*entries[k]])
                               : std::nullopt);
    }
    return out;
  }

 private:
  struct RowStart {
    size_t first_entry;
    size_t first_value;
  };
  const LeafColumn& leaf_;
  std::vector<RowStart> rows_;
};

std::string JoinPath(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& part : path) {
    if (!out.empty()) out += '.';
    out += part;
  }
  return out;
}

// Map and list leaves are named by their logical path: the Parquet
// group names between ("key_value", "list.element", ...) are dropped.
std::string LogicalPath(const std::vector<std::string>& path) {
  std::vector<std::string> kept;
  for (const auto& part : path) {
    if (part == "key_value" || part == "list" || part == "element" ||
        part == "map" || part == "array" || part == "bag" || part == "array_element") {
      continue;
    }
    kept.push_back(part);
  }
  return JoinPath(kept);
}

class Checkpoint {
 public:
  Status Load(FileSystem& file_system, const std::filesystem::path& file,
              const LoadOptions& options) {
    auto wanted = [&](const std::vector<std::string>& path) {
      if (path.empty()) return true;
      if (!options.tombstones && path[0] == "remove") return false;
      return options.stats || path.size() < 2 || path[0] != "add" || path[1] != "stats";
    };
    PROM_ASSIGN_OR_RETURN(leaves_, parquet::ReadParquetLeaves(file_system, file, wanted));
    for (const auto& leaf : leaves_) {
      rows_.emplace(LogicalPath(leaf.path), LeafRows(leaf));
    }
    return Ok();
  }

  const LeafRows* Leaf(const std::string& path) const {
    auto it = rows_.find(path);
    return it == rows_.end() ? nullptr : &it->second;
  }

  size_t num_rows() const {
    return rows_.empty() ? 0 : rows_.begin()->second.num_rows();
  }

  // Whether the row holds the top-level action `name` (its struct defined).
  bool Has(const std::string& key_leaf, size_t row) const {
    const LeafRows* leaf = Leaf(key_leaf);
    return leaf != nullptr && leaf->Depth(row) >= 1;
  }

  std::optional<std::string> String(const std::string& path, size_t row) const {
    const LeafRows* leaf = Leaf(path);
    return leaf ? leaf->String(row) : std::nullopt;
  }
  int64_t Int(const std::string& path, size_t row, int64_t fallback = 0) const {
    const LeafRows* leaf = Leaf(path);
    if (!leaf) return fallback;
    return leaf->Int(row).value_or(fallback);
  }
  std::vector<std::optional<std::string>> Strings(const std::string& path,
                                                  size_t row) const {
    const LeafRows* leaf = Leaf(path);
    return leaf ? leaf->Strings(row) : std::vector<std::optional<std::string>>{};
  }
  std::map<std::string, std::optional<std::string>> Map(const std::string& path,
                                                        size_t row) const {
    std::map<std::string, std::optional<std::string>> out;
    auto keys = Strings(path + ".key", row);
    auto values = Strings(path + ".value", row);
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i]) out[*keys[i]] = i < values.size() ? values[i] : std::nullopt;
    }
    return out;
  }

 private:
  std::vector<parquet::LeafColumn> leaves_;
  std::map<std::string, LeafRows> rows_;
};

std::vector<std::string> Present(const std::vector<std::optional<std::string>>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) {
    if (s) out.push_back(*s);
  }
  return out;
}

}  // namespace

namespace {

// A v2 checkpoint's sidecar files hold its add and remove actions, in
// _delta_log/_sidecars/.
Status ApplySidecars(FileSystem& file_system, const std::filesystem::path& checkpoint,
                     const std::vector<std::string>& sidecars, Snapshot& snapshot,
                     const LoadOptions& options) {
  for (const std::string& sidecar : sidecars) {
    std::filesystem::path path = checkpoint.parent_path() / "_sidecars" / sidecar;
    if (sidecar.find('/') != std::string::npos) path = checkpoint.parent_path() / sidecar;
    PROM_TRY(ApplyCheckpoint(file_system, path, snapshot, options));
  }
  return Ok();
}

}  // namespace

Status ApplyJsonCheckpoint(FileSystem& file_system, const std::filesystem::path& file,
                           Snapshot& snapshot, const LoadOptions& options) {
  PROM_ASSIGN_OR_RETURN(std::string text, file_system.Read(file));
  PROM_TRY(ApplyCommitText(text, file.string(), snapshot));
  std::vector<std::string> sidecars;
  for (std::string_view rest = text; !rest.empty();) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    if (line.find("\"sidecar\"") == std::string_view::npos) continue;
    auto action = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    auto it = action.is_object() ? action.find("sidecar") : action.end();
    if (it == action.end() || !it->is_object() || !it->contains("path") ||
        !(*it)["path"].is_string()) {
      continue;
    }
    sidecars.push_back(UrlDecode((*it)["path"].get<std::string>()));
  }
  return ApplySidecars(file_system, file, sidecars, snapshot, options);
}

Status ApplyCheckpoint(FileSystem& file_system, const std::filesystem::path& file,
                       Snapshot& snapshot, const LoadOptions& options) {
  Checkpoint cp;
  if (auto status = cp.Load(file_system, file, options); !status) {
    return Wrap(fmt::format("{}: cannot read Delta checkpoint", file.string()), status.error());
  }
  std::vector<std::string> sidecars;
  for (size_t row = 0; row < cp.num_rows(); ++row) {
    if (cp.Has("protocol.minReaderVersion", row)) {
      Protocol p;
      p.min_reader_version = static_cast<int>(cp.Int("protocol.minReaderVersion", row, 1));
      p.min_writer_version = static_cast<int>(cp.Int("protocol.minWriterVersion", row, 2));
      p.reader_features = Present(cp.Strings("protocol.readerFeatures", row));
      p.writer_features = Present(cp.Strings("protocol.writerFeatures", row));
      snapshot.Apply(p);
    }
    if (cp.Has("metaData.id", row)) {
      Metadata m;
      m.id = cp.String("metaData.id", row).value_or("");
      m.name = cp.String("metaData.name", row).value_or("");
      m.schema_string = cp.String("metaData.schemaString", row).value_or("");
      m.partition_columns = Present(cp.Strings("metaData.partitionColumns", row));
      for (const auto& [k, v] : cp.Map("metaData.configuration", row)) {
        if (v) m.configuration[k] = *v;
      }
      if (cp.Leaf("metaData.createdTime") &&
          cp.Leaf("metaData.createdTime")->Int(row)) {
        m.created_time = cp.Int("metaData.createdTime", row);
      }
      snapshot.Apply(m);
    }
    if (cp.Has("txn.appId", row)) {
      Txn txn;
      txn.app_id = cp.String("txn.appId", row).value_or("");
      txn.version = cp.Int("txn.version", row);
      snapshot.Apply(txn);
    }
    if (cp.Has("add.path", row)) {
      AddFile add;
      add.path = UrlDecode(cp.String("add.path", row).value_or(""));
      add.size = cp.Int("add.size", row);
      add.modification_time = cp.Int("add.modificationTime", row);
      add.data_change = cp.Int("add.dataChange", row, 1) != 0;
      add.stats = cp.String("add.stats", row).value_or("");
      add.partition_values = cp.Map("add.partitionValues", row);
      for (const auto& [k, v] : cp.Map("add.tags", row)) {
        if (v) add.tags[k] = *v;
      }
      add.has_deletion_vector =
          cp.String("add.deletionVector.storageType", row).has_value();
      snapshot.Apply(add);
    }
    if (cp.Has("sidecar.path", row)) {
      sidecars.push_back(UrlDecode(cp.String("sidecar.path", row).value_or("")));
    }
    if (cp.Has("remove.path", row)) {
      RemoveFile remove;
      remove.path = UrlDecode(cp.String("remove.path", row).value_or(""));
      remove.deletion_timestamp = cp.Int("remove.deletionTimestamp", row);
      remove.data_change = cp.Int("remove.dataChange", row, 1) != 0;
      snapshot.Apply(remove);
    }
  }
  return ApplySidecars(file_system, file, sidecars, snapshot, options);
}

}  // namespace prometheus::delta

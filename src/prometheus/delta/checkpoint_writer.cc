#include "prometheus/delta/checkpoint_writer.h"

#include <charconv>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "prometheus/delta/table_properties.h"
#include "prometheus/parquet/parquet.h"

namespace prometheus::delta {
namespace {

using Json = nlohmann::json;
using parquet::ColumnType;
using parquet::LeafColumn;
using parquet::SchemaNode;

// The checkpoint schema as a tree; maps are of strings to nullable strings,
// lists of nullable strings.
struct Field {
  enum Kind { kLeaf, kStruct, kMap, kList };
  std::string name;
  Kind kind = kLeaf;
  ColumnType type = ColumnType::kString;
  std::vector<Field> children;
};

Field Leaf(std::string name, ColumnType type = ColumnType::kString) {
  return {std::move(name), Field::kLeaf, type, {}};
}
Field Struct(std::string name, std::vector<Field> children) {
  return {std::move(name), Field::kStruct, ColumnType::kString, std::move(children)};
}
Field Map(std::string name) { return {std::move(name), Field::kMap, ColumnType::kString, {}}; }
Field List(std::string name) { return {std::move(name), Field::kList, ColumnType::kString, {}}; }

// The columns delta-spark writes for the actions this writer knows.
const std::vector<Field>& CheckpointSchema() {
  static const std::vector<Field> schema = {
      Struct("txn", {Leaf("appId"), Leaf("version", ColumnType::kInt64),
                     Leaf("lastUpdated", ColumnType::kInt64)}),
      Struct("add", {Leaf("path"), Map("partitionValues"), Leaf("size", ColumnType::kInt64),
                     Leaf("modificationTime", ColumnType::kInt64),
                     Leaf("dataChange", ColumnType::kBoolean), Map("tags"), Leaf("stats")}),
      Struct("remove", {Leaf("path"), Leaf("deletionTimestamp", ColumnType::kInt64),
                        Leaf("dataChange", ColumnType::kBoolean)}),
      Struct("metaData",
             {Leaf("id"), Leaf("name"), Leaf("description"),
              Struct("format", {Leaf("provider"), Map("options")}), Leaf("schemaString"),
              List("partitionColumns"), Map("configuration"),
              Leaf("createdTime", ColumnType::kInt64)}),
      Struct("protocol", {Leaf("minReaderVersion", ColumnType::kInt32),
                          Leaf("minWriterVersion", ColumnType::kInt32)}),
  };
  return schema;
}

// Flattens the tree into Parquet's depth-first nodes and empty leaf columns
// with their max levels. Every field is optional; map keys are required.
void Flatten(const Field& field, std::vector<std::string> path, int def, int rep,
             std::vector<SchemaNode>& nodes, std::vector<LeafColumn>& leaves) {
  using K = SchemaNode::Kind;
  using R = SchemaNode::Repetition;
  path.push_back(field.name);
  auto leaf = [&](std::vector<std::string> leaf_path, int max_def, int max_rep, ColumnType t) {
    LeafColumn& column = leaves.emplace_back();
    column.path = std::move(leaf_path);
    column.max_definition_level = max_def;
    column.max_repetition_level = max_rep;
    column.type = t;
  };
  switch (field.kind) {
    case Field::kLeaf:
      nodes.push_back({field.name, K::kLeaf, R::kOptional, field.type, 0});
      leaf(path, def + 1, rep, field.type);
      return;
    case Field::kStruct:
      nodes.push_back({field.name, K::kGroup, R::kOptional, ColumnType::kString,
                       static_cast<int>(field.children.size())});
      for (const Field& child : field.children) {
        Flatten(child, path, def + 1, rep, nodes, leaves);
      }
      return;
    case Field::kMap: {
      nodes.push_back({field.name, K::kMap, R::kOptional, ColumnType::kString, 1});
      nodes.push_back({"key_value", K::kMapKeyValue, R::kRepeated, ColumnType::kString, 2});
      nodes.push_back({"key", K::kLeaf, R::kRequired, ColumnType::kString, 0});
      nodes.push_back({"value", K::kLeaf, R::kOptional, ColumnType::kString, 0});
      path.push_back("key_value");
      auto key = path, value = path;
      key.push_back("key");
      value.push_back("value");
      leaf(key, def + 2, rep + 1, ColumnType::kString);
      leaf(value, def + 3, rep + 1, ColumnType::kString);
      return;
    }
    case Field::kList: {
      nodes.push_back({field.name, K::kList, R::kOptional, ColumnType::kString, 1});
      nodes.push_back({"list", K::kGroup, R::kRepeated, ColumnType::kString, 1});
      nodes.push_back({"element", K::kLeaf, R::kOptional, ColumnType::kString, 0});
      path.push_back("list");
      path.push_back("element");
      leaf(path, def + 3, rep + 1, ColumnType::kString);
      return;
    }
  }
}

// Shreds one action (its JSON object) into the leaves (Dremel's record
// shredding): `next` walks the leaves in schema order.
class Shredder {
 public:
  explicit Shredder(std::vector<LeafColumn>& leaves) : leaves_(leaves) {}

  void Row(const Json& action) {
    next_ = 0;
    for (const Field& field : CheckpointSchema()) {
      Shred(field, Member(action, field.name), 0, 0, 0);
    }
  }

 private:
  static const Json* Member(const Json& object, const std::string& name) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(name);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }

  void Emit(LeafColumn& leaf, int def, int rep, const Json* value) {
    leaf.definition_levels.push_back(static_cast<int16_t>(def));
    if (leaf.max_repetition_level > 0) leaf.repetition_levels.push_back(static_cast<int16_t>(rep));
    if (def != leaf.max_definition_level) return;
    switch (leaf.type) {
      case ColumnType::kString:
        leaf.values.strings.push_back(value->is_string() ? value->get<std::string>()
                                                         : value->dump());
        break;
      case ColumnType::kBoolean:
        leaf.values.ints.push_back(value->get<bool>() ? 1 : 0);
        break;
      default:
        leaf.values.ints.push_back(value->get<int64_t>());
    }
  }

  // Every leaf under `field` gets one undefined entry at level `def`.
  void Null(const Field& field, int def, int rep) {
    size_t count = 1;
    if (field.kind == Field::kStruct) count = LeafCount(field);
    if (field.kind == Field::kMap) count = 2;
    for (size_t i = 0; i < count; ++i) Emit(leaves_[next_++], def, rep, nullptr);
  }

  static size_t LeafCount(const Field& field) {
    if (field.kind == Field::kLeaf || field.kind == Field::kList) return 1;
    if (field.kind == Field::kMap) return 2;
    size_t n = 0;
    for (const Field& child : field.children) n += LeafCount(child);
    return n;
  }

  // `def` is the level of the parent, `rep` the repetition level of this
  // entry and `depth` the number of repeated ancestors.
  void Shred(const Field& field, const Json* value, int def, int rep, int depth) {
    if (value == nullptr) return Null(field, def, rep);
    const int here = def + 1;
    switch (field.kind) {
      case Field::kLeaf:
        Emit(leaves_[next_++], here, rep, value);
        return;
      case Field::kStruct:
        for (const Field& child : field.children) {
          Shred(child, Member(*value, child.name), here, rep, depth);
        }
        return;
      case Field::kMap: {
        LeafColumn& keys = leaves_[next_++];
        LeafColumn& values = leaves_[next_++];
        if (!value->is_object() || value->empty()) {
          Emit(keys, here, rep, nullptr);
          Emit(values, here, rep, nullptr);
          return;
        }
        int r = rep;
        for (const auto& [k, v] : value->items()) {
          Json key = k;
          Emit(keys, here + 1, r, &key);
          Emit(values, v.is_null() ? here + 1 : here + 2, r, &v);
          r = depth + 1;
        }
        return;
      }
      case Field::kList: {
        LeafColumn& elements = leaves_[next_++];
        if (!value->is_array() || value->empty()) {
          Emit(elements, here, rep, nullptr);
          return;
        }
        int r = rep;
        for (const Json& element : *value) {
          Emit(elements, element.is_null() ? here + 1 : here + 2, r, &element);
          r = depth + 1;
        }
        return;
      }
    }
  }

  std::vector<LeafColumn>& leaves_;
  size_t next_ = 0;
};

std::string TempName() {
  std::random_device device;
  return fmt::format("._last_checkpoint.{:016x}.tmp", (static_cast<uint64_t>(device()) << 32) ^ device());
}

}  // namespace

int64_t CheckpointInterval(const Metadata& metadata) {
  auto it = metadata.configuration.find("delta.checkpointInterval");
  if (it == metadata.configuration.end()) return kDefaultCheckpointInterval;
  int64_t interval = 0;
  const std::string& text = it->second;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), interval);
  if (ec != std::errc() || ptr != text.data() + text.size() || interval <= 0) {
    return kDefaultCheckpointInterval;
  }
  return interval;
}

Status WriteCheckpoint(const DeltaTable& table, const Snapshot& snapshot, int64_t now_ms) {
  if (snapshot.version < 0 || !snapshot.protocol || !snapshot.metadata) {
    return Fail(ErrorCode::kInvalidArgument, "{}: no table to checkpoint", table.root().string());
  }
  const int64_t tombstone_retention = PropertyDurationMs(
      *snapshot.metadata, "delta.deletedFileRetentionDuration", kDefaultDeletedFileRetentionMs);
  std::vector<std::string> actions = {ProtocolLine(*snapshot.protocol),
                                      MetadataLine(*snapshot.metadata)};
  for (const auto& [app, version] : snapshot.txns) actions.push_back(TxnLine({app, version, {}}));
  int64_t adds = 0;
  for (const auto& [path, add] : snapshot.files) {
    AddFile a = add;
    a.data_change = false;  // a checkpoint's files are state, not a change
    actions.push_back(AddLine(a));
    ++adds;
  }
  for (const auto& [path, remove] : snapshot.tombstones) {
    if (remove.deletion_timestamp < now_ms - tombstone_retention) continue;
    RemoveFile r = remove;
    r.data_change = false;
    actions.push_back(RemoveLine(r));
  }

  std::vector<SchemaNode> nodes;
  std::vector<LeafColumn> leaves;
  for (const Field& field : CheckpointSchema()) Flatten(field, {}, 0, 0, nodes, leaves);
  Shredder shredder(leaves);
  for (const std::string& line : actions) shredder.Row(Json::parse(line));

  const std::string name = fmt::format("{:020}.checkpoint.parquet", snapshot.version);
  Result<uint64_t> written =
      parquet::WriteParquetLeaves(table.file_system(), table.log_dir() / name, nodes, leaves,
                                  static_cast<int64_t>(actions.size()));
  if (!written && written.error().code == ErrorCode::kConflict) return Ok();  // written already
  if (!written) {
    return Wrap(fmt::format("{}: cannot write checkpoint {}", table.root().string(), name),
                written.error());
  }
  const std::string hint = Json{{"version", snapshot.version},
                                {"size", static_cast<int64_t>(actions.size())},
                                {"sizeInBytes", *written},
                                {"numOfAddFiles", adds}}
                               .dump();
  const auto temp = table.log_dir() / TempName();
  PROM_ASSIGN_OR_RETURN(std::unique_ptr<NewFile> file, table.file_system().Create(temp));
  PROM_TRY(file->Append(hint));
  PROM_ASSIGN_OR_RETURN(bool published, file->Commit());
  if (!published) {
    return Fail(ErrorCode::kConflict, "{}: temporary file exists", temp.string());
  }
  if (auto renamed = table.file_system().Rename(temp, table.log_dir() / "_last_checkpoint");
      !renamed) {
    (void)table.file_system().Delete(temp);
    return renamed;
  }
  return Ok();
}

Status CheckpointIfDue(const DeltaTable& table, const Snapshot& snapshot, int64_t now_ms) {
  if (snapshot.version <= 0 || !snapshot.metadata) return Ok();
  if (snapshot.version % CheckpointInterval(*snapshot.metadata) != 0) return Ok();
  return WriteCheckpoint(table, snapshot, now_ms);
}

Status CheckpointAfterCommit(const DeltaTable& table, const Snapshot& before,
                             const std::vector<std::string>& actions, int64_t now_ms) {
  const int64_t version = before.version + 1;
  // Cheap test first, on the interval before the commit: most commits are
  // not due, and copying a snapshot of many files is not free.
  const int64_t interval =
      before.metadata ? CheckpointInterval(*before.metadata) : kDefaultCheckpointInterval;
  if (version <= 0 || version % interval != 0) return Ok();
  Snapshot after = before;
  std::string text;
  for (const std::string& action : actions) text += action + "\n";
  PROM_TRY(ApplyCommitText(text, CommitFileName(version), after));
  after.version = version;
  return CheckpointIfDue(table, after, now_ms);
}

}  // namespace prometheus::delta

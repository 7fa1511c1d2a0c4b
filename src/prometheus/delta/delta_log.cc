#include "prometheus/delta/delta_log.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "prometheus/delta/url_encoding.h"

namespace prometheus::delta {
namespace {

using Json = nlohmann::json;

std::vector<std::string> Strings(const Json& array) {
  std::vector<std::string> out;
  if (!array.is_array()) return out;
  for (const auto& item : array) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

// Only an integer: a double such as 1.8e45 has no int64 value (converting
// it is undefined behaviour), so it counts as absent.
int64_t Int(const Json& object, const char* key, int64_t fallback = 0) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return fallback;
  return it->get<int64_t>();
}

bool Bool(const Json& object, const char* key, bool fallback) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

std::string Text(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

Result<std::string> RequiredText(const Json& object, const char* action,
                                 const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return Fail(ErrorCode::kCorrupt, "\"{}\" action without a string \"{}\"", action, key);
  }
  return it->get<std::string>();
}

Status ApplyAction(const Json& line, Snapshot& snapshot) {
  if (!line.is_object()) return Fail(ErrorCode::kCorrupt, "expected a JSON object per line");
  if (auto it = line.find("protocol"); it != line.end()) {
    Protocol p;
    p.min_reader_version = static_cast<int>(Int(*it, "minReaderVersion", 1));
    p.min_writer_version = static_cast<int>(Int(*it, "minWriterVersion", 2));
    p.reader_features = Strings(it->value("readerFeatures", Json::array()));
    p.writer_features = Strings(it->value("writerFeatures", Json::array()));
    snapshot.Apply(p);
  }
  if (auto it = line.find("metaData"); it != line.end()) {
    Metadata m;
    PROM_ASSIGN_OR_RETURN(m.id, RequiredText(*it, "metaData", "id"));
    // Required by the spec, yet absent from some test logs: checked when the
    // data is read.
    m.schema_string = Text(*it, "schemaString");
    m.name = Text(*it, "name");
    m.partition_columns = Strings(it->value("partitionColumns", Json::array()));
    if (auto c = it->find("configuration"); c != it->end() && c->is_object()) {
      for (const auto& [k, v] : c->items()) {
        if (v.is_string()) m.configuration[k] = v.get<std::string>();
      }
    }
    if (auto t = it->find("createdTime"); t != it->end() && t->is_number_integer()) {
      m.created_time = t->get<int64_t>();
    }
    snapshot.Apply(m);
  }
  if (auto it = line.find("add"); it != line.end()) {
    AddFile add;
    PROM_ASSIGN_OR_RETURN(std::string path, RequiredText(*it, "add", "path"));
    add.path = UrlDecode(path);
    add.size = Int(*it, "size");
    add.modification_time = Int(*it, "modificationTime");
    add.data_change = Bool(*it, "dataChange", true);
    add.stats = Text(*it, "stats");
    if (auto pv = it->find("partitionValues"); pv != it->end() && pv->is_object()) {
      for (const auto& [k, v] : pv->items()) {
        add.partition_values[k] =
            v.is_string() ? std::optional(v.get<std::string>()) : std::nullopt;
      }
    }
    if (auto tags = it->find("tags"); tags != it->end() && tags->is_object()) {
      for (const auto& [k, v] : tags->items()) {
        if (v.is_string()) add.tags[k] = v.get<std::string>();
      }
    }
    add.has_deletion_vector =
        it->contains("deletionVector") && !(*it)["deletionVector"].is_null();
    snapshot.Apply(add);
  }
  if (auto it = line.find("remove"); it != line.end()) {
    RemoveFile remove;
    PROM_ASSIGN_OR_RETURN(std::string path, RequiredText(*it, "remove", "path"));
    remove.path = UrlDecode(path);
    remove.deletion_timestamp = Int(*it, "deletionTimestamp");
    remove.data_change = Bool(*it, "dataChange", true);
    snapshot.Apply(remove);
  }
  if (auto it = line.find("txn"); it != line.end()) {
    Txn txn;
    PROM_ASSIGN_OR_RETURN(txn.app_id, RequiredText(*it, "txn", "appId"));
    txn.version = Int(*it, "version");
    snapshot.Apply(txn);
  }
  return Ok();
}

}  // namespace

void Snapshot::Apply(const AddFile& add) {
  tombstones.erase(add.path);
  files[add.path] = add;
}

void Snapshot::Apply(const RemoveFile& remove) {
  files.erase(remove.path);
  tombstones[remove.path] = remove;
}

Status ApplyCommitText(std::string_view text, const std::string& file,
                       Snapshot& snapshot) {
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Json action = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (action.is_discarded()) {
      return Fail(ErrorCode::kCorrupt, "{}:{}: not a JSON action line: expected one JSON object "
                  "per line",
                  file, line_number);
    }
    if (auto status = ApplyAction(action, snapshot); !status) {
      return Wrap(fmt::format("{}:{}", file, line_number), status.error());
    }
  }
  return Ok();
}

std::string ProtocolLine(const Protocol& protocol) {
  Json p{{"minReaderVersion", protocol.min_reader_version},
         {"minWriterVersion", protocol.min_writer_version}};
  return Json{{"protocol", p}}.dump();
}

std::string MetadataLine(const Metadata& m) {
  Json configuration = Json::object();
  for (const auto& [k, v] : m.configuration) configuration[k] = v;
  Json meta{{"id", m.id},
            {"format", {{"provider", "parquet"}, {"options", Json::object()}}},
            {"schemaString", m.schema_string},
            {"partitionColumns", m.partition_columns},
            {"configuration", configuration}};
  if (!m.name.empty()) meta["name"] = m.name;
  if (m.created_time) meta["createdTime"] = *m.created_time;
  return Json{{"metaData", meta}}.dump();
}

std::string AddLine(const AddFile& add) {
  Json partition_values = Json::object();
  for (const auto& [k, v] : add.partition_values) {
    partition_values[k] = v ? Json(*v) : Json(nullptr);
  }
  Json a{{"path", UrlEncodePath(add.path)},
         {"partitionValues", partition_values},
         {"size", add.size},
         {"modificationTime", add.modification_time},
         {"dataChange", add.data_change}};
  if (!add.stats.empty()) a["stats"] = add.stats;
  if (!add.tags.empty()) a["tags"] = add.tags;
  return Json{{"add", a}}.dump();
}

std::string RemoveLine(const RemoveFile& remove) {
  return Json{{"remove",
               {{"path", UrlEncodePath(remove.path)},
                {"deletionTimestamp", remove.deletion_timestamp},
                {"dataChange", remove.data_change}}}}
      .dump();
}

std::string TxnLine(const Txn& txn) {
  Json t{{"appId", txn.app_id}, {"version", txn.version}};
  if (txn.last_updated) t["lastUpdated"] = *txn.last_updated;
  return Json{{"txn", t}}.dump();
}

std::string CommitInfoLine(int64_t timestamp_ms, std::string_view operation,
                           bool blind_append) {
  return Json{{"commitInfo",
               {{"timestamp", timestamp_ms},
                {"operation", operation},
                {"operationParameters", {{"mode", "Append"}, {"partitionBy", "[]"}}},
                {"isBlindAppend", blind_append},
                {"engineInfo", "Prometheus/0.1.0"}}}}
      .dump();
}

Status CheckReadable(const Protocol& protocol) {
  if (protocol.min_reader_version == 1) return Ok();
  if (protocol.min_reader_version == 3) {
    std::vector<std::string> unsupported;
    for (const std::string& feature : protocol.reader_features) {
      if (feature != "v2Checkpoint") unsupported.push_back(feature);
    }
    if (unsupported.empty()) return Ok();
    return Fail(ErrorCode::kCorrupt,
                "unsupported Delta reader feature(s) {} (this reader supports only "
                "v2Checkpoint: no deletion vectors, column mapping or timestampNtz)",
                fmt::join(unsupported, ", "));
  }
  if (protocol.min_reader_version == 2) {
    return Fail(ErrorCode::kCorrupt, "unsupported Delta minReaderVersion 2 (column mapping)");
  }
  return Fail(ErrorCode::kCorrupt, "unsupported Delta minReaderVersion {} (this reader supports 1, "
              "and 3 without reader features)",
              protocol.min_reader_version);
}

Status CheckWritable(const Protocol& protocol, const Metadata& metadata) {
  PROM_TRY(CheckReadable(protocol));
  if (protocol.min_writer_version > 2) {
    return Fail(ErrorCode::kInvalidArgument,
                "table needs Delta writer version {} (features: {}); this "
                "writer implements version 2",
                protocol.min_writer_version,
                protocol.writer_features.empty()
                    ? std::string("none listed")
                    : fmt::format("{}", fmt::join(protocol.writer_features, ", ")));
  }
  if (metadata.schema_string.find("delta.invariants") != std::string::npos) {
    return Fail(ErrorCode::kInvalidArgument,
                "table has column invariants (delta.invariants), which this "
                "writer does not enforce");
  }
  return Ok();
}

}  // namespace prometheus::delta

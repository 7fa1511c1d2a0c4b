#include "prometheus/lake/lake.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <functional>
#include <random>
#include <set>

#include "prometheus/base/fnv1a.h"
#include "prometheus/delta/checkpoint_writer.h"
#include "prometheus/delta/delta_schema.h"
#include "prometheus/delta/delta_stats.h"
#include "prometheus/lake/integrity.h"
#include "prometheus/lake/tables.h"

namespace prometheus::lake {
namespace fs = std::filesystem;
using delta::AddFile;
using delta::AddLine;
using delta::CommitInfoLine;
using delta::DeltaTable;
using delta::Metadata;
using delta::MetadataLine;
using delta::ParseSchemaString;
using delta::Protocol;
using delta::ProtocolLine;
using delta::RemoveLine;
using delta::SchemaString;
using delta::Snapshot;
using delta::StatsJson;
using delta::Txn;
using delta::TxnLine;
using parquet::ParquetWriteOptions;
using parquet::Schema;
namespace {

std::string NewUuid() {
  std::random_device device;
  std::mt19937_64 random(device() ^ (static_cast<uint64_t>(device()) << 32));
  uint64_t a = random(), b = random();
  return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff,
                     a & 0xfff, 0x8000 | (b >> 48 & 0x3fff), b & 0xffffffffffffull);
}

// The metaData to commit, if any: a new table's, or an existing one's with
// the columns this release adds (schema evolution without rewriting data).
Result<std::optional<Metadata>> MetadataToWrite(const Snapshot& snapshot,
                                                const Schema& schema,
                                                std::string_view name,
                                                int64_t now_ms) {
  if (!snapshot.metadata) {
    Metadata m;
    m.id = NewUuid();
    m.name = std::string(name);
    m.schema_string = SchemaString(schema);
    m.created_time = now_ms;
    return std::optional(m);
  }
  PROM_ASSIGN_OR_RETURN(Schema existing, ParseSchemaString(snapshot.metadata->schema_string));
  bool added = false;
  for (const auto& column : schema) {
    bool found = false;
    for (const auto& have : existing) found |= have.name == column.name;
    if (!found) {
      existing.push_back(column);
      added = true;
    }
  }
  if (!added) return std::optional<Metadata>();
  Metadata m = *snapshot.metadata;
  m.schema_string = SchemaString(existing);
  return std::optional(m);
}

// One application attempt's rows for one table, and what its tags record.
struct Pending {
  std::string key;
  std::string fingerprint;
  std::string status;
  std::string source;
  int64_t source_bytes = 0;
  std::function<parquet::Table()> rows;
};

Pending PendingFor(const kpi::Analysis& analysis, const std::string& fingerprint,
                   std::function<parquet::Table()> rows, const RunTag* run = nullptr) {
  return {AppKey(analysis, run), fingerprint, ApplicationStatus(analysis),
          StoredSourcePath(analysis.log.input.name),
          static_cast<int64_t>(analysis.log.input.total_bytes()),
          std::move(rows)};
}

}  // namespace

std::string NewDataFileName(const ParquetWriteOptions& options) {
  return fmt::format("part-00000-{}-c000.{}.parquet", NewUuid(),
                     options.codec == parquet::ParquetCodec::kZstd ? "zstd" : "snappy");
}

Result<std::map<std::string, IngestedApp>> Lake::Ingested(std::string_view table) const {
  PROM_ASSIGN_OR_RETURN(Snapshot snapshot,
                        Table(table).Load({.tombstones = false, .stats = false}));
  return IngestedApps(snapshot);
}

std::map<std::string, IngestedApp> IngestedApps(const Snapshot& snapshot) {
  std::map<std::string, IngestedApp> apps;
  for (const auto& [path, add] : snapshot.files) {
    for (IngestedApp& held : AppsOfFile(add)) {
      IngestedApp& app = apps[held.key];
      app = std::move(held);
      app.files.push_back(path);
    }
  }
  return apps;
}

namespace {

// The kTagApps list as CompactedAppsTag writes it ([{"key":"…",…,
// "source_bytes":N},…]), scanned without building a JSON document: an
// observe reads the tag of every stored attempt. nullopt for anything else
// (a \\u escape, another layout), which the JSON parser then reads.
class AppsTagScanner {
 public:
  explicit AppsTagScanner(std::string_view text) : text_(text) {}

  std::optional<std::vector<IngestedApp>> Scan() {
    std::vector<IngestedApp> apps;
    if (!Take('[')) return std::nullopt;
    if (Take(']')) return AtEnd() ? std::optional(std::move(apps)) : std::nullopt;
    do {
      if (!Take('{')) return std::nullopt;
      IngestedApp& app = apps.emplace_back();
      bool has_key = false;
      do {
        std::string name;
        if (!String(name) || !Take(':')) return std::nullopt;
        if (name == "source_bytes") {
          if (!Integer(app.source_bytes)) return std::nullopt;
          continue;
        }
        std::string* field = name == "key"           ? &app.key
                             : name == "fingerprint" ? &app.fingerprint
                             : name == "status"      ? &app.status
                             : name == "source"      ? &app.source
                                                     : nullptr;
        if (field == nullptr || !String(*field)) return std::nullopt;
        has_key |= field == &app.key;
      } while (Take(','));
      if (!Take('}') || !has_key) return std::nullopt;
    } while (Take(','));
    if (!Take(']') || !AtEnd()) return std::nullopt;
    return apps;
  }

 private:
  bool Take(char c) {
    if (at_ < text_.size() && text_[at_] == c) {
      ++at_;
      return true;
    }
    return false;
  }
  bool AtEnd() const { return at_ == text_.size(); }
  bool String(std::string& out) {
    if (!Take('"')) return false;
    out.clear();
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (at_ >= text_.size()) return false;
      switch (text_[at_++]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        default: return false;  // \\u: left to the JSON parser
      }
    }
    return false;
  }
  bool Integer(int64_t& out) {
    auto [end, error] = std::from_chars(text_.data() + at_, text_.data() + text_.size(), out);
    if (error != std::errc()) return false;
    at_ = static_cast<size_t>(end - text_.data());
    return true;
  }

  std::string_view text_;
  size_t at_ = 0;
};

std::optional<std::vector<IngestedApp>> ScanAppsTag(std::string_view text) {
  return AppsTagScanner(text).Scan();
}

}  // namespace

std::vector<IngestedApp> AppsOfFile(const AddFile& add) {
  auto get = [&](const char* key) {
    auto it = add.tags.find(key);
    return it == add.tags.end() ? std::string() : it->second;
  };
  std::vector<IngestedApp> apps;
  if (auto tag = add.tags.find(kTagApp); tag != add.tags.end()) {
    IngestedApp& app = apps.emplace_back();
    app.key = tag->second;
    app.fingerprint = get(kTagFingerprint);
    app.status = get(kTagStatus);
    app.source = get(kTagSource);
    std::string bytes = get(kTagSourceBytes);
    app.source_bytes = bytes.empty() ? 0 : std::stoll(bytes);
    return apps;
  }
  auto compacted = add.tags.find(kTagApps);
  if (compacted == add.tags.end()) return apps;
  if (std::optional<std::vector<IngestedApp>> scanned = ScanAppsTag(compacted->second)) {
    return std::move(*scanned);
  }
  auto list = nlohmann::json::parse(compacted->second, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) return apps;
  for (const auto& item : list) {
    if (!item.is_object() || !item.contains("key") || !item["key"].is_string()) continue;
    IngestedApp& app = apps.emplace_back();
    app.key = item["key"].get<std::string>();
    app.fingerprint = item.value("fingerprint", "");
    app.status = item.value("status", "");
    app.source = item.value("source", "");
    app.source_bytes = item.value("source_bytes", int64_t{0});
  }
  return apps;
}

std::string CompactedAppsTag(const std::vector<IngestedApp>& apps) {
  nlohmann::json list = nlohmann::json::array();
  for (const IngestedApp& app : apps) {
    list.push_back({{"key", app.key},
                    {"fingerprint", app.fingerprint},
                    {"status", app.status},
                    {"source", app.source},
                    {"source_bytes", app.source_bytes}});
  }
  return list.dump();
}

namespace {

// Whether an ingest may write on top of `snapshot` of `table`, checked before
// anything is written: the protocol is one this writer honours, every live
// file is one of ours (its tags say which application attempt it holds,
// which de-duplication and in-progress replacement rely on), and every data
// file is there whole.
Status CheckIngestable(const DeltaTable& table, const Snapshot& snapshot) {
  if (snapshot.version < 0) return Ok();
  if (auto ok = CheckWritable(*snapshot.protocol, *snapshot.metadata); !ok) {
    return Fail(ok.error().code, "{}: {}; nothing was written", table.root().string(),
                ok.error().message);
  }
  for (const auto& [path, add] : snapshot.files) {
    if (add.tags.contains(kTagApp) || add.tags.contains(kTagApps)) continue;
    return Fail(ErrorCode::kInvalidArgument,
                "{}: data file {} carries no {} tag: another Delta writer added or rewrote "
                "it (an append, OPTIMIZE or compaction), so the table no longer tells which "
                "application attempts it holds and observe would store them twice; nothing "
                "was written (`prometheus show` still reads the table; observe into a new "
                "--store)",
                table.root().string(), path, kTagApp);
  }
  return CheckDataFiles(table, snapshot);
}

bool AppendOnly(const Snapshot& snapshot) {
  if (!snapshot.metadata) return false;
  auto it = snapshot.metadata->configuration.find("delta.appendOnly");
  return it != snapshot.metadata->configuration.end() && it->second == "true";
}

// Appends every row of `from` to `to` when their schemas have the same column
// names and types in the same order; false (and `to` unchanged) otherwise.
bool AppendRows(parquet::Table& to, const parquet::Table& from) {
  if (to.schema.size() != from.schema.size()) return false;
  for (size_t c = 0; c < to.schema.size(); ++c) {
    if (to.schema[c].name != from.schema[c].name || to.schema[c].type != from.schema[c].type) {
      return false;
    }
  }
  for (size_t c = 0; c < to.columns.size(); ++c) {
    parquet::ColumnVector& out = to.columns[c];
    const parquet::ColumnVector& in = from.columns[c];
    out.valid.insert(out.valid.end(), in.valid.begin(), in.valid.end());
    out.ints.insert(out.ints.end(), in.ints.begin(), in.ints.end());
    out.doubles.insert(out.doubles.end(), in.doubles.begin(), in.doubles.end());
    out.strings.insert(out.strings.end(), in.strings.begin(), in.strings.end());
  }
  return true;
}

// Attempts stored complete are never replaced by a later observe, so those
// of a batch go into shared files (as `optimize` would compact them), at
// most this many rows and attempts a file (the tag listing them stays a few
// MB): a batch of many small logs then writes a few files, not one (with
// its fsync and its add action) per log.
constexpr size_t kPackedRows = 1 << 17;
constexpr size_t kPackedAttempts = 10'000;

// Writes the rows of each of `to_add` not yet in `written` (key -> the path
// of its file in `files_written`):
// with `pack_complete`, complete attempts together, others one file each.
Status WriteNewFiles(const DeltaTable& table, const Schema& schema,
                     const std::vector<const Pending*>& to_add, bool pack_complete,
                     const ParquetWriteOptions& options, int64_t now_ms,
                     std::map<std::string, std::string>& written,
                     std::map<std::string, AddFile>& files_written) {
  auto write = [&](const parquet::Table& data) -> Result<AddFile> {
    AddFile add;
    add.path = NewDataFileName(options);
    PROM_TRY(table.file_system().CreateFolders(table.root()));
    files_written[add.path] = add;
    PROM_ASSIGN_OR_RETURN(
        parquet::ParquetFileInfo info,
        parquet::WriteParquet(table.file_system(), table.root() / add.path, data, options));
    add.size = static_cast<int64_t>(info.size_bytes);
    add.modification_time = now_ms;
    add.stats = StatsJson(data.schema, info);
    return add;
  };
  auto own_tags = [](const Pending& p) -> std::map<std::string, std::string> {
    return {{kTagApp, p.key},
            {kTagFingerprint, p.fingerprint},
            {kTagStatus, p.status},
            {kTagSource, p.source},
            {kTagSourceBytes, std::to_string(p.source_bytes)}};
  };
  parquet::Table pack = parquet::MakeTable(schema);
  std::vector<const Pending*> packed;
  auto flush = [&]() -> Status {
    if (packed.empty()) return Ok();
    PROM_ASSIGN_OR_RETURN(AddFile add, write(pack));
    if (packed.size() == 1) {  // tagged as any file of one attempt
      add.tags = own_tags(*packed.front());
    } else {
      std::vector<IngestedApp> apps;
      for (const Pending* p : packed) {
        apps.push_back({p->key, p->fingerprint, p->status, p->source, p->source_bytes, {}});
      }
      add.tags = {{kTagApps, CompactedAppsTag(apps)}};
    }
    for (const Pending* p : packed) written[p->key] = add.path;
    files_written[add.path] = std::move(add);
    pack = parquet::MakeTable(schema);
    packed.clear();
    return Ok();
  };
  for (const Pending* p : to_add) {
    if (written.contains(p->key)) continue;
    parquet::Table data = p->rows();
    if (pack_complete && p->status == "complete") {
      if (pack.num_rows() + data.num_rows() > kPackedRows || packed.size() >= kPackedAttempts) {
        PROM_TRY(flush());
      }
      if (AppendRows(pack, data)) {
        packed.push_back(p);
        continue;
      }
    }
    PROM_ASSIGN_OR_RETURN(AddFile add, write(data));
    add.tags = own_tags(*p);
    written[p->key] = add.path;
    files_written[add.path] = std::move(add);
  }
  return flush();
}

// Ingests into one table, retrying on lost commit races.
// With `replace`, an attempt already stored is replaced even when complete.
// With `pack`, the batch's complete attempts share files (which `replace`
// could not replace one at a time: the two exclude each other).
Result<IngestStats> IngestTable(const Lake& lake, std::string_view name,
                                const Schema& schema, const std::vector<Pending>& batch,
                                bool replace, bool pack, const ParquetWriteOptions& options,
                                int64_t now_ms) {
  DeltaTable table = lake.Table(name);
  IngestStats stats;
  // key -> its file's path, reused across retries; a packed file is shared.
  std::map<std::string, std::string> written;
  std::map<std::string, AddFile> files_written;  // by path
  // However this returns, the files written for the batch that its commit
  // does not name are deleted: a failed batch (no space, an I/O error, lost
  // races) leaves nothing behind. Best effort: what a crash leaves is removed
  // by RemoveOrphans on a later run.
  std::set<std::string> committed;
  struct DiscardOnReturn {
    std::function<void()> discard;
    ~DiscardOnReturn() { discard(); }
  } discard_unused{[&] {
    for (const auto& [path, add] : files_written) {
      if (!committed.contains(path)) (void)table.file_system().Delete(table.root() / path);
    }
  }};
  // The batch's identity: the same batch, retried, is recognised by its txn.
  uint64_t hash = kStableHashSeed;
  for (const auto& p : batch) hash = Fnv1a(hash, p.key + "@" + p.fingerprint + ";");
  // A replacing batch is new each run: its content may equal an earlier one's.
  if (replace) hash = (hash ^ static_cast<uint64_t>(now_ms)) * kFnv1aPrime;
  std::string txn_app = fmt::format("prometheus-observe-{:016x}", hash);

  for (int attempt = 0; attempt < Lake::kMaxCommitAttempts; ++attempt) {
    PROM_ASSIGN_OR_RETURN(Snapshot snapshot, table.Load());
    if (snapshot.txns.contains(txn_app)) {  // this batch already landed
      stats.unchanged = static_cast<int64_t>(batch.size());
      return stats;
    }
    PROM_TRY(CheckIngestable(table, snapshot));
    if (attempt == 0 && snapshot.version >= 0) {
      PROM_ASSIGN_OR_RETURN(RemovedOrphans orphans, RemoveOrphans(table, snapshot, now_ms));
      stats.orphans_removed = orphans.files;
      stats.orphan_bytes_removed = orphans.bytes;
    }
    std::map<std::string, IngestedApp> ingested = IngestedApps(snapshot);
    if (AppendOnly(snapshot)) {
      for (const auto& p : batch) {
        if (ingested.contains(p.key) &&
            (replace || (ingested[p.key].status != "complete" &&
                         ingested[p.key].fingerprint != p.fingerprint))) {
          return Fail(ErrorCode::kInvalidArgument,
                      "{}: delta.appendOnly is true, so the stored rows of {} cannot be "
                      "replaced by newer ones; nothing was written",
                      table.root().string(), p.key);
        }
      }
    }
    std::vector<std::string> actions;
    actions.push_back(CommitInfoLine(now_ms, "WRITE", true));
    if (snapshot.version < 0) actions.push_back(ProtocolLine(Protocol{}));
    PROM_ASSIGN_OR_RETURN(auto metadata, MetadataToWrite(snapshot, schema, name, now_ms));
    if (metadata) actions.push_back(MetadataLine(*metadata));
    IngestStats round;
    std::vector<const Pending*> to_add;
    for (const auto& p : batch) {
      auto have = ingested.find(p.key);
      if (have != ingested.end() && !replace &&
          (have->second.status == "complete" || have->second.fingerprint == p.fingerprint)) {
        ++round.unchanged;
        continue;
      }
      if (have != ingested.end()) {
        for (const auto& old : have->second.files) {
          // A compacted file holds other attempts too; removing it would
          // lose their rows. Only complete attempts are compacted (by
          // `optimize`, or packed by an ingest), which only a replacing
          // ingest rewrites, so this is that case.
          if (snapshot.files.at(old).tags.contains(kTagApps)) {
            return Fail(ErrorCode::kInvalidArgument,
                        "{}: the rows of {} are in {}, a file `prometheus optimize` "
                        "compacted with other applications' rows; they cannot be replaced "
                        "one application at a time; nothing was written",
                        table.root().string(), p.key, old);
          }
        }
        for (const auto& old : have->second.files) {
          actions.push_back(RemoveLine({old, now_ms, true}));
        }
        ++round.replaced;
      } else {
        ++round.appended;
      }
      to_add.push_back(&p);
    }
    // A packed file written in an earlier round that now holds an attempt
    // this round does not add (a concurrent writer stored it) would store it
    // twice: its attempts are written again.
    std::set<std::string> adding;
    for (const Pending* p : to_add) adding.insert(p->key);
    std::map<std::string, std::vector<std::string>> keys_of_file;
    for (const auto& [key, path] : written) keys_of_file[path].push_back(key);
    for (const auto& [path, keys] : keys_of_file) {
      if (std::all_of(keys.begin(), keys.end(), [&](const auto& k) { return adding.contains(k); })) {
        continue;
      }
      for (const std::string& key : keys) written.erase(key);
    }
    PROM_TRY(WriteNewFiles(table, schema, to_add, pack && !replace, options, now_ms, written,
                           files_written));
    std::vector<std::string> adds;
    std::set<std::string> in_commit;
    for (const Pending* p : to_add) {
      const AddFile& add = files_written.at(written.at(p->key));
      if (in_commit.insert(add.path).second) adds.push_back(AddLine(add));
    }
    if (adds.empty() && !metadata) {
      stats.unchanged = round.unchanged;
      return stats;
    }
    Txn txn{txn_app, 1, now_ms};
    actions.push_back(TxnLine(txn));
    actions.insert(actions.end(), adds.begin(), adds.end());
    Result<bool> landed = table.TryCommit(snapshot.version + 1, actions);
    if (!landed) {
      // The commit may have landed all the same (a failed fsync after the
      // publish): then its files must stay. When the log cannot tell, they
      // stay too, and a later run removes them if they are orphans.
      Result<Snapshot> after = table.Load();
      if (!after || after->txns.contains(txn_app)) committed = std::move(in_commit);
      return std::unexpected(landed.error());
    }
    if (*landed) {
      // Best effort: the commit stands whether or not the checkpoint is written.
      (void)delta::CheckpointAfterCommit(table, snapshot, actions, now_ms);
      round.commits = 1;
      round.conflicts = stats.conflicts;
      committed = std::move(in_commit);
      round.orphans_removed = stats.orphans_removed;
      round.orphan_bytes_removed = stats.orphan_bytes_removed;
      return round;
    }
    ++stats.conflicts;
  }
  return Fail(ErrorCode::kConflict,
              "{}: gave up after {} attempt(s) lost to concurrent commits; nothing "
              "was appended, run again",
              table.root().string(), stats.conflicts);
}

}  // namespace

Result<IngestStats> Lake::Ingest(const std::vector<AnalysisToStore>& batch,
                                 int64_t now_ms) const {
  // Nothing to store: no table is read, checked or cleaned, so that an
  // observe that finds nothing new costs the same on a lake of any size.
  if (batch.empty()) return IngestStats{};
  // Both tables are checked before either is written, so that a refusal
  // leaves the lake as it was.
  for (std::string_view name : {kMetricsTable, kApplicationsTable}) {
    DeltaTable table = Table(name);
    PROM_ASSIGN_OR_RETURN(Snapshot snapshot, table.Load());
    PROM_TRY(CheckIngestable(table, snapshot));
  }
  std::vector<Pending> metrics_batch, applications_batch;
  for (const AnalysisToStore& item : batch) {
    const kpi::Analysis* a = item.analysis;
    const std::string& fingerprint = item.fingerprint;
    const RunTag* run = item.run;
    const kpi::CostEstimate* cost = item.cost;
    metrics_batch.push_back(
        PendingFor(*a, fingerprint, [a, run] { return MetricsRows(*a, run); }, run));
    applications_batch.push_back(PendingFor(
        *a, fingerprint,
        [a, fingerprint, now_ms, run, cost] {
          return ApplicationRow(*a, fingerprint, now_ms, run, cost);
        },
        run));
  }
  PROM_ASSIGN_OR_RETURN(IngestStats metrics,
                        IngestTable(*this, kMetricsTable, MetricsSchema(), metrics_batch,
                                    /*replace=*/false, /*pack=*/true, options_, now_ms));
  PROM_ASSIGN_OR_RETURN(IngestStats applications,
                        IngestTable(*this, kApplicationsTable, ApplicationsSchema(),
                                    applications_batch, /*replace=*/false, /*pack=*/true,
                                    options_, now_ms));
  // One row per application attempt: the applications table's counts are
  // the batch's (the metrics table may hold a half-finished earlier batch).
  applications.commits += metrics.commits;
  applications.conflicts += metrics.conflicts;
  applications.orphans_removed += metrics.orphans_removed;
  applications.orphan_bytes_removed += metrics.orphan_bytes_removed;
  return applications;
}

Result<IngestStats> Lake::IngestRecommendations(
    const std::vector<AppRecommendations>& batch, bool replace, int64_t now_ms) const {
  std::vector<Pending> pending;
  for (const AppRecommendations& app : batch) {
    pending.push_back(PendingFor(*app.analysis, app.fingerprint, [&app, now_ms] {
      return RecommendationRows(*app.recommendations, now_ms);
    }));
  }
  // Not packed: `recommend --all` replaces every application's rows.
  return IngestTable(*this, kRecommendationsTable, RecommendationsSchema(), pending, replace,
                     /*pack=*/false, options_, now_ms);
}

}  // namespace prometheus::lake

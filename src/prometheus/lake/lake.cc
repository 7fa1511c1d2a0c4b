#include "prometheus/lake/lake.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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
  PROM_ASSIGN_OR_RETURN(Snapshot snapshot, Table(table).Load());
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

// Ingests into one table, retrying on lost commit races.
// With `replace`, an attempt already stored is replaced even when complete.
Result<IngestStats> IngestTable(const Lake& lake, std::string_view name,
                                const Schema& schema, const std::vector<Pending>& batch,
                                bool replace, const ParquetWriteOptions& options,
                                int64_t now_ms) {
  DeltaTable table = lake.Table(name);
  IngestStats stats;
  std::map<std::string, AddFile> written;  // key -> file, reused across retries
  // However this returns, the files written for the batch that its commit
  // does not name are deleted: a failed batch (no space, an I/O error, lost
  // races) leaves nothing behind. Best effort: what a crash leaves is removed
  // by RemoveOrphans on a later run.
  std::set<std::string> committed;
  struct DiscardOnReturn {
    std::function<void()> discard;
    ~DiscardOnReturn() { discard(); }
  } discard_unused{[&] {
    for (const auto& [key, add] : written) {
      if (!committed.contains(add.path)) (void)table.file_system().Delete(table.root() / add.path);
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
    std::vector<std::string> adds;
    std::set<std::string> in_commit;
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
          // lose their rows. `optimize` compacts only complete attempts,
          // which only a replacing ingest rewrites, so this is that case.
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
      if (!written.contains(p.key)) {
        parquet::Table data = p.rows();
        std::string file = NewDataFileName(options);
        PROM_TRY(table.file_system().CreateFolders(table.root()));
        PROM_ASSIGN_OR_RETURN(
            parquet::ParquetFileInfo info,
            parquet::WriteParquet(table.file_system(), table.root() / file, data, options));
        AddFile add;
        add.path = file;
        add.size = static_cast<int64_t>(info.size_bytes);
        add.modification_time = now_ms;
        add.stats = StatsJson(data.schema, info);
        add.tags = {{kTagApp, p.key},
                    {kTagFingerprint, p.fingerprint},
                    {kTagStatus, p.status},
                    {kTagSource, p.source},
                    {kTagSourceBytes, std::to_string(p.source_bytes)}};
        written[p.key] = add;
      }
      adds.push_back(AddLine(written[p.key]));
      in_commit.insert(written[p.key].path);
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
                                    /*replace=*/false, options_, now_ms));
  PROM_ASSIGN_OR_RETURN(IngestStats applications,
                        IngestTable(*this, kApplicationsTable, ApplicationsSchema(),
                                    applications_batch, /*replace=*/false, options_, now_ms));
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
  return IngestTable(*this, kRecommendationsTable, RecommendationsSchema(), pending, replace,
                     options_, now_ms);
}

}  // namespace prometheus::lake

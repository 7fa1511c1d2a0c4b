#include "prometheus/lake/optimize.h"

#include <algorithm>
#include <functional>
#include <set>

#include <fmt/format.h>

#include "prometheus/delta/checkpoint_writer.h"
#include "prometheus/delta/delta_schema.h"
#include "prometheus/delta/delta_stats.h"
#include "prometheus/lake/integrity.h"
#include "prometheus/lake/tables.h"
#include "prometheus/parquet/parquet.h"

namespace prometheus::lake {
namespace {

using delta::AddFile;
using delta::DeltaTable;
using delta::Snapshot;

// The files worth compacting, packed into bins of at most `target` bytes,
// oldest first; bins of one file are dropped.
std::vector<std::vector<AddFile>> Bins(const Snapshot& snapshot, int64_t target) {
  std::vector<AddFile> candidates;
  for (const auto& [path, add] : snapshot.files) {
    if (add.size >= target || add.has_deletion_vector) continue;
    std::vector<IngestedApp> apps = AppsOfFile(add);
    if (apps.empty()) continue;
    bool complete = std::all_of(apps.begin(), apps.end(),
                                [](const IngestedApp& app) { return app.status == "complete"; });
    if (complete) candidates.push_back(add);
  }
  std::sort(candidates.begin(), candidates.end(), [](const AddFile& a, const AddFile& b) {
    return std::tie(a.modification_time, a.path) < std::tie(b.modification_time, b.path);
  });
  std::vector<std::vector<AddFile>> bins;
  std::vector<AddFile> bin;
  int64_t bytes = 0;
  for (AddFile& add : candidates) {
    if (!bin.empty() && bytes + add.size > target) {
      if (bin.size() > 1) bins.push_back(std::move(bin));
      bin.clear();
      bytes = 0;
    }
    bytes += add.size;
    bin.push_back(std::move(add));
  }
  if (bin.size() > 1) bins.push_back(std::move(bin));
  return bins;
}

// Rewrites one bin's rows into one new file, whose add action lists the
// attempts it holds.
Result<AddFile> Compact(const Lake& lake, const DeltaTable& table, const parquet::Schema& schema,
                        const std::vector<AddFile>& bin, int64_t now_ms) {
  parquet::Table out = parquet::MakeTable(schema);
  std::vector<IngestedApp> apps;
  for (const AddFile& add : bin) {
    PROM_ASSIGN_OR_RETURN(parquet::Table part,
                          parquet::ReadParquet(table.file_system(), table.root() / add.path));
    std::vector<std::optional<size_t>> sources;
    for (const parquet::Column& column : schema) sources.push_back(part.ColumnIndex(column.name));
    for (size_t row = 0; row < part.num_rows(); ++row) {
      size_t target = out.AddRow();
      for (size_t c = 0; c < schema.size(); ++c) {
        if (sources[c]) parquet::SetValue(out, c, target, part.Get(*sources[c], row));
      }
    }
    for (IngestedApp& app : AppsOfFile(add)) apps.push_back(std::move(app));
  }
  AddFile add;
  add.path = NewDataFileName(lake.options());
  PROM_ASSIGN_OR_RETURN(
      parquet::ParquetFileInfo info,
      parquet::WriteParquet(table.file_system(), table.root() / add.path, out, lake.options()));
  add.size = static_cast<int64_t>(info.size_bytes);
  add.modification_time = now_ms;
  add.data_change = false;
  add.stats = delta::StatsJson(schema, info);
  add.tags = {{kTagApps, CompactedAppsTag(apps)}};
  return add;
}

}  // namespace

std::vector<std::string_view> CompactedTables() { return {kMetricsTable, kApplicationsTable}; }

Result<OptimizedTable> OptimizeTable(const Lake& lake, std::string_view name,
                                     const OptimizeOptions& options) {
  DeltaTable table = lake.Table(name);
  OptimizedTable result;
  result.table = std::string(name);
  PROM_ASSIGN_OR_RETURN(Snapshot snapshot, table.Load());
  result.files_before = result.files_after = static_cast<int64_t>(snapshot.files.size());
  if (snapshot.version < 0) return result;
  if (auto ok = CheckWritable(*snapshot.protocol, *snapshot.metadata); !ok) {
    return Fail(ok.error().code, "{}: {}; nothing was written", table.root().string(),
                ok.error().message);
  }
  PROM_TRY(CheckDataFiles(table, snapshot));
  std::vector<std::vector<AddFile>> bins = Bins(snapshot, options.target_bytes);
  if (bins.empty()) return result;
  PROM_ASSIGN_OR_RETURN(parquet::Schema schema,
                        delta::ParseSchemaString(snapshot.metadata->schema_string));

  // However this returns, files written but not committed are deleted.
  std::vector<AddFile> written;
  bool committed = false;
  struct DiscardOnReturn {
    std::function<void()> discard;
    ~DiscardOnReturn() { discard(); }
  } discard_unused{[&] {
    if (committed) return;
    for (const AddFile& add : written) (void)table.file_system().Delete(table.root() / add.path);
  }};
  std::vector<std::string> actions = {delta::CommitInfoLine(options.now_ms, "OPTIMIZE", false)};
  for (const auto& bin : bins) {
    PROM_ASSIGN_OR_RETURN(AddFile add, Compact(lake, table, schema, bin, options.now_ms));
    written.push_back(add);
    actions.push_back(delta::AddLine(add));
    for (const AddFile& old : bin) {
      actions.push_back(delta::RemoveLine({old.path, options.now_ms, false}));
      result.bytes_rewritten += old.size;
      ++result.files_removed;
    }
  }
  result.files_added = static_cast<int64_t>(written.size());

  for (int attempt = 0; attempt < options.max_attempts; ++attempt) {
    if (attempt > 0) {
      // Another writer committed first. Its commit stands; ours still may, on
      // top of it, when every file we compacted is live there: an append
      // (observe) touches no file of a complete attempt.
      PROM_ASSIGN_OR_RETURN(snapshot, table.Load());
      for (const auto& bin : bins) {
        for (const AddFile& old : bin) {
          if (snapshot.files.contains(old.path)) continue;
          result.abandoned = true;
          result.files_after = static_cast<int64_t>(snapshot.files.size());
          result.files_added = result.files_removed = result.bytes_rewritten = 0;
          return result;
        }
      }
    }
    Result<bool> landed = table.TryCommit(snapshot.version + 1, actions);
    if (!landed) {
      // The commit may have landed all the same (a failed fsync after the
      // publish): then its files must stay, and so they do when the log
      // cannot tell.
      Result<Snapshot> after = table.Load();
      committed = !after || after->files.contains(written.front().path);
      return std::unexpected(landed.error());
    }
    if (*landed) {
      committed = true;
      // A checkpoint of the compacted version at once, whatever the interval:
      // readers then replay one small checkpoint rather than the one before
      // and a commit of thousands of removes. Best effort, as after any commit.
      Snapshot after = snapshot;
      std::string text;
      for (const std::string& action : actions) text += action + "\n";
      if (delta::ApplyCommitText(text, delta::CommitFileName(snapshot.version + 1), after)) {
        after.version = snapshot.version + 1;
        (void)delta::WriteCheckpoint(table, after, options.now_ms);
      }
      result.files_after = static_cast<int64_t>(snapshot.files.size()) -
                           result.files_removed + result.files_added;
      return result;
    }
    ++result.conflicts;
  }
  return Fail(ErrorCode::kConflict,
              "{}: optimize gave up after {} commit(s) lost to concurrent writers; nothing was "
              "changed, run it again",
              table.root().string(), result.conflicts);
}

}  // namespace prometheus::lake

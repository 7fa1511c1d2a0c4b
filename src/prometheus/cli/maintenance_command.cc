#include "prometheus/cli/maintenance_command.h"

#include <charconv>
#include <cstdio>
#include <map>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "prometheus/base/units.h"
#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/observe_command.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/lake/optimize.h"
#include "prometheus/lake/tables.h"
#include "prometheus/lake/vacuum.h"
#include "prometheus/pipeline/load_logs.h"

namespace prometheus::cli {
namespace {

constexpr std::string_view kAllTables[] = {lake::kMetricsTable, lake::kApplicationsTable,
                                           lake::kRecommendationsTable};

struct MaintenanceOptions {
  std::string store = "prometheus-lake";
  std::string target_size = "128MB";
  std::string retain = "7d";
  bool dry_run = false;
  std::string format = "text";
};

Status CheckLocalStore(const std::string& store) {
  if (store.starts_with("uc:")) {
    return Fail(ErrorCode::kInvalidArgument,
                "--store {}: optimize and vacuum work on a lake folder; Unity Catalog tables "
                "are maintained by Databricks (OPTIMIZE, VACUUM)",
                store);
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(store, ec)) {
    return Fail(ErrorCode::kNotFound, "--store {}: no such lake folder", store);
  }
  return Ok();
}

int RunOptimize(const MaintenanceOptions& options) {
  if (auto ok = CheckLocalStore(options.store); !ok) return ExitWith(ok.error());
  std::optional<int64_t> target = ParseByteSize(options.target_size);
  if (!target) {
    return ExitWith({ErrorCode::kInvalidArgument,
                     fmt::format("--target-size {}: expected a positive size such as 128MB, "
                                 "1GB or 512KB",
                                 options.target_size)});
  }
  lake::Lake lake(options.store);
  nlohmann::json report = nlohmann::json::array();
  for (std::string_view table : lake::CompactedTables()) {
    auto optimized =
        lake::OptimizeTable(lake, table, {.target_bytes = *target, .now_ms = pipeline::NowMs()});
    if (!optimized) return ExitWith(optimized.error());
    const lake::OptimizedTable& t = *optimized;
    report.push_back({{"table", t.table},
                      {"files_before", t.files_before},
                      {"files_after", t.files_after},
                      {"files_removed", t.files_removed},
                      {"files_added", t.files_added},
                      {"bytes_rewritten", t.bytes_rewritten},
                      {"conflicts", t.conflicts},
                      {"abandoned", t.abandoned}});
    if (options.format != "json") {
      std::string line =
          t.abandoned
              ? fmt::format("{}: abandoned: a concurrent writer removed files being compacted; "
                            "nothing changed, run again\n",
                            t.table)
              : fmt::format("{}: {} files -> {} ({} compacted into {}, {} rewritten){}\n",
                            t.table, t.files_before, t.files_after, t.files_removed,
                            t.files_added, FormatBytes(static_cast<double>(t.bytes_rewritten)),
                            t.conflicts ? fmt::format(", {} commit race(s) retried", t.conflicts)
                                        : "");
      Write(Out(), line);
    }
  }
  if (options.format == "json") Write(Out(), report.dump(2) + "\n");
  return kExitOk;
}

int RunVacuum(const MaintenanceOptions& options) {
  if (auto ok = CheckLocalStore(options.store); !ok) return ExitWith(ok.error());
  std::optional<int64_t> retain = ParseDurationMs(options.retain);
  if (!retain || *retain <= 0) {
    return ExitWith({ErrorCode::kInvalidArgument,
                     fmt::format("--retain {}: expected a positive number and a unit, as in "
                                 "168h, 7d or 2w",
                                 options.retain)});
  }
  lake::Lake lake(options.store);
  const int64_t now = pipeline::NowMs();
  // Every table is checked before any is vacuumed: a refusal deletes nothing.
  for (std::string_view table : kAllTables) {
    auto snapshot = lake.Table(table).Load();
    if (!snapshot) return ExitWith(snapshot.error());
    if (auto ok = lake::CheckRetention(lake.Table(table), *snapshot, *retain); !ok) {
      return ExitWith(ok.error());
    }
  }
  nlohmann::json report = nlohmann::json::array();
  for (std::string_view table : kAllTables) {
    auto vacuumed = lake::VacuumTable(
        lake, table, {.retain_ms = *retain, .now_ms = now, .dry_run = options.dry_run});
    if (!vacuumed) return ExitWith(vacuumed.error());
    const lake::VacuumedTable& t = *vacuumed;
    report.push_back({{"table", t.table},
                      {"dry_run", options.dry_run},
                      {"data_files", t.data_files},
                      {"data_bytes", t.data_bytes},
                      {"log_files", t.log_files}});
    if (options.format == "json") continue;
    const char* verb = options.dry_run ? "would delete" : "deleted";
    Write(Out(), fmt::format("{}: {} {} data file(s) ({}) and {} log file(s)\n", t.table, verb,
                              t.data_files.size(), FormatBytes(static_cast<double>(t.data_bytes)),
                              t.log_files.size()));
    if (options.dry_run) {
      for (const auto& file : t.data_files) Write(Out(), fmt::format("  {}\n", file));
      for (const auto& file : t.log_files) Write(Out(), fmt::format("  _delta_log/{}\n", file));
    }
  }
  if (options.format == "json") Write(Out(), report.dump(2) + "\n");
  return kExitOk;
}

void AddCommonOptions(CLI::App* cmd, MaintenanceOptions& options) {
  cmd->add_option("--store", options.store, "The lake folder")->capture_default_str();
  cmd->add_option("--format", options.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

}  // namespace

std::optional<int64_t> ParseByteSize(std::string_view text) {
  int64_t amount = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (ec != std::errc() || ptr == text.data() || amount <= 0) return std::nullopt;
  std::string unit(ptr, text.data() + text.size());
  for (char& c : unit) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static const std::map<std::string, int64_t> kUnits = {
      {"", 1}, {"B", 1}, {"K", 1LL << 10}, {"KB", 1LL << 10}, {"M", 1LL << 20},
      {"MB", 1LL << 20}, {"G", 1LL << 30}, {"GB", 1LL << 30}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end()) return std::nullopt;
  return amount * it->second;
}

void AddOptimizeCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<MaintenanceOptions>();
  CLI::App* cmd = app.add_subcommand(
      "optimize", "Compact the lake's small files (one per application) into large ones.");
  cmd->footer(
      "Compacts prometheus_metrics and prometheus_applications: files of complete "
      "applications are packed into files of about --target-size, in one commit of remove + "
      "add actions with dataChange=false (readers see the same rows). Safe while `observe` "
      "runs: a commit that loses the race is retried on the new version, or abandoned when "
      "the other writer changed the same files. The old files stay until `vacuum`.\n\n"
      "Exit codes: 0 done; 1 the lake could not be written; 2 bad arguments or an unreadable "
      "lake.");
  AddCommonOptions(cmd, *options);
  cmd->add_option("--target-size", options->target_size, "Size of the files to write")
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = RunOptimize(*options); });
}

void AddVacuumCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<MaintenanceOptions>();
  CLI::App* cmd = app.add_subcommand(
      "vacuum", "Delete files the lake no longer needs, and old log entries.");
  cmd->footer(
      "Deletes data files that the current version does not reference, that no version of "
      "the last --retain removed, and that are older than --retain; then, as Delta's log "
      "clean-up, commits older than delta.logRetentionDuration (30 days) that precede a "
      "checkpoint. --retain may not be shorter than delta.deletedFileRetentionDuration (7 "
      "days).\n\n"
      "Exit codes: 0 done; 1 a file could not be deleted; 2 bad arguments or an unreadable "
      "lake.");
  AddCommonOptions(cmd, *options);
  cmd->add_option("--retain", options->retain, "Keep what versions of this long ago need")
      ->capture_default_str();
  cmd->add_flag("--dry-run", options->dry_run, "List what would be deleted; delete nothing");
  cmd->callback([options, &exit_code] { exit_code = RunVacuum(*options); });
}

}  // namespace prometheus::cli

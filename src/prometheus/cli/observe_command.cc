#include "prometheus/cli/observe_command.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <algorithm>
#include <map>
#include <set>
#include <unistd.h>

#include "prometheus/cli/databricks_observe.h"
#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/options.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/cli/uc_store_access.h"
#include "prometheus/pipeline/observe.h"
#include "prometheus/report/lake_report.h"
#include "prometheus/report/messages.h"
#include "prometheus/report/progress.h"

namespace prometheus::cli {
namespace {

struct ObserveOptions {
  std::vector<std::string> sources;
  std::string store = "prometheus-lake";
  bool databricks = false;
  std::string profile;
  std::vector<int64_t> job_ids;
  int concurrency = 8;
  std::string since;
  int threads = 0;
  std::string format = "text";
  bool progress = true;
  bool keep_logs = false;
  UcOptions uc;
};

// Where the logs copied from the workspace go when the store is not a
// folder: a folder of this process's own, removed when observe ends, or with
// --keep-logs ./prometheus-logs (for `recommend`, which reads them again).
std::filesystem::path UcSpool(bool keep_logs) {
  if (keep_logs) return std::filesystem::absolute("prometheus-logs");
  return std::filesystem::temp_directory_path() / fmt::format("prometheus-spool-{}", ::getpid());
}

// With a warehouse, each run's cost is the billing tables' (in place of the
// estimate from the log); a run without usage there keeps its estimate, and
// tables that cannot be read leave every estimate, with a warning.
void AddBilledCosts(const unity::UcStore& store, pipeline::ObserveBatch& batch) {
  std::set<int64_t> run_ids;
  int64_t from_ms = batch.now_ms;
  for (size_t i = 0; i < batch.analyses.size(); ++i) {
    if (!batch.runs[i]) continue;
    run_ids.insert(batch.runs[i]->run_id);
    if (const auto& start = batch.analyses[i].log.application.start_time) {
      from_ms = std::min(from_ms, *start);
    }
  }
  auto billed = store.BilledCosts(run_ids, from_ms);
  if (!billed) {
    batch.warnings.push_back(fmt::format(
        "cost: the billing system tables could not be read ({}); the applications keep their "
        "estimates", billed.error().message));
    return;
  }
  for (size_t i = 0; i < batch.analyses.size(); ++i) {
    if (!batch.runs[i]) continue;
    auto it = billed->find(batch.runs[i]->run_id);
    if (it != billed->end()) batch.costs[i] = it->second;
  }
}

int RunObserve(const ObserveOptions& options) {
  pipeline::ObserveRequest request;
  request.sources.assign(options.sources.begin(), options.sources.end());
  request.store = options.store;
  request.threads = options.threads;
  if (!options.since.empty()) {
    request.since_ms = ParseDurationMs(options.since);
    if (!request.since_ms) {
      return ExitWith({ErrorCode::kInvalidArgument,
                       fmt::format("--since {}: expected a number and a unit, as in 30m, "
                                   "24h, 7d or 2w",
                                   options.since)});
    }
  }
  if (!options.databricks && options.sources.empty()) {
    return ExitWith({ErrorCode::kInvalidArgument, "observe: --source or --databricks is required"});
  }
  std::optional<UcAccess> uc;
  std::optional<std::map<std::string, lake::IngestedApp>> uc_apps;
  if (unity::IsUcStore(options.store)) {
    UcOptions uc_options = options.uc;
    uc_options.profile = options.profile;
    auto opened = OpenUcStore(options.store, uc_options);
    if (!opened) return ExitWith(opened.error());
    uc = std::move(*opened);
    if (auto made = uc->store->EnsureTables(); !made) return ExitWith(made.error());
    auto held = uc->store->Ingested();
    if (!held) return ExitWith(held.error());
    uc_apps = std::move(*held);
    request.held.emplace(2);  // nothing is known unread: every log is parsed
  }
  std::optional<kpi::PriceTable> prices;
  if (const char* file = std::getenv("PROMETHEUS_PRICE_TABLE"); file && *file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return ExitWith({ErrorCode::kInvalidArgument,
                       fmt::format("PROMETHEUS_PRICE_TABLE={}: cannot be read", file)});
    }
    std::stringstream text;
    text << in.rdbuf();
    auto parsed = kpi::ParsePriceTable(text.str(), file);
    if (!parsed) return ExitWith(parsed.error());
    prices = std::move(*parsed);
    request.prices = &*prices;
  }
  std::optional<WorkspaceLogs> workspace;
  if (options.databricks) {
    WorkspaceRequest remote;
    if (!options.profile.empty()) remote.profile = options.profile;
    remote.since_ms = request.since_ms;
    remote.job_ids = options.job_ids;
    remote.concurrency = options.concurrency;
    remote.store = request.store;
    if (uc) {
      remote.stored_apps = uc_apps;
      remote.spool = UcSpool(options.keep_logs);
    }
    remote.now_ms = pipeline::NowMs();
    remote.progress = options.progress && IsTerminal(Err());
    auto logs = CollectWorkspaceLogs(remote);
    if (!logs) return ExitWith(logs.error());
    request.run_sources = logs->sources;
    workspace = std::move(*logs);
  }
  report::TerminalProgress progress(options.progress && IsTerminal(Err()));
  auto batch = pipeline::CollectNewLogs(request, &progress);
  if (!batch) return ExitWith(batch.error());
  if (uc && workspace) AddBilledCosts(*uc->store, *batch);
  auto stats = uc ? uc->store->Ingest(pipeline::AnalysesToStore(*batch), batch->now_ms)
                 : pipeline::StoreBatch(request.store, *batch);
  Write(Err(), report::WarningText(batch->warnings));
  if (uc && workspace && !options.keep_logs) {
    std::error_code ec;
    std::filesystem::remove_all(UcSpool(false), ec);
  }
  if (!stats) return ExitWith(stats.error());
  if (workspace && !options.keep_logs) RemoveStoredCopies(*workspace, *batch);
  if (options.format == "json") {
    std::string json = report::RenderObserveJson(options.store, *batch, *stats);
    if (workspace) {
      json.erase(json.rfind('}'));
      while (!json.empty() && (json.back() == '\n' || json.back() == ' ')) json.pop_back();
      json += ",\n  \"databricks\": " + RenderWorkspaceJson(*workspace) + "\n}\n";
    }
    Write(Out(), json);
  } else {
    Write(Out(), report::RenderObserveText(options.store, *batch, *stats));
    if (workspace) Write(Out(), RenderWorkspaceText(*workspace));
  }
  if (workspace && !workspace->collected.failures.empty()) return ExitCode(ErrorCode::kUnavailable);
  if (options.sources.empty()) return kExitOk;
  return batch->NothingReadable() ? ExitCode(ErrorCode::kNotFound) : kExitOk;
}

}  // namespace

std::optional<int64_t> ParseDurationMs(std::string_view text) {
  int64_t amount = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (ec != std::errc() || ptr == text.data() || amount < 0) return std::nullopt;
  std::string_view unit(ptr, text.data() + text.size() - ptr);
  static const std::map<std::string_view, int64_t> kUnits = {
      {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}, {"w", 604'800'000}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end()) return std::nullopt;
  return amount * it->second;
}

void AddObserveCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ObserveOptions>();
  CLI::App* cmd = app.add_subcommand(
      "observe",
      "Analyse new or grown event logs and append their KPIs to the lake's "
      "Delta tables (prometheus_metrics, prometheus_applications).");
  cmd->footer(
      "Each application attempt is stored once: a complete one is never "
      "appended twice, an in-progress one is replaced (remove + add in one "
      "commit) once its log has grown or completed. Logs whose size has not "
      "changed since the last observe are not parsed again. Every batch is "
      "one atomic Delta commit per table; concurrent observes on one store "
      "are safe.\n\nExit codes: 0 done; 1 the store could not be read or "
      "written; 2 bad arguments or no readable event log.");
  cmd->add_option("--source", options->sources, "Event-log files or folders");
  cmd->add_flag("--databricks", options->databricks,
                "Observe the job runs of the Databricks workspace that DATABRICKS_HOST and "
                "DATABRICKS_TOKEN (or DATABRICKS_CLIENT_ID/SECRET, or a ~/.databrickscfg "
                "profile) name: each task's event log, stored tagged with its run");
  cmd->add_option("--profile", options->profile, "The ~/.databrickscfg profile to use");
  AddUcOptions(*cmd, options->uc, /*writes=*/true, /*profile=*/false);
  cmd->add_flag("--keep-logs", options->keep_logs,
                "Keep the copies of the runs' event logs once stored (under <store>/_databricks, "
                "or ./prometheus-logs with a uc: store), for `recommend`, which reads logs again");
  cmd->add_option("--job-id", options->job_ids, "Only runs of this job (repeatable)");
  cmd->add_option("--concurrency", options->concurrency, "Runs fetched at once")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  if (const char* storage = std::getenv("PROMETHEUS_STORAGE"); storage && *storage) {
    options->store = storage;
  }
  cmd->add_option("--store", options->store,
                  "The lake folder, or uc:CATALOG.SCHEMA for tables in Unity Catalog "
                  "(default: $PROMETHEUS_STORAGE)")
      ->capture_default_str();
  cmd->add_option("--since", options->since,
                  "Only applications (with --databricks: job runs) that started within this "
                  "long ago (30m, 24h, 7d)");
  cmd->add_option("-j,--threads", options->threads, "Logs analysed at once (0: one per core)")
      ->check(WholeNumber())
      ->capture_default_str();
  cmd->add_option("-f,--format", options->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("!--no-progress", options->progress, "Never draw the progress bar");
  cmd->callback([options, &exit_code] { exit_code = RunObserve(*options); });
}

}  // namespace prometheus::cli

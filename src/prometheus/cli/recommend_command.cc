#include "prometheus/cli/recommend_command.h"

#include <cstdlib>

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/options.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/cli/uc_store_access.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/pipeline/recommend.h"
#include "prometheus/report/lake_report.h"
#include "prometheus/report/messages.h"
#include "prometheus/report/progress.h"

namespace prometheus::cli {
namespace {

struct RecommendOptions {
  std::string store = "prometheus-lake";
  UcOptions uc;
  std::vector<std::string> rule_folders;
  std::vector<std::string> disabled_rules;
  std::vector<std::string> thresholds;
  std::string format = "text";
  bool all = false;
  int threads = 0;
  bool progress = true;
};

int RunRecommend(const RecommendOptions& options) {
  pipeline::RecommendRequest request;
  request.store = options.store;
  request.rules = {options.rule_folders, options.disabled_rules, options.thresholds};
  request.all = options.all;
  request.threads = options.threads;
  std::optional<UcAccess> uc;
  if (unity::IsUcStore(options.store)) {
    auto opened = OpenUcStore(options.store, options.uc);
    if (!opened) return ExitWith(opened.error());
    uc = std::move(*opened);
    if (auto made = uc->store->EnsureTables(); !made) return ExitWith(made.error());
    auto apps = uc->store->ReadTable(lake::kApplicationsTable);
    if (!apps) return ExitWith(apps.error());
    request.applications = lake::ApplicationRecords(*apps);
    auto keys = uc->store->RecommendedApps();
    if (!keys) return ExitWith(keys.error());
    request.recommended = std::move(*keys);
  }
  report::TerminalProgress progress(options.progress && IsTerminal(Err()));
  auto recommended = pipeline::RecommendStored(request, &progress);
  if (!recommended) return ExitWith(recommended.error());
  auto stats = uc ? uc->store->IngestRecommendations(pipeline::RecommendationsToStore(*recommended),
                                                     request.all, pipeline::NowMs(request.now_ms))
                  : pipeline::StoreRecommendations(request, *recommended);
  Write(Err(), report::WarningText(recommended->analyzed.warnings));
  if (!stats) return ExitWith(stats.error());
  Write(Out(), options.format == "json"
                    ? report::RenderRecommendJson(recommended->analyzed)
                    : report::RenderRecommendText(options.store, recommended->analyzed, *stats,
                                                  recommended->logs_missing));
  return kExitOk;
}

}  // namespace

void AddRecommendCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RecommendOptions>();
  CLI::App* cmd = app.add_subcommand(
      "recommend",
      "Run the rules on the lake's applications that have no recommendations "
      "yet and append what they find to prometheus_recommendations.");
  cmd->footer(
      "Each application's logs are read again from where `observe` found them, "
      "so that plan-based rules see the queries. --all re-evaluates every "
      "application and replaces its recommendations (never duplicates them)."
      "\n\nExit codes: 0 done; 1 the store could not be read or written; 2 bad "
      "arguments or an empty store.");
  if (const char* storage = std::getenv("PROMETHEUS_STORAGE"); storage && *storage) {
    options->store = storage;
  }
  cmd->add_option("--store", options->store,
                  "The lake folder, or uc:CATALOG.SCHEMA (default: $PROMETHEUS_STORAGE)")
      ->capture_default_str();
  AddUcOptions(*cmd, options->uc, /*writes=*/true, /*profile=*/true);
  cmd->add_option("--rules", options->rule_folders,
                  "Folder of rule files read after the built-in rules (default ./rules)");
  cmd->add_option("--disable", options->disabled_rules, "Switch a rule off by id; repeatable");
  cmd->add_option("--threshold", options->thresholds,
                  "Change a rule's threshold, RULE.NAME=VALUE; repeatable");
  cmd->add_flag("--all", options->all,
                "Re-evaluate every application, replacing its stored recommendations");
  cmd->add_option("-j,--threads", options->threads, "Logs read at once (0: one per core)")
      ->check(WholeNumber())
      ->capture_default_str();
  cmd->add_option("-f,--format", options->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("!--no-progress", options->progress,
                "Never draw the progress bar (it shows only on a terminal)");
  cmd->callback([options, &exit_code] { exit_code = RunRecommend(*options); });
}

}  // namespace prometheus::cli

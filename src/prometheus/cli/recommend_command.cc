#include "prometheus/cli/recommend_command.h"

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/options.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/pipeline/recommend.h"
#include "prometheus/report/lake_report.h"
#include "prometheus/report/messages.h"
#include "prometheus/report/progress.h"

namespace prometheus::cli {
namespace {

struct RecommendOptions {
  std::string store = "prometheus-lake";
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
  report::TerminalProgress progress(options.progress && IsTerminal(stderr));
  auto recommended = pipeline::RecommendStored(request, &progress);
  if (!recommended) return ExitWith(recommended.error());
  auto stats = pipeline::StoreRecommendations(request, *recommended);
  Write(stderr, report::WarningText(recommended->analyzed.warnings));
  if (!stats) return ExitWith(stats.error());
  Write(stdout, options.format == "json"
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
  cmd->add_option("--store", options->store, "The lake folder")->capture_default_str();
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

#include "prometheus/cli/analyze_command.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <optional>
#include <thread>

#include "prometheus/cli/cli.h"
#include "prometheus/cli/load_logs.h"
#include "prometheus/io/event_log_files.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/report/csv_report.h"
#include "prometheus/report/json_report.h"
#include "prometheus/report/text_report.h"
#include "prometheus/rules/engine.h"

namespace prometheus::cli {
void AddAnalyzeCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Read Spark or Databricks event logs; report per-stage KPIs and "
      "recommendations ranked by impact.");
  cmd->footer(
      "PATH may be an event-log file (plain, .lz4, .lzf, .snappy, .zstd, .gz, "
      "with or without .inprogress), a rolling eventlog_v2_* folder, a Spark "
      "1.x log folder, a Databricks delivery folder (eventlog + "
      "eventlog-*.gz), or any folder holding such logs (searched "
      "recursively).\n\nRecommendations come from the built-in rules (docs/RULES.md) "
      "and rule files in --rules folders (docs/RULE_FILES.md).\n\nExit codes: 0 done; 1 internal or I/O failure; 2 bad "
      "arguments, or no readable event log among the paths.\n\nThe KPI "
      "columns are documented in docs/KPIS.md.");
  cmd->add_option("paths", options->paths, "Event-log files or folders")
      ->required();
  cmd->add_option("-f,--format", options->format,
                  "text (a summary for people), json (one document, "
                  "everything), csv (stage rows)")
      ->check(CLI::IsMember({"text", "json", "csv"}))
      ->capture_default_str();
  cmd->add_option("-j,--threads", options->threads,
                  "Logs analysed at once (0: one per core)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  cmd->add_option("--top", options->top, "Stages listed per table in text")
      ->capture_default_str();
  cmd->add_option("--color", options->color, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("--rules", options->rule_folders,
                  "Folder of rule files (*.toml) read after the built-in rules; "
                  "default ./rules when it exists; repeatable");
  cmd->add_option("--disable", options->disabled_rules, "Switch a rule off by id; repeatable");
  cmd->add_option("--threshold", options->thresholds,
                  "Change a rule's threshold, RULE.NAME=VALUE (docs/RULES.md lists "
                  "the names); repeatable");
  cmd->add_flag("!--no-progress", options->progress,
                "Never draw the progress bar (it shows only on a terminal)");
  cmd->callback([options, &exit_code] { exit_code = RunAnalyze(*options); });
}

int RunAnalyze(const AnalyzeOptions& options) {
  std::vector<std::filesystem::path> paths(options.paths.begin(),
                                           options.paths.end());
  auto found = io::FindEventLogs(paths);
  if (!found) {
    std::fprintf(stderr, "prometheus: %s\n", found.error().message.c_str());
    return kExitBadInput;
  }
  std::vector<Result<model::LoadedLog>> loaded =
      LoadLogs(found->inputs, options.threads, options.progress);

  auto [analyses, warnings] = AnalyzeLoaded(std::move(loaded), NowMs());
  warnings.insert(warnings.begin(), found->skipped.begin(), found->skipped.end());
  if (analyses.empty()) {
    for (const auto& warning : warnings) {
      std::fprintf(stderr, "prometheus: %s\n", warning.c_str());
    }
    std::fprintf(stderr, "prometheus: no readable event log\n");
    return kExitBadInput;
  }

  auto engine_options =
      RuleEngineOptions(options.rule_folders, options.disabled_rules, options.thresholds);
  if (!engine_options) {
    std::fprintf(stderr, "prometheus: %s\n", engine_options.error().message.c_str());
    return kExitBadInput;
  }
  rules::RuleEngine engine(*engine_options);
  for (const auto& error : engine.errors()) warnings.push_back(error);
  std::vector<std::vector<rules::Recommendation>> recommendations;
  for (const auto& analysis : analyses) {
    recommendations.push_back(engine.Evaluate(analysis, warnings));
  }

  std::string output;
  if (options.format == "json") {
    output = report::RenderJson(analyses, warnings, &recommendations);
  } else {
    for (const auto& warning : warnings) {
      std::fprintf(stderr, "warning: %s\n", warning.c_str());
    }
    if (options.format == "csv") {
      output = report::RenderCsv(analyses);
    } else {
      bool color = options.color == "always" ||
                   (options.color == "auto" && ::isatty(STDOUT_FILENO));
      output = report::RenderText(analyses, {}, {color, options.top}, &recommendations);
    }
  }
  std::fwrite(output.data(), 1, output.size(), stdout);
  return std::ferror(stdout) ? kExitFailure : kExitOk;
}

}  // namespace prometheus::cli

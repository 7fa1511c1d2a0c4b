#include "prometheus/cli/analyze_command.h"

#include <cstdio>
#include <filesystem>
#include <string>

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/options.h"
#include "prometheus/cli/report_command.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/pipeline/analyze.h"
#include "prometheus/report/csv_report.h"
#include "prometheus/report/html_input.h"
#include "prometheus/report/html_report.h"
#include "prometheus/report/json_report.h"
#include "prometheus/report/messages.h"
#include "prometheus/report/progress.h"
#include "prometheus/report/text_report.h"

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
      ->check(WholeNumber())
      ->capture_default_str();
  cmd->add_option("--top", options->top, "Stages listed per table in text")
      ->check(WholeNumber())
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
  cmd->add_option("--html", options->html,
                  "Also write the self-contained HTML report of these logs to this file");
  cmd->add_option("--core-hour-price", options->core_hour_price,
                  "Price of one core for one hour, for the HTML report's costs")
      ->check(CLI::PositiveNumber);
  cmd->add_flag("!--no-progress", options->progress,
                "Never draw the progress bar (it shows only on a terminal)");
  cmd->callback([options, &exit_code] { exit_code = RunAnalyze(*options); });
}

int RunAnalyze(const AnalyzeOptions& options) {
  report::TerminalProgress progress(options.progress && IsTerminal(Err()));
  pipeline::AnalyzeRequest request;
  request.sources.assign(options.paths.begin(), options.paths.end());
  request.threads = options.threads;
  request.rules = {options.rule_folders, options.disabled_rules, options.thresholds};
  auto analyzed = pipeline::Analyze(request, &progress);
  if (!analyzed) return ExitWith(analyzed.error());
  if (!options.html.empty()) {
    std::string source;
    for (const auto& path : options.paths) source += (source.empty() ? "" : ", ") + path;
    auto input = report::InputFromAnalyses(*analyzed, source, pipeline::NowMs(),
                                           options.core_hour_price);
    auto written = WriteReportFile(options.html,
                                   report::RenderHtml(report::BuildReportData(input)));
    if (!written) return ExitWith(written.error());
  }
  std::string output;
  if (options.format == "json") {
    output = report::RenderJson(analyzed->analyses, analyzed->warnings,
                                &analyzed->recommendations);
  } else {
    Write(Err(), report::WarningText(analyzed->warnings));
    if (options.format == "csv") {
      output = report::RenderCsv(analyzed->analyses);
    } else {
      bool color = options.color == "always" ||
                   (options.color == "auto" && IsTerminal(Out()));
      output = report::RenderText(analyzed->analyses, {}, {color, options.top},
                                  &analyzed->recommendations);
    }
  }
  Write(Out(), output);
  return std::ferror(Out()) ? ExitCode(ErrorCode::kIo) : kExitOk;
}

}  // namespace prometheus::cli

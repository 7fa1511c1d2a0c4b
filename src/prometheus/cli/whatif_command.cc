#include "prometheus/cli/whatif_command.h"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/options.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/pipeline/load_logs.h"
#include "prometheus/report/whatif_report.h"

namespace prometheus::cli {
namespace {

struct WhatIfOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  double max_slowdown_percent = 10;
  std::optional<double> core_hour_price;
  int64_t max_executors = 0;
  int64_t cores_per_executor = 0;
  int threads = 0;
};

int RunWhatIf(const WhatIfOptions& options) {
  std::vector<std::filesystem::path> sources(options.paths.begin(), options.paths.end());
  auto found = pipeline::FindLogs(sources);
  if (!found) return ExitWith(found.error());
  std::vector<std::string> warnings = found->skipped;
  std::vector<report::AppSizing> sizings;
  whatif::SizingOptions sizing_options;
  sizing_options.max_slowdown = options.max_slowdown_percent / 100;
  sizing_options.core_hour_price = options.core_hour_price;
  sizing_options.max_executors = options.max_executors;
  sizing_options.cores_per_executor = options.cores_per_executor;
  for (auto& loaded : pipeline::LoadLogs(found->inputs, options.threads, nullptr)) {
    if (!loaded) {
      warnings.push_back(loaded.error().message);
      continue;
    }
    const model::Application& app = loaded->application;
    sizings.push_back({app.app_id, app.name,
                       whatif::Size(whatif::WorkloadOf(app), sizing_options)});
  }
  if (sizings.empty()) {
    std::string reasons;
    for (const auto& warning : warnings) reasons += warning + "\n";
    return ExitWith(Error{ErrorCode::kNotFound, reasons + "no readable event log"});
  }
  if (options.format == "json") {
    Write(Out(), report::RenderWhatIfJson(sizings, warnings));
  } else {
    for (const auto& warning : warnings) Write(Err(), "warning: " + warning + "\n");
    Write(Out(), report::RenderWhatIfText(sizings));
  }
  return std::ferror(Out()) ? ExitCode(ErrorCode::kIo) : kExitOk;
}

}  // namespace

void AddWhatIfCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<WhatIfOptions>();
  CLI::App* cmd = app.add_subcommand(
      "whatif",
      "Estimate each application's wall time, core time and cost on other "
      "executor counts, from its tasks replayed in their stages' order.");
  cmd->footer(
      "The model (Sparklens'): each stage's tasks, with their real durations, "
      "list-scheduled on executors × cores in the DAG order of the stages; the "
      "driver's time outside stages kept as it was. docs/WHATIF.md states it "
      "and its measured error.\n\nExit codes: 0 done; 1 I/O failure; 2 bad "
      "arguments, or no readable event log among the paths.");
  cmd->add_option("paths", options->paths, "Event-log files or folders")->required();
  cmd->add_option("-f,--format", options->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--max-slowdown", options->max_slowdown_percent,
                  "Percent slower than the observed size that the smallest "
                  "cluster may be")
      ->check(CLI::Range(0.0, 1000.0))
      ->capture_default_str();
  cmd->add_option("--core-hour-price", options->core_hour_price,
                  "Price of one core for one hour; adds a cost column")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-executors", options->max_executors,
                  "Largest executor count tried (0: four times the observed, "
                  "at least 16)")
      ->check(WholeNumber())
      ->capture_default_str();
  cmd->add_option("--cores-per-executor", options->cores_per_executor,
                  "Cores of each executor on the curve (0: as observed)")
      ->check(WholeNumber())
      ->capture_default_str();
  cmd->add_option("-j,--threads", options->threads, "Logs read at once (0: one per core)")
      ->check(WholeNumber())
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = RunWhatIf(*options); });
}

}  // namespace prometheus::cli

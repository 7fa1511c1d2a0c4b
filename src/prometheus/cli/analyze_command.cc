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
#include "prometheus/io/event_log_files.h"
#include "prometheus/kpi/analysis.h"
#include "prometheus/report/csv_report.h"
#include "prometheus/report/json_report.h"
#include "prometheus/report/progress.h"
#include "prometheus/report/text_report.h"

namespace prometheus::cli {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Loads every input on `threads` threads, one log per task, keeping input
// order in the result.
std::vector<Result<model::LoadedLog>> LoadAll(
    const std::vector<io::EventLogInput>& inputs, int threads,
    report::ProgressBar& bar) {
  std::vector<std::optional<Result<model::LoadedLog>>> slots(inputs.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < inputs.size(); i = next++) {
      uint64_t reported = 0;
      slots[i] = model::LoadEventLog(inputs[i], [&](uint64_t bytes) {
        bar.Advance(bytes - reported);
        reported = bytes;
      });
    }
  };
  int count = std::clamp<int>(threads, 1, static_cast<int>(inputs.size()));
  std::vector<std::jthread> pool;
  for (int t = 1; t < count; ++t) pool.emplace_back(worker);
  worker();
  pool.clear();
  std::vector<Result<model::LoadedLog>> out;
  for (auto& slot : slots) out.push_back(std::move(*slot));
  return out;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze",
      "Read Spark or Databricks event logs and report per-stage KPIs.");
  cmd->footer(
      "PATH may be an event-log file (plain, .lz4, .lzf, .snappy, .zstd, .gz, "
      "with or without .inprogress), a rolling eventlog_v2_* folder, a Spark "
      "1.x log folder, a Databricks delivery folder (eventlog + "
      "eventlog-*.gz), or any folder holding such logs (searched "
      "recursively).\n\nExit codes: 0 done; 1 internal or I/O failure; 2 bad "
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
  cmd->add_flag("!--no-progress", options->progress,
                "Never draw the progress bar (it shows only on a terminal)");
  cmd->callback([options, &exit_code] { exit_code = RunAnalyze(*options); });
}

int RunAnalyze(const AnalyzeOptions& options) {
  std::vector<std::filesystem::path> paths(options.paths.begin(),
                                           options.paths.end());
  auto inputs = io::FindEventLogs(paths);
  if (!inputs) {
    std::fprintf(stderr, "prometheus: %s\n", inputs.error().message.c_str());
    return kExitBadInput;
  }
  uint64_t total = 0;
  for (const auto& input : *inputs) total += input.total_bytes();
  int threads = options.threads > 0
                    ? options.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  std::vector<Result<model::LoadedLog>> loaded;
  {
    report::ProgressBar bar(total, options.progress && ::isatty(STDERR_FILENO));
    loaded = LoadAll(*inputs, threads, bar);
  }

  int64_t collected_at = NowMs();
  std::vector<kpi::Analysis> analyses;
  std::vector<std::string> warnings;
  std::map<std::pair<std::string, std::string>, std::string> seen;
  for (auto& result : loaded) {
    if (!result) {
      warnings.push_back(result.error().message);
      continue;
    }
    const model::Application& app = result->application;
    auto [it, fresh] = seen.try_emplace({app.app_id, app.attempt_id}, result->input.name);
    if (!fresh) {
      warnings.push_back(fmt::format(
          "{}: application {} attempt {} was already read from {}; skipped",
          result->input.name, app.app_id,
          app.attempt_id.empty() ? "-" : app.attempt_id, it->second));
      continue;
    }
    if (result->input.compacted) {
      warnings.push_back(fmt::format(
          "{}: compacted log: task events of finished jobs were dropped by the "
          "History Server, so task-level KPIs are incomplete",
          result->input.name));
    }
    analyses.push_back(kpi::Analyze(std::move(*result), collected_at));
  }
  if (analyses.empty()) {
    for (const auto& warning : warnings) {
      std::fprintf(stderr, "prometheus: %s\n", warning.c_str());
    }
    std::fprintf(stderr, "prometheus: no readable event log\n");
    return kExitBadInput;
  }

  std::string output;
  if (options.format == "json") {
    output = report::RenderJson(analyses, warnings);
  } else {
    for (const auto& warning : warnings) {
      std::fprintf(stderr, "warning: %s\n", warning.c_str());
    }
    if (options.format == "csv") {
      output = report::RenderCsv(analyses);
    } else {
      bool color = options.color == "always" ||
                   (options.color == "auto" && ::isatty(STDOUT_FILENO));
      output = report::RenderText(analyses, {}, {color, options.top});
    }
  }
  std::fwrite(output.data(), 1, output.size(), stdout);
  return std::ferror(stdout) ? kExitFailure : kExitOk;
}

}  // namespace prometheus::cli

#include "prometheus/cli/observe_command.h"

#include <charconv>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "prometheus/cli/cli.h"
#include "prometheus/cli/load_logs.h"
#include "prometheus/lake/lake.h"
#include "prometheus/lake/tables.h"

namespace prometheus::cli {
namespace {

struct ObserveOptions {
  std::vector<std::string> sources;
  std::string store = "prometheus-lake";
  std::string since;
  int threads = 0;
  std::string format = "text";
  bool progress = true;
};

// An input that the lake already holds at the same size need not be parsed:
// nothing was appended to it since.
bool Unchanged(const io::EventLogInput& input,
               const std::vector<std::map<std::string, lake::IngestedApp>>& tables) {
  for (const auto& table : tables) {
    bool found = false;
    for (const auto& [key, app] : table) {
      if (app.source == lake::StoredSourcePath(input.name) &&
          app.source_bytes == static_cast<int64_t>(input.total_bytes())) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

int RunObserve(const ObserveOptions& options) {
  std::optional<int64_t> since_ms;
  if (!options.since.empty()) {
    since_ms = ParseDurationMs(options.since);
    if (!since_ms) {
      std::fprintf(stderr,
                   "prometheus: --since %s: expected a number and a unit, "
                   "as in 30m, 24h, 7d or 2w\n",
                   options.since.c_str());
      return kExitBadInput;
    }
  }
  std::vector<std::filesystem::path> paths(options.sources.begin(), options.sources.end());
  auto found = io::FindEventLogs(paths);
  if (!found) {
    std::fprintf(stderr, "prometheus: %s\n", found.error().message.c_str());
    return kExitBadInput;
  }
  std::vector<io::EventLogInput>* inputs = &found->inputs;
  lake::Lake lake(options.store);
  std::vector<std::map<std::string, lake::IngestedApp>> ingested;
  for (auto table : {lake::kMetricsTable, lake::kApplicationsTable}) {
    auto apps = lake.Ingested(table);
    if (!apps) {
      std::fprintf(stderr, "prometheus: %s\n", apps.error().message.c_str());
      return kExitFailure;
    }
    ingested.push_back(std::move(*apps));
  }
  std::vector<io::EventLogInput> todo;
  int64_t skipped = 0;
  for (auto& input : *inputs) {
    if (Unchanged(input, ingested)) {
      ++skipped;
    } else {
      todo.push_back(std::move(input));
    }
  }
  int64_t now = NowMs();
  Analyses analyzed = AnalyzeLoaded(LoadLogs(todo, options.threads, options.progress), now);
  analyzed.warnings.insert(analyzed.warnings.begin(), found->skipped.begin(),
                           found->skipped.end());
  std::vector<lake::AnalysisToStore> batch;
  int64_t too_old = 0;
  for (const auto& analysis : analyzed.analyses) {
    const auto& start = analysis.log.application.start_time;
    if (since_ms && start && *start < now - *since_ms) {
      ++too_old;
      continue;
    }
    auto fingerprint = lake::FingerprintLog(analysis.log.input);
    if (!fingerprint) {
      analyzed.warnings.push_back(fingerprint.error().message);
      continue;
    }
    batch.push_back({&analysis, *fingerprint});
  }
  auto stats = lake.Ingest(batch, now);
  for (const auto& warning : analyzed.warnings) {
    std::fprintf(stderr, "warning: %s\n", warning.c_str());
  }
  if (!stats) {
    std::fprintf(stderr, "prometheus: %s\n", stats.error().message.c_str());
    return kExitFailure;
  }
  if (options.format == "json") {
    nlohmann::ordered_json doc{{"store", options.store},
                               {"logs_found", inputs->size()},
                               {"logs_unchanged", skipped},
                               {"logs_analysed", todo.size()},
                               {"applications_appended", stats->appended},
                               {"applications_replaced", stats->replaced},
                               {"applications_already_stored", stats->unchanged},
                               {"applications_before_since", too_old},
                               {"commits", stats->commits},
                               {"commit_conflicts_retried", stats->conflicts},
                               {"warnings", analyzed.warnings}};
    std::puts(doc.dump(2).c_str());
  } else {
    std::printf(
        "%s: %zu log(s) found, %lld unchanged since the last observe, %zu "
        "analysed\n  %lld application attempt(s) appended, %lld replaced (were "
        "in progress), %lld already stored%s\n",
        options.store.c_str(), inputs->size(), static_cast<long long>(skipped),
        todo.size(), static_cast<long long>(stats->appended),
        static_cast<long long>(stats->replaced),
        static_cast<long long>(stats->unchanged),
        too_old > 0 ? fmt::format(", {} started before --since", too_old).c_str() : "");
  }
  if (analyzed.analyses.empty() && !todo.empty()) return kExitBadInput;
  return kExitOk;
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
  cmd->add_option("--source", options->sources, "Event-log files or folders")
      ->required();
  cmd->add_option("--store", options->store, "The lake folder")->capture_default_str();
  cmd->add_option("--since", options->since,
                  "Only applications that started within this long ago (30m, 24h, 7d)");
  cmd->add_option("-j,--threads", options->threads, "Logs analysed at once (0: one per core)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("-f,--format", options->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("!--no-progress", options->progress, "Never draw the progress bar");
  cmd->callback([options, &exit_code] { exit_code = RunObserve(*options); });
}

}  // namespace prometheus::cli

#include "prometheus/cli/load_logs.h"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <atomic>
#include <optional>
#include <thread>

#include "prometheus/report/progress.h"

namespace prometheus::cli {

std::vector<Result<model::LoadedLog>> LoadLogs(
    const std::vector<io::EventLogInput>& inputs, int threads, bool progress) {
  uint64_t total = 0;
  for (const auto& input : inputs) total += input.total_bytes();
  if (threads <= 0) {
    threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  std::vector<std::optional<Result<model::LoadedLog>>> slots(inputs.size());
  {
    report::ProgressBar bar(total, progress && ::isatty(STDERR_FILENO));
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
    int count = std::clamp<int>(threads, 1, std::max<int>(1, static_cast<int>(inputs.size())));
    std::vector<std::jthread> pool;
    for (int t = 1; t < count; ++t) pool.emplace_back(worker);
    worker();
  }
  std::vector<Result<model::LoadedLog>> out;
  out.reserve(slots.size());
  for (auto& slot : slots) out.push_back(std::move(*slot));
  return out;
}

Analyses AnalyzeLoaded(std::vector<Result<model::LoadedLog>> loaded,
                       int64_t collected_at_ms) {
  Analyses out;
  std::map<std::pair<std::string, std::string>, std::string> seen;
  for (auto& result : loaded) {
    if (!result) {
      out.warnings.push_back(result.error().message);
      continue;
    }
    const model::Application& app = result->application;
    auto [it, fresh] =
        seen.try_emplace({app.app_id, app.attempt_id}, result->input.name);
    if (!fresh) {
      out.warnings.push_back(fmt::format(
          "{}: application {} attempt {} was already read from {}; skipped",
          result->input.name, app.app_id,
          app.attempt_id.empty() ? "-" : app.attempt_id, it->second));
      continue;
    }
    for (std::string& warning : model::LoadWarnings(*result)) {
      out.warnings.push_back(std::move(warning));
    }
    if (result->input.compacted) {
      out.warnings.push_back(fmt::format(
          "{}: compacted log: task events of finished jobs were dropped by the "
          "History Server, so task-level KPIs are incomplete",
          result->input.name));
    }
    out.analyses.push_back(kpi::Analyze(std::move(*result), collected_at_ms));
  }
  return out;
}

Result<rules::EngineOptions> RuleEngineOptions(const std::vector<std::string>& folders,
                                               const std::vector<std::string>& disabled,
                                               const std::vector<std::string>& thresholds) {
  rules::EngineOptions options;
  for (const auto& assignment : thresholds) PROM_TRY(options.thresholds.Add(assignment));
  for (const auto& folder : folders) options.rule_folders.emplace_back(folder);
  std::error_code ec;
  if (folders.empty() && std::filesystem::is_directory("rules", ec)) {
    options.rule_folders.emplace_back("rules");
  }
  options.disabled.insert(disabled.begin(), disabled.end());
  return options;
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace prometheus::cli

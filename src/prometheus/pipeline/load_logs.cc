#include "prometheus/pipeline/load_logs.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <thread>
#include <utility>

#include "prometheus/pipeline/recode.h"

namespace prometheus::pipeline {

Result<io::FoundEventLogs> FindLogs(const std::vector<std::filesystem::path>& sources) {
  auto found = io::FindEventLogs(sources);
  if (!found) return Recode(ErrorCode::kNotFound, std::move(found).error());
  return found;
}

std::vector<Result<model::LoadedLog>> LoadLogs(
    const std::vector<io::EventLogInput>& inputs, int threads, Progress* progress) {
  uint64_t total = 0;
  for (const auto& input : inputs) total += input.total_bytes();
  if (threads <= 0) {
    threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  std::vector<std::optional<Result<model::LoadedLog>>> slots(inputs.size());
  if (progress != nullptr) progress->Begin(total);
  {
    std::atomic<size_t> next{0};
    auto worker = [&] {
      for (size_t i = next++; i < inputs.size(); i = next++) {
        uint64_t reported = 0;
        slots[i] = model::LoadEventLog(inputs[i], [&](uint64_t bytes) {
          if (progress != nullptr) progress->Advance(bytes - reported);
          reported = bytes;
        });
      }
    };
    int count = std::clamp<int>(threads, 1, std::max<int>(1, static_cast<int>(inputs.size())));
    std::vector<std::jthread> pool;
    for (int t = 1; t < count; ++t) pool.emplace_back(worker);
    worker();
  }
  if (progress != nullptr) progress->End();
  std::vector<Result<model::LoadedLog>> out;
  out.reserve(slots.size());
  for (auto& slot : slots) out.push_back(std::move(*slot));
  return out;
}

Analyzed AnalyzeLoaded(std::vector<Result<model::LoadedLog>> loaded,
                       int64_t collected_at_ms) {
  Analyzed out;
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

int64_t NowMs(std::optional<int64_t> fixed) {
  if (fixed) return *fixed;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace prometheus::pipeline

#include "prometheus/pipeline/analyze.h"

#include <string>
#include <utility>

namespace prometheus::pipeline {

Result<Analyzed> Analyze(const AnalyzeRequest& request, Progress* progress) {
  PROM_ASSIGN_OR_RETURN(std::vector<io::EventLogInput> inputs, FindLogs(request.sources));
  auto loaded = LoadLogs(inputs, request.threads, progress);
  Analyzed analyzed = AnalyzeLoaded(std::move(loaded), NowMs(request.collected_at_ms));
  if (analyzed.analyses.empty()) {
    std::string reasons;
    for (const auto& warning : analyzed.warnings) reasons += warning + "\n";
    return Fail(ErrorCode::kNotFound, "{}no readable event log", reasons);
  }
  PROM_TRY(RunRules(request.rules, analyzed));
  return analyzed;
}

}  // namespace prometheus::pipeline

#include "prometheus/pipeline/analyze.h"

#include <string>
#include <utility>

namespace prometheus::pipeline {

Result<Analyzed> Analyze(const AnalyzeRequest& request, Progress* progress) {
  PROM_ASSIGN_OR_RETURN(io::FoundEventLogs found, FindLogs(request.sources));
  auto loaded = LoadLogs(found.inputs, request.threads, progress);
  Analyzed analyzed = AnalyzeLoaded(std::move(loaded), NowMs(request.collected_at_ms));
  auto& warnings = analyzed.warnings;
  warnings.insert(warnings.begin(), found.skipped.begin(), found.skipped.end());
  if (analyzed.analyses.empty()) {
    std::string reasons;
    for (const auto& warning : analyzed.warnings) reasons += warning + "\n";
    return Fail(ErrorCode::kNotFound, "{}no readable event log", reasons);
  }
  PROM_TRY(RunRules(request.rules, analyzed));
  return analyzed;
}

}  // namespace prometheus::pipeline

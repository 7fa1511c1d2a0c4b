#include "prometheus/report/fix_report.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>

#include "prometheus/rewrite/unified_diff.h"

namespace prometheus::report {
namespace {

using nlohmann::json;

// How many fixes ended in each status, indexed by FixStatus.
std::array<int, 4> CountByStatus(const std::vector<FixResult>& results) {
  std::array<int, 4> counts{};
  for (const auto& result : results) ++counts[static_cast<size_t>(result.outcome.status)];
  return counts;
}

int CountOf(const std::array<int, 4>& counts, rewrite::FixStatus status) {
  return counts[static_cast<size_t>(status)];
}

}  // namespace

std::string RenderFixDiff(const rewrite::SourceTree& tree, bool color) {
  std::string out;
  for (const auto* file : tree.Changed()) {
    std::string diff = rewrite::UnifiedDiff(file->path(), file->original(), file->text());
    out += color ? rewrite::ColorDiff(diff) : diff;
  }
  return out;
}

std::string RenderFixSummary(const std::vector<FixResult>& results,
                             const std::vector<std::string>& unreadable, bool applied) {
  std::string out;
  for (const auto& problem : unreadable) {
    out += fmt::format("unreadable {}; the file was not considered\n", problem);
  }
  for (const auto& [request, outcome] : results) {
    std::string safety = outcome.safety == fix::Safety::kSafe
                             ? ""
                             : fmt::format(" ({})", fix::SafetyName(outcome.safety));
    out += fmt::format("{} {} {}{}: {}\n", FixStatusName(outcome.status),
                       request.id.substr(0, 8), fix::Label(request.fix), safety,
                       outcome.note);
    std::string_view sketch = outcome.sketch;
    while (!sketch.empty()) {
      size_t end = sketch.find('\n');
      out += fmt::format("    {}\n", sketch.substr(0, end));
      sketch = end == std::string_view::npos ? "" : sketch.substr(end + 1);
    }
  }
  std::array<int, 4> counts = CountByStatus(results);
  out += fmt::format("fix: {} applied, {} already present, {} described, {} skipped{}\n",
                     CountOf(counts, rewrite::FixStatus::kApplied),
                     CountOf(counts, rewrite::FixStatus::kPresent),
                     CountOf(counts, rewrite::FixStatus::kDescribed),
                     CountOf(counts, rewrite::FixStatus::kSkipped),
                     applied ? "" : " (dry run; --apply writes the files)");
  return out;
}

std::string RenderFixJson(const std::vector<FixResult>& results,
                          const rewrite::SourceTree& tree, bool applied) {
  json files = json::array(), fixes = json::array();
  for (const auto* file : tree.Changed()) {
    files.push_back(
        {{"path", file->path()},
         {"kind", rewrite::SourceKindName(file->kind())},
         {"diff", rewrite::UnifiedDiff(file->path(), file->original(), file->text())}});
  }
  std::array<int, 4> by_status = CountByStatus(results);
  json counts = json::object();
  for (auto status : {rewrite::FixStatus::kApplied, rewrite::FixStatus::kPresent,
                      rewrite::FixStatus::kDescribed, rewrite::FixStatus::kSkipped}) {
    counts[std::string(FixStatusName(status))] = CountOf(by_status, status);
  }
  for (const auto& [request, outcome] : results) {
    fixes.push_back({{"id", request.id},
                     {"rule", request.rule},
                     {"kind", fix::KindName(request.fix)},
                     {"label", fix::Label(request.fix)},
                     {"safety", fix::SafetyName(outcome.safety)},
                     {"status", std::string(FixStatusName(outcome.status))},
                     {"file", outcome.file.empty() ? json() : json(outcome.file)},
                     {"line", outcome.line == 0 ? json() : json(outcome.line)},
                     {"note", outcome.note},
                     {"sketch", outcome.sketch.empty() ? json() : json(outcome.sketch)}});
  }
  json doc{{"applied", applied},
           {"counts", counts},
           {"fixes", fixes},
           {"files", files},
           {"unreadable", tree.unreadable()}};
  return doc.dump(2) + "\n";
}

}  // namespace prometheus::report

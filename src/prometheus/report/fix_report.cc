#include "prometheus/report/fix_report.h"

#include <fmt/format.h>

#include <algorithm>
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
                             const std::vector<std::string>& unreadable, bool applied,
                             const std::vector<std::string>& outside,
                             const FixWriteFailures& not_written) {
  std::string out;
  for (const auto& problem : unreadable) {
    out += fmt::format("unreadable {}; the file was not considered\n", problem);
  }
  for (const auto& problem : outside) out += fmt::format("outside the repository {}\n", problem);
  for (const auto& [path, error] : not_written) {
    out += fmt::format("not written {}: {}\n", path, error);
  }
  // Grouped by status, in the order of the counts below.
  std::vector<const FixResult*> ordered;
  for (const auto& result : results) ordered.push_back(&result);
  std::stable_sort(ordered.begin(), ordered.end(), [](const FixResult* a, const FixResult* b) {
    return a->outcome.status < b->outcome.status;
  });
  for (const FixResult* result : ordered) {
    const auto& [request, outcome, ids] = *result;
    std::string safety = outcome.safety == fix::Safety::kSafe
                             ? ""
                             : fmt::format(" ({})", fix::SafetyName(outcome.safety));
    std::string asked =
        ids.size() > 1 ? fmt::format(" (for {} recommendations)", ids.size()) : "";
    out += fmt::format("{} {} {}{}{}: {}\n", FixStatusName(outcome.status),
                       request.id.substr(0, 8), fix::Label(request.fix), safety, asked,
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
                          const rewrite::SourceTree& tree, bool applied,
                          const FixWriteFailures& not_written) {
  json files = json::array(), fixes = json::array();
  for (const auto* file : tree.Changed()) {
    auto failure = not_written.find(file->path());
    files.push_back(
        {{"path", file->path()},
         {"kind", rewrite::SourceKindName(file->kind())},
         {"applied", applied && failure == not_written.end()},
         {"error", failure == not_written.end() ? json() : json(failure->second)},
         {"diff", rewrite::UnifiedDiff(file->path(), file->original(), file->text())}});
  }
  std::array<int, 4> by_status = CountByStatus(results);
  json counts = json::object();
  for (auto status : {rewrite::FixStatus::kApplied, rewrite::FixStatus::kPresent,
                      rewrite::FixStatus::kDescribed, rewrite::FixStatus::kSkipped}) {
    counts[std::string(FixStatusName(status))] = CountOf(by_status, status);
  }
  for (const auto& [request, outcome, ids] : results) {
    fixes.push_back({{"id", request.id},
                     {"ids", ids.empty() ? json::array({request.id}) : json(ids)},
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
  json doc{{"applied", applied && not_written.empty()},
           {"counts", counts},
           {"fixes", fixes},
           {"files", files},
           {"unreadable", tree.unreadable()},
           {"outside", tree.outside()}};
  return doc.dump(2) + "\n";
}

}  // namespace prometheus::report

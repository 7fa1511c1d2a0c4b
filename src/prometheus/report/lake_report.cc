#include "prometheus/report/lake_report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "prometheus/report/text_report.h"

namespace prometheus::report {

std::string RenderObserveText(std::string_view store, const pipeline::ObserveBatch& batch,
                              const lake::IngestStats& stats) {
  return fmt::format(
      "{}: {} log(s) found, {} unchanged since the last observe, {} analysed{}\n"
      "  {} application attempt(s) appended, {} replaced (were in progress), {} "
      "already stored{}\n{}",
      store, batch.logs_found, batch.logs_unchanged, batch.logs_analysed,
      batch.paths_skipped > 0
          ? fmt::format("; {} unreadable folder(s) or log(s) skipped (see the warnings)",
                        batch.paths_skipped)
          : "",
      stats.appended, stats.replaced, stats.unchanged,
      batch.applications_before_since > 0
          ? fmt::format(", {} started before --since", batch.applications_before_since)
          : "",
      stats.orphans_removed > 0
          ? fmt::format("  removed {} file(s) ({} bytes) that no commit names, left by an "
                        "interrupted run\n",
                        stats.orphans_removed, stats.orphan_bytes_removed)
          : "");
}

std::string RenderObserveJson(std::string_view store, const pipeline::ObserveBatch& batch,
                              const lake::IngestStats& stats) {
  nlohmann::ordered_json doc{{"store", std::string(store)},
                             {"logs_found", batch.logs_found},
                             {"logs_unchanged", batch.logs_unchanged},
                             {"logs_analysed", batch.logs_analysed},
                             {"paths_skipped", batch.paths_skipped},
                             {"applications_appended", stats.appended},
                             {"applications_replaced", stats.replaced},
                             {"applications_already_stored", stats.unchanged},
                             {"applications_before_since", batch.applications_before_since},
                             {"commits", stats.commits},
                             {"commit_conflicts_retried", stats.conflicts},
                             {"orphan_files_removed", stats.orphans_removed},
                             {"warnings", batch.warnings}};
  return doc.dump(2) + "\n";
}

std::string RenderRecommendText(std::string_view store, const pipeline::Analyzed& analyzed,
                                const lake::IngestStats& stats, int64_t logs_missing) {
  return RenderText(analyzed.analyses, {}, {false, 5}, &analyzed.recommendations) +
         fmt::format("{}: recommendations stored for {} application attempt(s){}{}\n", store,
                     stats.appended + stats.replaced,
                     stats.replaced > 0 ? fmt::format(" ({} replaced)", stats.replaced) : "",
                     logs_missing > 0
                         ? fmt::format("; {} application attempt(s) not evaluated: their logs "
                                       "are no longer where observe found them",
                                       logs_missing)
                         : "");
}

std::string RenderRecommendJson(const pipeline::Analyzed& analyzed) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& recommendations : analyzed.recommendations) {
    for (const auto& r : recommendations) list.push_back(rules::ToJson(r));
  }
  return nlohmann::ordered_json{{"recommendations", list}}.dump(2) + "\n";
}

}  // namespace prometheus::report

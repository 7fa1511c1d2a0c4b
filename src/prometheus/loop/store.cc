#include "prometheus/loop/store.h"

#include <algorithm>
#include <set>

#include "prometheus/lake/lake.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"

namespace prometheus::loop {

Result<LakeView> ReadLake(const std::string& store) {
  lake::Lake lake(store);
  LakeView view;
  PROM_ASSIGN_OR_RETURN(auto recommendations, lake::ReadRecommendations(lake));
  if (recommendations.version < 0) {
    return Fail(ErrorCode::kNotFound, "{} holds no recommendations yet: run `prometheus recommend --store {}` first",
                store, store);
  }
  PROM_ASSIGN_OR_RETURN(auto applications, lake::ReadApplications(lake));
  view.recommendation_rows = std::move(recommendations.rows);
  view.applications = std::move(applications.rows);
  std::stable_sort(view.recommendation_rows.begin(), view.recommendation_rows.end(),
                   [](const auto& a, const auto& b) {
                     return a.created_at.value.value_or(0) > b.created_at.value.value_or(0);
                   });
  // An application's own entry point first; its recommendations' for rows
  // written before prometheus_applications had the column.
  for (const auto& app : view.applications) {
    if (app.entry_point) view.entry_point_by_app.emplace(app.app_id, *app.entry_point);
  }
  std::set<std::string> seen;
  for (const auto& row : view.recommendation_rows) {
    if (!seen.insert(row.recommendation_id).second) continue;
    view.recommendations.push_back(&row);
    if (row.entry_point) view.entry_point_by_app.emplace(row.app_id, *row.entry_point);
  }
  view.by_app = ByAppId(view.applications);
  return view;
}

}  // namespace prometheus::loop

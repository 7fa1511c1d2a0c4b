// The lake as the loop reads it: recommendations (newest first, each id
// once), applications, and the entry point each application's
// recommendations name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/lake/stored_records.h"
#include "prometheus/loop/jobs.h"

namespace prometheus::loop {

struct LakeView {
  std::vector<lake::StoredRecommendation> recommendation_rows;
  std::vector<lake::StoredApplication> applications;
  std::vector<const lake::StoredRecommendation*> recommendations;  // newest first, unique ids
  Applications by_app;
  std::map<std::string, std::string> entry_point_by_app;
};

// Fails with kNotFound when the lake holds no recommendations table yet.
Result<LakeView> ReadLake(const std::string& store);

}  // namespace prometheus::loop

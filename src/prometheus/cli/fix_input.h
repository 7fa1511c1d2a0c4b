// The recommendations `prometheus fix` carries out: from a JSON file in
// either output shape, or from the lake's prometheus_recommendations table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::cli {

// Both fail with kInvalidArgument, whatever the cause below (a file that
// cannot be read, is not JSON or has neither shape; a store that cannot be
// read or holds no recommendations table yet), with a message saying which.

// `analyze --format json` (applications[].recommendations[]) or
// `recommend --format json` (recommendations[]), in file order.
Result<std::vector<nlohmann::json>> RecommendationsFromFile(
    const std::string& path);

// The rows of <store>/prometheus_recommendations as the same records
// (id, rule, severity, scope.app_id, message, fix), newest first, each id once.
Result<std::vector<nlohmann::json>> RecommendationsFromStore(
    const std::string& store);

}  // namespace prometheus::cli

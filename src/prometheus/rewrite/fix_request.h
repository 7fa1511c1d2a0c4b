// A recommendation's structured fix (docs/RECOMMENDATIONS.md, "Fix kinds"),
// read from its JSON, and the safety class that decides whether it is
// applied or only described.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/bindings.h"
#include "prometheus/rewrite/source_tree.h"

namespace prometheus::rewrite {

// Safe fixes change how Spark runs a job, never its result, and are
// applied; unsafe ones could change results and are only described, with a
// sketch; manual ones are advice with no code to write.
enum class Safety { kSafe, kUnsafe, kManual };

std::string_view SafetyName(Safety safety);

struct FixRequest {
  std::string id;    // the recommendation's id
  std::string rule;  // the rule that made it
  std::string kind;
  std::string key, value;             // conf
  ReadTarget data;                    // broadcast_hint, cache
  std::optional<std::string> column;  // repartition, salting: the key column
  int64_t partitions = 0;             // repartition
  int64_t buckets = 16;               // salting
  std::optional<CallSite> call_site;
  std::string advice;  // udf_to_builtin, driver_code, investigate and kinds
                       // unknown here
};

// Safety of a fix kind; a kind this version does not know is manual.
Safety SafetyOf(std::string_view kind);

// Reads one recommendation record ({"id", "rule", "fix": {...}}). Fails
// naming the field that is missing or of the wrong type.
Result<FixRequest> ReadFixRequest(const nlohmann::json& recommendation);

// "conf spark.sql.adaptive.enabled=true", "broadcast_hint dim_country", ...
std::string FixLabel(const FixRequest& request);

}  // namespace prometheus::rewrite

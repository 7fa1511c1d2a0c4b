// Delta add.stats: per-file statistics that engines use to skip files.
#pragma once

#include <string>

#include "prometheus/store/parquet.h"
#include "prometheus/store/table.h"

namespace prometheus::store {

// {"numRecords":N,"minValues":{...},"maxValues":{...},"nullCount":{...}}, as
// Spark writes it: min/max only for numbers, timestamps (ISO 8601, truncated
// to milliseconds) and strings of at most 32 characters; none for booleans
// or for doubles that are NaN.
std::string StatsJson(const Schema& schema, const ParquetFileInfo& info);

}  // namespace prometheus::store

// Delta add.stats: per-file statistics that engines use to skip files.
#pragma once

#include <string>

#include "prometheus/parquet/parquet.h"
#include "prometheus/parquet/table.h"

namespace prometheus::delta {

// {"numRecords":N,"minValues":{...},"maxValues":{...},"nullCount":{...}}, as
// Spark writes it: min/max only for numbers, timestamps (ISO 8601, truncated
// to milliseconds) and strings of at most 32 characters; none for booleans
// or for doubles that are NaN.
std::string StatsJson(const parquet::Schema& schema, const parquet::ParquetFileInfo& info);

}  // namespace prometheus::delta

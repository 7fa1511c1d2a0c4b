// A table's rows as JSON Lines, in the form Spark's `from_json` reads back
// without loss: the hand-off of rows between processes (the distributed
// observe's executors) where a Parquet file cannot travel.
#pragma once

#include <string>
#include <vector>

#include "prometheus/parquet/table.h"

namespace prometheus::parquet {

// One JSON object per row, keys in schema order, nulls as null. Integers
// and timestamps (microseconds since the epoch) as JSON integers; doubles
// in their shortest round-trip form, NaN and infinities as the tokens
// Spark's JSON reader accepts by default (NaN, Infinity, -Infinity);
// strings escaped as RFC 8259 requires.
std::vector<std::string> JsonRows(const Table& table);

}  // namespace prometheus::parquet

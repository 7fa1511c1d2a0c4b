// Rows between Prometheus' tables and the Statement Execution API: a
// JSON_ARRAY result (every value a string) typed back into a
// parquet::Table, and tables concatenated into one batch.
#pragma once

#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/databricks/statements.h"
#include "prometheus/parquet/table.h"

namespace prometheus::unity {

// The result's columns must be the schema's, in order (timestamps as
// microseconds since the epoch, as SelectSql asks); a value that does not
// parse as its column's type is kCorrupt naming the table, row and column.
Result<parquet::Table> TableFromResult(const parquet::Schema& schema,
                                       const databricks::StatementResult& result,
                                       std::string_view table);

// Appends `from`'s rows to `into` (same schema).
void AppendRows(parquet::Table& into, const parquet::Table& from);

}  // namespace prometheus::unity

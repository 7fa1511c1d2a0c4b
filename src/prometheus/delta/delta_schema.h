// Delta's schemaString (Spark's StructType JSON) for flat schemas.
#pragma once

#include <optional>
#include <string>

#include "prometheus/base/result.h"
#include "prometheus/parquet/table.h"

namespace prometheus::delta {

// Spark's name for the type in a schemaString ("long", "integer"...).
std::string_view DeltaTypeName(parquet::ColumnType type);

// The schemaString of `schema`: {"type":"struct","fields":[...]}.
std::string SchemaString(const parquet::Schema& schema);

// Parses a schemaString. Nested or unsupported types (decimal, binary, date,
// map, array, struct) are an error naming the column and the type.
Result<parquet::Schema> ParseSchemaString(const std::string& text);

// A partition value as Delta serialises it (a string, or null).
Result<parquet::Value> ParsePartitionValue(const std::optional<std::string>& text,
                                  parquet::ColumnType type);

}  // namespace prometheus::delta

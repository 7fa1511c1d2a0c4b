// Delta's schemaString (Spark's StructType JSON) for flat schemas.
#pragma once

#include <optional>
#include <string>

#include "prometheus/base/result.h"
#include "prometheus/store/table.h"

namespace prometheus::store {

// The schemaString of `schema`: {"type":"struct","fields":[...]}.
std::string SchemaString(const Schema& schema);

// Parses a schemaString. Nested or unsupported types (decimal, binary, date,
// map, array, struct) are an error naming the column and the type.
Result<Schema> ParseSchemaString(const std::string& text);

// A partition value as Delta serialises it (a string, or null).
Result<Value> ParsePartitionValue(const std::optional<std::string>& text,
                                  ColumnType type);

}  // namespace prometheus::store

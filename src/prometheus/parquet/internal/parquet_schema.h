// The leaves of a Parquet schema (the flattened SchemaElement tree) with
// their levels, and how each maps to a ColumnType.
#pragma once

#include <string>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/internal/value_decoder.h"
#include "prometheus/parquet/table.h"

namespace prometheus::parquet::internal {

struct Leaf {
  std::vector<std::string> path;  // names from the root's child down
  SchemaElement element;
  int max_definition_level = 0;
  int max_repetition_level = 0;
  // True when the leaf is a direct, non-repeated child of the root.
  bool top_level = false;
};

// The leaves of `schema` in file order (the order of a row group's column
// chunks). The error says what is malformed.
Result<std::vector<Leaf>> SchemaLeaves(
    const std::vector<SchemaElement>& schema);

// The dotted path of a leaf, for messages: "add.partitionValues.key".
std::string DottedPath(const std::vector<std::string>& path);

struct LeafType {
  ColumnType type = ColumnType::kString;
  ValueFormat format;
};

// The ColumnType of a flat column, or an error saying the type and what
// ReadParquet supports.
Result<LeafType> FlatLeafType(const Leaf& leaf);

// The ColumnType any leaf is read as by ReadParquetLeaves: integers as
// kInt32/kInt64, timestamps as kTimestamp (micros), FLOAT and DOUBLE as
// kDouble, byte arrays of any annotation as kString (raw bytes).
LeafType AnyLeafType(const Leaf& leaf);

// A readable type name: "FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38,2)".
std::string TypeDescription(const SchemaElement& element);

}  // namespace prometheus::parquet::internal

// A small Parquet implementation for flat schemas (and, for Delta
// checkpoints, reading nested leaf columns), written from the format spec.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "prometheus/base/file_system.h"
#include "prometheus/base/result.h"
#include "prometheus/parquet/table.h"

namespace prometheus::parquet {

enum class ParquetCodec { kUncompressed, kSnappy, kZstd };

struct ParquetWriteOptions {
  ParquetCodec codec = ParquetCodec::kSnappy;
  size_t row_group_rows = 1 << 20;  // rows per row group
  // Dictionary-encode string columns whose distinct values are few.
  bool dictionary = true;
};

struct ParquetFileInfo {
  int64_t num_rows = 0;
  uint64_t size_bytes = 0;
  std::vector<ColumnStats> stats;  // one per schema column
};

// Writes `table` to `path` (which must not exist yet), flushed to disk: the
// file appears whole or not at all.
Result<ParquetFileInfo> WriteParquet(FileSystem& file_system, const std::filesystem::path& path,
                                     const Table& table, const ParquetWriteOptions& options = {});
// The same on the local disk.
Result<ParquetFileInfo> WriteParquet(const std::filesystem::path& path, const Table& table,
                                     const ParquetWriteOptions& options = {});

// Reads a flat Parquet file: every column a top-level primitive. A column of
// a type outside ColumnType, or a nested one, is an error naming it.
Result<Table> ReadParquet(FileSystem& file_system, const std::filesystem::path& path);
Result<Table> ReadParquet(const std::filesystem::path& path);  // local disk

// One leaf column of any Parquet file, with its levels: enough to rebuild
// nested records (Delta checkpoints hold structs, maps and lists).
struct LeafColumn {
  std::vector<std::string> path;  // e.g. {"add", "partitionValues", "key_value", "key"}
  int max_definition_level = 0;
  int max_repetition_level = 0;
  std::vector<int16_t> definition_levels;  // one per level entry
  std::vector<int16_t> repetition_levels;
  ColumnType type = ColumnType::kString;
  ColumnVector values;  // only entries whose definition level is the max
};

Result<std::vector<LeafColumn>> ReadParquetLeaves(FileSystem& file_system,
                                                  const std::filesystem::path& path);
Result<std::vector<LeafColumn>> ReadParquetLeaves(const std::filesystem::path& path);

// One node of a nested schema, listed depth first: a group's `num_children`
// children follow it (the root is implicit).
struct SchemaNode {
  enum class Kind { kLeaf, kGroup, kMap, kMapKeyValue, kList };
  enum class Repetition { kRequired, kOptional, kRepeated };
  std::string name;
  Kind kind = Kind::kLeaf;
  Repetition repetition = Repetition::kOptional;
  ColumnType type = ColumnType::kString;  // leaves only
  int num_children = 0;
};

// Writes a file of nested records: `leaves` are the schema's leaves in
// order, shredded into levels (as ReadParquetLeaves returns them; `values`
// holds only the entries defined at the leaf's max level). One row group of
// `num_rows` rows. The file appears whole or not at all; it must not exist.
Result<uint64_t> WriteParquetLeaves(FileSystem& file_system, const std::filesystem::path& path,
                                    const std::vector<SchemaNode>& schema,
                                    const std::vector<LeafColumn>& leaves, int64_t num_rows,
                                    ParquetCodec codec = ParquetCodec::kSnappy);

}  // namespace prometheus::parquet

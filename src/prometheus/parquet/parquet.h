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

}  // namespace prometheus::parquet

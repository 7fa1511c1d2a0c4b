// Reading part of a Parquet file: its first rows, some of its leaf columns,
// or only how many rows it holds.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "prometheus/base/file_system.h"
#include "prometheus/base/result.h"
#include "prometheus/parquet/parquet.h"

namespace prometheus::parquet {

// ReadParquetLeaves' leaves for which `keep(path)` is true: the others'
// pages are not decoded (a reader that needs no tombstones skips a Delta
// checkpoint's `remove` columns).
using LeafFilter = std::function<bool(const std::vector<std::string>& path)>;
Result<std::vector<LeafColumn>> ReadParquetLeaves(FileSystem& file_system,
                                                  const std::filesystem::path& path,
                                                  const LeafFilter& keep);

// ReadParquet's first `max_rows` rows (fewer when the file holds fewer):
// the pages after them are not read, and their values are not decoded.
Result<Table> ReadParquetHead(FileSystem& file_system, const std::filesystem::path& path,
                              size_t max_rows);

// The rows a Parquet file holds, from its footer.
Result<int64_t> ReadParquetRowCount(FileSystem& file_system, const std::filesystem::path& path);

}  // namespace prometheus::parquet

// One table of the lake read back whole, for `show` and other readers that
// want the rows as stored.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/parquet/table.h"

namespace prometheus::pipeline {

struct LakeTable {
  parquet::Table table;
  int64_t version = 0;  // of the Delta table's snapshot read
  int64_t total_rows = 0;  // the table's, which `table` may hold only the first of
};

// Fails with kInvalidArgument when `name` is not one of the lake's tables,
// kNotFound when the store holds no such table yet, kIo when it cannot be
// read.
// With `limit` > 0, `table` holds only the first `limit` rows (of the whole
// table's order): a `show --limit` reads only the files that hold them.
Result<LakeTable> ReadLakeTable(const std::filesystem::path& store, std::string_view name,
                                size_t limit = 0);

}  // namespace prometheus::pipeline

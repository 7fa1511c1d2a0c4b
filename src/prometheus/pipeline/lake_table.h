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
};

// Fails with kInvalidArgument when `name` is not one of the lake's tables,
// kNotFound when the store holds no such table yet, kIo when it cannot be
// read.
Result<LakeTable> ReadLakeTable(const std::filesystem::path& store, std::string_view name);

}  // namespace prometheus::pipeline

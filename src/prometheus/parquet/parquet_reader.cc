// ReadParquet and ReadParquetLeaves: the footer, the schema's leaves, then
// each leaf's column chunks, row group by row group.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "prometheus/parquet/internal/column_reader.h"
#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/internal/parquet_schema.h"
#include "prometheus/parquet/parquet.h"
#include "prometheus/parquet/partial_read.h"

namespace prometheus::parquet {
namespace {

using internal::ColumnChunkReader;
using internal::Leaf;
using internal::LeafType;
using internal::LeafValues;

constexpr std::string_view kMagic = "PAR1";

struct ParquetFile {
  std::string bytes;
  internal::FileMetaData meta;
  std::vector<Leaf> leaves;
};

Result<ParquetFile> Open(FileSystem& file_system, const std::filesystem::path& path) {
  const std::string name = path.string();
  ParquetFile file;
  PROM_ASSIGN_OR_RETURN(file.bytes, file_system.Read(path));
  const std::string_view bytes = file.bytes;
  if (bytes.size() < 12) {
    return Fail(ErrorCode::kCorrupt,
        "{}: not a Parquet file: {} bytes, expected at least 12 "
        "(\"PAR1\", footer length, \"PAR1\")",
        name, bytes.size());
  }
  if (bytes.substr(0, 4) != kMagic) {
    return Fail(ErrorCode::kCorrupt, "{}: not a Parquet file: expected \"PAR1\" at byte 0", name);
  }
  const std::string_view trailer = bytes.substr(bytes.size() - 4);
  if (trailer == "PARE") {
    return Fail(ErrorCode::kCorrupt, "{}: Parquet file with an encrypted footer is not supported",
                name);
  }
  if (trailer != kMagic) {
    return Fail(ErrorCode::kCorrupt,
        "{}: not a Parquet file or truncated: expected \"PAR1\" in "
        "the last 4 bytes",
        name);
  }
  uint32_t footer_size;
  std::memcpy(&footer_size, bytes.data() + bytes.size() - 8, 4);
  if (footer_size > bytes.size() - 12) {
    return Fail(ErrorCode::kCorrupt,
        "{}: corrupt Parquet file: footer length {} out of range "
        "(the file has {} bytes)",
        name, footer_size, bytes.size());
  }
  auto meta = internal::DecodeFileMetaData(
      bytes.substr(bytes.size() - 8 - footer_size, footer_size));
  if (!meta) return Wrap(name, meta.error());
  file.meta = std::move(*meta);
  auto leaves = internal::SchemaLeaves(file.meta.schema);
  if (!leaves) {
    return Fail(ErrorCode::kCorrupt, "{}: corrupt schema: {}", name, leaves.error().message);
  }
  file.leaves = std::move(*leaves);
  for (size_t g = 0; g < file.meta.row_groups.size(); ++g) {
    const internal::RowGroup& group = file.meta.row_groups[g];
    if (group.columns.size() != file.leaves.size() || group.num_rows < 0) {
      return Fail(ErrorCode::kCorrupt,
          "{}: corrupt footer: row group {} has {} column chunks "
          "and {} rows, the schema {} leaf columns",
          name, g, group.columns.size(), group.num_rows, file.leaves.size());
    }
    for (size_t c = 0; c < group.columns.size(); ++c) {
      const internal::ColumnChunk& chunk = group.columns[c];
      const std::string column = internal::DottedPath(file.leaves[c].path);
      if (chunk.file_path) {
        return Fail(ErrorCode::kCorrupt,
            "{}: column '{}' row group {} lives in another file ({}),"
            " which is not supported",
            name, column, g, *chunk.file_path);
      }
      if (!chunk.meta_data) {
        return Fail(ErrorCode::kCorrupt,
            "{}: corrupt footer: column '{}' row group {} has no "
            "metadata",
            name, column, g);
      }
      if (chunk.meta_data->type != *file.leaves[c].element.type) {
        return Fail(ErrorCode::kCorrupt,
            "{}: corrupt footer: column '{}' row group {} is {}, "
            "the schema says {}",
            name, column, g, internal::PhysicalTypeName(chunk.meta_data->type),
            internal::PhysicalTypeName(*file.leaves[c].element.type));
      }
    }
  }
  return file;
}

// Reads every column chunk of leaf `c` into `out`; with `max_rows`, of a
// flat leaf at least the first `max_rows` rows and at most the file's.
Status ReadLeaf(const std::filesystem::path& path, const ParquetFile& file,
                size_t c, const LeafType& type, LeafValues* out,
                std::optional<int64_t> max_rows = std::nullopt) {
  const Leaf& leaf = file.leaves[c];
  ColumnChunkReader reader(leaf, type);
  for (size_t g = 0; g < file.meta.row_groups.size(); ++g) {
    const internal::RowGroup& group = file.meta.row_groups[g];
    const int64_t before = out->level_count;
    if (max_rows && leaf.max_repetition_level == 0 && before >= *max_rows) break;
    const bool part = max_rows && leaf.max_repetition_level == 0 &&
                      before + group.num_rows > *max_rows;
    Status status = part ? reader.ReadFirst(file.bytes, *group.columns[c].meta_data,
                                            *max_rows - before, out)
                         : reader.Read(file.bytes, *group.columns[c].meta_data, out);
    if (!status) {
      return Fail(ErrorCode::kCorrupt, "{}: column '{}' row group {}: {}", path.string(),
                  internal::DottedPath(leaf.path), g, status.error().message);
    }
    const int64_t read = out->level_count - before;
    if (leaf.max_repetition_level == 0 &&
        (part ? read < *max_rows - before || read > group.num_rows : read != group.num_rows)) {
      return Fail(ErrorCode::kCorrupt, "{}: column '{}' row group {}: {} values for {} rows",
                  path.string(), internal::DottedPath(leaf.path), g,
                  out->level_count - before, group.num_rows);
    }
  }
  return Ok();
}

// Spreads the packed non-null values of a flat leaf over its rows.
template <typename T>
void Scatter(std::vector<T>& packed, const std::vector<uint8_t>& valid,
             std::vector<T>* rows) {
  rows->resize(valid.size());
  size_t k = 0;
  for (size_t i = 0; i < valid.size(); ++i) {
    if (valid[i]) (*rows)[i] = std::move(packed[k++]);
  }
}

}  // namespace

Result<Table> ReadParquet(const std::filesystem::path& path) {
  return ReadParquet(LocalFileSystem(), path);
}

namespace {

// Drops the levels (and their values) past the first `rows`.
void KeepRows(LeafValues& leaf, int max_definition_level, ColumnType type, size_t rows) {
  if (static_cast<size_t>(leaf.level_count) <= rows) return;
  size_t values = rows;
  if (max_definition_level > 0) {
    values = static_cast<size_t>(std::count(leaf.definition_levels.begin(),
                                            leaf.definition_levels.begin() +
                                                static_cast<ptrdiff_t>(rows),
                                            max_definition_level));
    leaf.definition_levels.resize(rows);
  }
  switch (type) {
    case ColumnType::kDouble:
      leaf.values.doubles.resize(values);
      break;
    case ColumnType::kString:
      leaf.values.strings.resize(values);
      break;
    default:
      leaf.values.ints.resize(values);
  }
  leaf.level_count = static_cast<int64_t>(rows);
}

Result<Table> ReadFlat(FileSystem& file_system, const std::filesystem::path& path,
                       std::optional<int64_t> max_rows) {
  PROM_ASSIGN_OR_RETURN(ParquetFile file, Open(file_system, path));
  std::vector<LeafType> types;
  Schema schema;
  for (const Leaf& leaf : file.leaves) {
    auto type = internal::FlatLeafType(leaf);
    if (!type) return Wrap(path.string(), type.error());
    types.push_back(*type);
    schema.push_back(
        Column{leaf.path[0], type->type, leaf.max_definition_level > 0});
  }
  Table table = MakeTable(std::move(schema));
  const auto rows_wanted = static_cast<size_t>(
      max_rows ? std::clamp<int64_t>(*max_rows, 0, file.meta.num_rows) : file.meta.num_rows);
  for (size_t c = 0; c < file.leaves.size(); ++c) {
    LeafValues leaf;
    PROM_TRY(ReadLeaf(path, file, c, types[c], &leaf, max_rows));
    if (max_rows) {
      KeepRows(leaf, file.leaves[c].max_definition_level, types[c].type, rows_wanted);
    }
    ColumnVector& column = table.columns[c];
    const auto rows = static_cast<size_t>(leaf.level_count);
    if (file.leaves[c].max_definition_level > 0) {
      column.valid.resize(rows);
      for (size_t i = 0; i < rows; ++i) {
        column.valid[i] = leaf.definition_levels[i] > 0;
      }
    } else {
      column.valid.assign(rows, 1);
    }
    const bool dense = file.leaves[c].max_definition_level == 0;
    switch (types[c].type) {
      case ColumnType::kDouble:
        if (dense)
          column.doubles = std::move(leaf.values.doubles);
        else
          Scatter(leaf.values.doubles, column.valid, &column.doubles);
        break;
      case ColumnType::kString:
        if (dense)
          column.strings = std::move(leaf.values.strings);
        else
          Scatter(leaf.values.strings, column.valid, &column.strings);
        break;
      default:
        if (dense)
          column.ints = std::move(leaf.values.ints);
        else
          Scatter(leaf.values.ints, column.valid, &column.ints);
    }
  }
  if (file.leaves.empty() && file.meta.num_rows != 0) {
    return Fail(ErrorCode::kCorrupt, "{}: file has {} rows but no columns", path.string(),
                file.meta.num_rows);
  }
  return table;
}

}  // namespace

Result<Table> ReadParquet(FileSystem& file_system, const std::filesystem::path& path) {
  return ReadFlat(file_system, path, std::nullopt);
}

Result<Table> ReadParquetHead(FileSystem& file_system, const std::filesystem::path& path,
                              size_t max_rows) {
  return ReadFlat(file_system, path, static_cast<int64_t>(max_rows));
}

Result<std::vector<LeafColumn>> ReadParquetLeaves(const std::filesystem::path& path) {
  return ReadParquetLeaves(LocalFileSystem(), path);
}

Result<std::vector<LeafColumn>> ReadParquetLeaves(FileSystem& file_system,
                                                  const std::filesystem::path& path) {
  return ReadParquetLeaves(file_system, path, nullptr);
}

Result<int64_t> ReadParquetRowCount(FileSystem& file_system, const std::filesystem::path& path) {
  PROM_ASSIGN_OR_RETURN(ParquetFile file, Open(file_system, path));
  return file.meta.num_rows;
}

Result<std::vector<LeafColumn>> ReadParquetLeaves(FileSystem& file_system,
                                                  const std::filesystem::path& path,
                                                  const LeafFilter& keep) {
  PROM_ASSIGN_OR_RETURN(ParquetFile file, Open(file_system, path));
  std::vector<LeafColumn> columns;
  columns.reserve(file.leaves.size());
  for (size_t c = 0; c < file.leaves.size(); ++c) {
    const Leaf& leaf = file.leaves[c];
    if (keep && !keep(leaf.path)) continue;
    const LeafType type = internal::AnyLeafType(leaf);
    LeafValues values;
    PROM_TRY(ReadLeaf(path, file, c, type, &values));
    LeafColumn& column = columns.emplace_back();
    column.path = leaf.path;
    column.max_definition_level = leaf.max_definition_level;
    column.max_repetition_level = leaf.max_repetition_level;
    column.type = type.type;
    const auto entries = static_cast<size_t>(values.level_count);
    column.definition_levels = std::move(values.definition_levels);
    column.repetition_levels = std::move(values.repetition_levels);
    column.definition_levels.resize(entries, 0);  // zeros when max is 0
    column.repetition_levels.resize(entries, 0);
    column.values = std::move(values.values);
    const size_t held =
        type.type == ColumnType::kDouble   ? column.values.doubles.size()
        : type.type == ColumnType::kString ? column.values.strings.size()
                                           : column.values.ints.size();
    column.values.valid.assign(held, 1);
  }
  return columns;
}

}  // namespace prometheus::parquet

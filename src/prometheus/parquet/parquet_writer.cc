// WriteParquet: "PAR1", row groups of column chunks, the thrift footer, its
// length and "PAR1" again (parquet-format README), written through a
// temporary file that is linked into place only when complete.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "prometheus/parquet/internal/column_writer.h"
#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/parquet.h"

namespace prometheus::parquet {
namespace {

using internal::ChunkStats;
using internal::ColumnChunkWriter;
using internal::ColumnMetaData;

constexpr std::string_view kMagic = "PAR1";
// parquet-mr's parsable form "<app> version <semver> (build <hash>)";
// parquet-mr ignores string statistics of files it cannot parse this from.
constexpr std::string_view kCreatedBy =
    "prometheus version 0.1.0 (build local)";
// Buffered output is written to the file past this size.
constexpr size_t kFlushBytes = 8 << 20;
// Row groups of at least this many cells (rows x columns) encode their
// columns on several threads; smaller ones are not worth a thread.
constexpr size_t kParallelCells = 1 << 20;
constexpr unsigned kMaxThreads = 8;

Status CheckTable(const std::filesystem::path& path, const Table& table) {
  if (table.columns.size() != table.schema.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "{}: table has {} columns but its schema {}", path.string(),
                table.columns.size(), table.schema.size());
  }
  const size_t rows = table.num_rows();
  for (size_t c = 0; c < table.schema.size(); ++c) {
    const Column& column = table.schema[c];
    const ColumnVector& values = table.columns[c];
    if (column.name.empty()) {
      return Fail(ErrorCode::kInvalidArgument, "{}: column {} has no name", path.string(), c);
    }
    size_t held = 0;
    switch (column.type) {
      case ColumnType::kDouble:
        held = values.doubles.size();
        break;
      case ColumnType::kString:
        held = values.strings.size();
        break;
      default:
        held = values.ints.size();
    }
    if (values.valid.size() != rows || held < rows) {
      return Fail(ErrorCode::kInternal,
          "{}: column '{}' has {} validity flags and {} values, "
          "expected {} of each",
          path.string(), column.name, values.valid.size(), held, rows);
    }
    if (!column.nullable) {
      const auto null = std::find(values.valid.begin(), values.valid.end(), 0);
      if (null != values.valid.end()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "{}: column '{}' is not nullable but row {} is null",
                    path.string(), column.name, null - values.valid.begin());
      }
    }
  }
  return Ok();
}

// True when a < b for two non-null Values of the same column.
bool Less(const Value& a, const Value& b) { return a < b; }

// Folds one chunk's statistics into the file's.
void Merge(const ChunkStats& chunk, ColumnStats* file, bool* bounds_lost) {
  file->null_count += chunk.null_count;
  if (chunk.value_count == 0) return;
  if (std::holds_alternative<std::monostate>(chunk.min)) {
    *bounds_lost = true;  // e.g. a NaN: no bound covers this chunk
    return;
  }
  if (std::holds_alternative<std::monostate>(file->min) ||
      Less(chunk.min, file->min)) {
    file->min = chunk.min;
  }
  if (std::holds_alternative<std::monostate>(file->max) ||
      Less(file->max, chunk.max)) {
    file->max = chunk.max;
  }
}

// One column chunk, encoded: its pages (offsets in `meta` count from the
// first byte of `bytes`) and its statistics.
struct EncodedChunk {
  std::string bytes;
  ColumnMetaData meta;
  ChunkStats stats;
};

// Encodes rows [begin, end) of every column into `chunks`. Columns are
// independent, so a big row group spreads them over threads; the bytes
// are the same either way.
void EncodeRowGroup(const Table& table, size_t begin, size_t end,
                    std::vector<std::unique_ptr<ColumnChunkWriter>>& writers,
                    std::vector<EncodedChunk>& chunks) {
  const size_t columns = writers.size();
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t c; (c = next.fetch_add(1)) < columns;) {
      EncodedChunk& chunk = chunks[c];
      chunk.bytes.clear();
      writers[c]->Write(table.columns[c], begin, end, &chunk.bytes, &chunk.meta,
                        &chunk.stats);
    }
  };
  unsigned threads = 1;
  if ((end - begin) * columns >= kParallelCells) {
    threads =
        std::min<unsigned>({std::max(1u, std::thread::hardware_concurrency()),
                            static_cast<unsigned>(columns), kMaxThreads});
  }
  std::vector<std::jthread> helpers;
  for (unsigned i = 1; i < threads; ++i) {
    try {
      helpers.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no thread to be had: fewer helpers do the same work
    }
  }
  work();
}

internal::FileMetaData FileSchema(const Table& table) {
  internal::FileMetaData meta;
  meta.version = 1;
  internal::SchemaElement& root = meta.schema.emplace_back();
  root.name = "schema";
  root.num_children = static_cast<int32_t>(table.schema.size());
  for (const Column& column : table.schema) {
    meta.schema.push_back(internal::LeafSchema(column));
  }
  meta.num_rows = static_cast<int64_t>(table.num_rows());
  meta.created_by = kCreatedBy;
  meta.type_defined_orders = static_cast<int32_t>(table.schema.size());
  return meta;
}

}  // namespace

Result<ParquetFileInfo> WriteParquet(const std::filesystem::path& path, const Table& table,
                                     const ParquetWriteOptions& options) {
  return WriteParquet(LocalFileSystem(), path, table, options);
}

Result<ParquetFileInfo> WriteParquet(FileSystem& file_system, const std::filesystem::path& path,
                                     const Table& table, const ParquetWriteOptions& options) {
  PROM_TRY(CheckTable(path, table));
  PROM_ASSIGN_OR_RETURN(std::unique_ptr<NewFile> file, file_system.Create(path));
  internal::FileMetaData meta = FileSchema(table);
  const size_t columns = table.schema.size();
  std::vector<std::unique_ptr<ColumnChunkWriter>> writers;
  for (const Column& column : table.schema) {
    writers.push_back(std::make_unique<ColumnChunkWriter>(column, options));
  }

  ParquetFileInfo info;
  info.num_rows = meta.num_rows;
  info.stats.resize(columns);
  std::vector<bool> bounds_lost(columns, false);

  std::vector<EncodedChunk> chunks(columns);
  std::string out;  // bytes not yet written to the file
  out.append(kMagic);
  uint64_t flushed = 0;  // file bytes before out[0]
  const size_t rows = table.num_rows();
  const size_t group_rows = options.row_group_rows == 0
                                ? std::max<size_t>(rows, 1)
                                : options.row_group_rows;
  for (size_t begin = 0; begin < rows; begin += group_rows) {
    const size_t end = std::min(rows, begin + group_rows);
    EncodeRowGroup(table, begin, end, writers, chunks);
    internal::RowGroup& group = meta.row_groups.emplace_back();
    group.num_rows = static_cast<int64_t>(end - begin);
    group.file_offset = static_cast<int64_t>(flushed + out.size());
    int64_t compressed = 0;
    for (size_t c = 0; c < columns; ++c) {
      EncodedChunk& chunk = chunks[c];
      const int64_t chunk_start = static_cast<int64_t>(flushed + out.size());
      ColumnMetaData& column_meta = chunk.meta;
      column_meta.data_page_offset += chunk_start;
      if (column_meta.dictionary_page_offset) {
        *column_meta.dictionary_page_offset += chunk_start;
      }
      group.total_byte_size += column_meta.total_uncompressed_size;
      compressed += column_meta.total_compressed_size;
      group.columns.push_back({std::nullopt, 0, std::move(column_meta)});
      bool lost = bounds_lost[c];
      Merge(chunk.stats, &info.stats[c], &lost);
      bounds_lost[c] = lost;
      // Big chunks go straight to the file; small ones gather in `out`.
      if (out.size() + chunk.bytes.size() > kFlushBytes) {
        PROM_TRY(file->Append(out));
        flushed += out.size();
        out.clear();
      }
      if (chunk.bytes.size() >= kFlushBytes) {
        PROM_TRY(file->Append(chunk.bytes));
        flushed += chunk.bytes.size();
      } else {
        out.append(chunk.bytes);
      }
    }
    group.total_compressed_size = compressed;
  }
  for (size_t c = 0; c < columns; ++c) {
    if (bounds_lost[c]) info.stats[c].min = info.stats[c].max = {};
  }

  std::string footer;
  internal::EncodeFileMetaData(meta, &footer);
  out.append(footer);
  const auto footer_size = static_cast<uint32_t>(footer.size());
  char length[4];
  std::memcpy(length, &footer_size, 4);  // little-endian
  out.append(length, 4);
  out.append(kMagic);
  PROM_TRY(file->Append(out));
  PROM_ASSIGN_OR_RETURN(bool published, file->Commit());
  if (!published) {
    return Fail(ErrorCode::kConflict, "{}: already exists; Parquet files are never overwritten",
                path.string());
  }
  info.size_bytes = file->size();
  return info;
}

}  // namespace prometheus::parquet

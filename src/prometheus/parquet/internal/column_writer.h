// Encodes one column chunk (one column of one row group) as Parquet pages:
// data pages v1 of about 1 MiB, PLAIN values or, for strings with few
// distinct values, a dictionary page and RLE_DICTIONARY indices; RLE
// definition levels for nullable columns; and the chunk's statistics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "prometheus/parquet/internal/compression.h"
#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/internal/string_dictionary.h"
#include "prometheus/parquet/parquet.h"
#include "prometheus/parquet/table.h"

namespace prometheus::parquet::internal {

// Target uncompressed size of a data page.
inline constexpr size_t kPageBytes = 1 << 20;
// Dictionaries larger than this fall back to PLAIN.
inline constexpr size_t kMaxDictionaryBytes = 1 << 20;
// Longer string min/max values are left out of the footer statistics.
inline constexpr size_t kMaxFooterStatBytes = 4096;

// The physical type, annotations and repetition of `column` as a leaf.
SchemaElement LeafSchema(const Column& column);

// Statistics of one chunk, as Values; min and max are monostate when the
// chunk has no non-null value or a double column holds NaN.
struct ChunkStats {
  int64_t null_count = 0;
  int64_t value_count = 0;  // non-null values
  Value min;
  Value max;
};

class ColumnChunkWriter {
 public:
  ColumnChunkWriter(const Column& column, const ParquetWriteOptions& options);

  // Appends the pages of rows [begin, end) of `values` to `out` and fills
  // `meta` (its offsets count from where this call started appending) and
  // `stats`.
  //
  // REQUIRES: `values` has at least `end` rows of the column's type, and
  // no null in a non-nullable column.
  void Write(const ColumnVector& values, size_t begin, size_t end,
             std::string* out, ColumnMetaData* meta, ChunkStats* stats);

 private:
  // The end of the page starting at `row`.
  size_t PageEnd(const ColumnVector& values, size_t row, size_t end,
                 int index_bit_width) const;
  void WriteDictionaryPage(std::string* out, ColumnMetaData* meta);
  // Encodes rows [row, end) as one data page; `next_index` walks the
  // dictionary indices when `index_bit_width` > 0.
  void WriteDataPage(const ColumnVector& values, size_t row, size_t end,
                     int index_bit_width, size_t* next_index, std::string* out,
                     ColumnMetaData* meta);
  void AppendValues(const ColumnVector& values, size_t row, size_t end,
                    size_t non_null);
  void AppendPage(const PageHeader& header, std::string* out,
                  ColumnMetaData* meta);
  void ComputeStats(const ColumnVector& values, size_t begin, size_t end,
                    bool from_dictionary, ChunkStats* stats,
                    Statistics* footer) const;

  Column column_;
  bool dictionary_;
  int32_t codec_;
  PageCompressor compressor_;
  StringDictionary dict_;
  std::string page_;    // the page being built, uncompressed
  std::string header_;  // its encoded header
  std::vector<uint8_t> scratch_;
  int32_t data_pages_ = 0;
};

}  // namespace prometheus::parquet::internal

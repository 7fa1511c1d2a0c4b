// Reads the pages of column chunks into levels and values: dictionary
// pages, data pages v1 and v2, any codec PageDecompressor knows and any
// encoding DecodeValues knows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/parquet/internal/compression.h"
#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/internal/parquet_schema.h"
#include "prometheus/parquet/table.h"

namespace prometheus::parquet::internal {

// The levels and values of one leaf, accumulated over its column chunks.
struct LeafValues {
  int64_t level_count = 0;                 // entries, nulls included
  std::vector<int16_t> definition_levels;  // only when the max is above 0
  std::vector<int16_t> repetition_levels;  // only when the max is above 0
  ColumnVector values;  // entries at the max definition level; no `valid`
};

class ColumnChunkReader {
 public:
  ColumnChunkReader(const Leaf& leaf, const LeafType& type)
      : leaf_(leaf), format_(type.format) {}

  // Appends the levels and values of the chunk `meta` describes in `file`
  // (the whole file's bytes) to `out`. The error names the byte offset and
  // what was expected, not the file or column.
  Status Read(std::string_view file, const ColumnMetaData& meta,
              LeafValues* out);
  // The same, but of a leaf that is not repeated at least the first
  // `max_rows` rows and at most the chunk's: the pages after them are not
  // read, nor (PLAIN and dictionary pages) the values after them in the last
  // page read decoded.
  Status ReadFirst(std::string_view file, const ColumnMetaData& meta, int64_t max_rows,
                   LeafValues* out);

 private:
  Status ReadDataPage(const PageHeader& header, std::string_view body,
                      int32_t codec, LeafValues* out, size_t* count);
  Status ReadDataPageV2(const PageHeader& header, std::string_view body,
                        int32_t codec, LeafValues* out, size_t* count);
  // Of a page's `n` levels just appended to `out`, keeps the first `want_`
  // (when set and fewer, and the values' encoding can be decoded in part):
  // returns how many are kept and sets `non_null`.
  size_t KeepFirst(size_t n, int32_t encoding, LeafValues* out, size_t* non_null) const;
  // Decodes the values of a page whose levels are already in `out`.
  Status ReadValues(int32_t encoding, std::string_view data, size_t non_null,
                    LeafValues* out);

  const Leaf& leaf_;
  ValueFormat format_;
  PageDecompressor decompressor_;
  std::string page_;
  ColumnVector dictionary_;
  bool has_dictionary_ = false;
  int64_t remaining_ = 0;  // values the chunk still owes
  int64_t want_ = -1;      // levels still wanted by ReadFirst; -1: all
};

}  // namespace prometheus::parquet::internal

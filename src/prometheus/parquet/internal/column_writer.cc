#include "prometheus/parquet/internal/column_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>

#include "prometheus/parquet/internal/rle.h"

namespace prometheus::parquet::internal {
namespace {

int32_t CodecId(ParquetCodec codec) {
  switch (codec) {
    case ParquetCodec::kSnappy:
      return kSnappy;
    case ParquetCodec::kZstd:
      return kZstd;
    case ParquetCodec::kUncompressed:
      return kUncompressed;
  }
  return kUncompressed;
}

template <typename T>
std::string PlainBytes(T value) {
  std::string bytes(sizeof(T), '\0');
  std::memcpy(bytes.data(), &value, sizeof(T));
  return bytes;
}

// Appends the non-null values of rows [0, n) as PLAIN `Out`s; `valid` is
// null for a column without nulls.
template <typename Out, typename In>
void AppendFixed(const In* in, const uint8_t* valid, size_t n, size_t non_null,
                 std::string* page) {
  const size_t old_size = page->size();
  page->resize(old_size + non_null * sizeof(Out));
  char* p = page->data() + old_size;
  if (non_null == n && std::is_same_v<In, Out>) {
    std::memcpy(p, in, n * sizeof(Out));
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    if (valid != nullptr && !valid[i]) continue;
    const Out value = static_cast<Out>(in[i]);
    std::memcpy(p, &value, sizeof(Out));
    p += sizeof(Out);
  }
}

}  // namespace

SchemaElement LeafSchema(const Column& column) {
  SchemaElement e;
  e.name = column.name;
  e.repetition = column.nullable ? kOptional : kRequired;
  switch (column.type) {
    case ColumnType::kInt32:
      e.type = PhysicalType::kInt32;
      break;
    case ColumnType::kInt64:
      e.type = PhysicalType::kInt64;
      break;
    case ColumnType::kDouble:
      e.type = PhysicalType::kDouble;
      break;
    case ColumnType::kBoolean:
      e.type = PhysicalType::kBoolean;
      break;
    case ColumnType::kString:
      e.type = PhysicalType::kByteArray;
      e.converted_type = kUtf8;
      e.logical.kind = LogicalType::kString;
      break;
    case ColumnType::kTimestamp:
      // TIMESTAMP(isAdjustedToUTC=true, MICROS), with the legacy converted
      // type for older readers (LogicalTypes.md).
      e.type = PhysicalType::kInt64;
      e.converted_type = kTimestampMicros;
      e.logical.kind = LogicalType::kTimestamp;
      e.logical.adjusted_to_utc = true;
      e.logical.unit = 2;
      break;
  }
  return e;
}

ColumnChunkWriter::ColumnChunkWriter(const Column& column,
                                     const ParquetWriteOptions& options)
    : column_(column),
      dictionary_(options.dictionary && column.type == ColumnType::kString),
      codec_(CodecId(options.codec)),
      compressor_(codec_) {}

void ColumnChunkWriter::Write(const ColumnVector& values, size_t begin,
                              size_t end, std::string* out,
                              ColumnMetaData* meta, ChunkStats* stats) {
  const size_t start = out->size();
  *meta = ColumnMetaData{};
  meta->type = *LeafSchema(column_).type;
  meta->path_in_schema = {column_.name};
  meta->codec = codec_;
  meta->num_values = static_cast<int64_t>(end - begin);
  data_pages_ = 0;

  size_t nulls = 0;
  if (column_.nullable) {
    const uint8_t* valid = values.valid.data();
    for (size_t row = begin; row < end; ++row) nulls += valid[row] == 0;
  }
  const size_t non_null = end - begin - nulls;
  // A dictionary pays when values repeat: at most one entry per 2 values.
  const bool use_dictionary =
      dictionary_ && non_null > 0 &&
      dict_.Build(values, begin, end, std::max<size_t>(1, non_null / 2),
                  kMaxDictionaryBytes);
  int index_bit_width = 0;
  if (use_dictionary) {
    index_bit_width = std::max(1, BitWidth(dict_.entries().size() - 1));
    meta->dictionary_page_offset = static_cast<int64_t>(out->size() - start);
    WriteDictionaryPage(out, meta);
  }
  meta->data_page_offset = static_cast<int64_t>(out->size() - start);
  size_t next_index = 0;
  for (size_t row = begin; row < end;) {
    const size_t page_end = PageEnd(values, row, end, index_bit_width);
    WriteDataPage(values, row, page_end, index_bit_width, &next_index, out,
                  meta);
    row = page_end;
  }

  const int32_t data_encoding = use_dictionary ? kRleDictionary : kPlain;
  meta->encodings = {kPlain, kRle};
  if (use_dictionary) meta->encodings.push_back(kRleDictionary);
  if (use_dictionary) {
    meta->encoding_stats.push_back({kDictionaryPage, kPlain, 1});
  }
  meta->encoding_stats.push_back({kDataPage, data_encoding, data_pages_});

  *stats = ChunkStats{};
  stats->null_count = static_cast<int64_t>(nulls);
  stats->value_count = static_cast<int64_t>(non_null);
  ComputeStats(values, begin, end, use_dictionary, stats,
               &meta->statistics.emplace());
}

size_t ColumnChunkWriter::PageEnd(const ColumnVector& values, size_t row,
                                  size_t end, int index_bit_width) const {
  size_t rows;
  if (index_bit_width > 0) {
    rows = kPageBytes * 8 / index_bit_width;
  } else {
    switch (column_.type) {
      case ColumnType::kInt32:
        rows = kPageBytes / 4;
        break;
      case ColumnType::kBoolean:
        rows = kPageBytes * 8;
        break;
      case ColumnType::kString: {
        size_t bytes = 0;
        size_t at = row;
        while (at < end && bytes < kPageBytes) {
          bytes += 4 + values.strings[at].size();
          ++at;
        }
        return at;
      }
      default:
        rows = kPageBytes / 8;
    }
  }
  return row + std::min(rows, end - row);
}

void ColumnChunkWriter::WriteDictionaryPage(std::string* out,
                                            ColumnMetaData* meta) {
  page_.resize(dict_.plain_bytes());
  char* p = page_.data();
  for (std::string_view entry : dict_.entries()) {
    const auto size = static_cast<uint32_t>(entry.size());
    std::memcpy(p, &size, 4);
    std::memcpy(p + 4, entry.data(), entry.size());
    p += 4 + entry.size();
  }
  PageHeader header;
  header.type = kDictionaryPage;
  header.uncompressed_page_size = static_cast<int32_t>(page_.size());
  header.dictionary_page = DictionaryPageHeader{
      static_cast<int32_t>(dict_.entries().size()), kPlain};
  AppendPage(header, out, meta);
}

void ColumnChunkWriter::WriteDataPage(const ColumnVector& values, size_t row,
                                      size_t end, int index_bit_width,
                                      size_t* next_index, std::string* out,
                                      ColumnMetaData* meta) {
  const size_t n = end - row;
  size_t non_null = n;
  page_.clear();
  if (column_.nullable) {
    // Definition levels: 1 for a value, 0 for a null, after a 4-byte
    // length. `valid` holds any non-zero byte for true; levels need 1.
    const uint8_t* valid = values.valid.data() + row;
    size_t nulls = 0;
    uint8_t other = 0;
    for (size_t i = 0; i < n; ++i) {
      nulls += valid[i] == 0;
      other |= valid[i] & 0xfe;
    }
    non_null = n - nulls;
    const uint8_t* levels = valid;
    if (other != 0) {
      scratch_.resize(n);
      for (size_t i = 0; i < n; ++i) scratch_[i] = valid[i] != 0;
      levels = scratch_.data();
    }
    page_.resize(4);
    AppendRleBitPacked(levels, n, 1, &page_);
    const auto length = static_cast<uint32_t>(page_.size() - 4);
    std::memcpy(page_.data(), &length, 4);
  }
  int32_t encoding = kPlain;
  if (index_bit_width > 0) {
    encoding = kRleDictionary;
    page_.push_back(static_cast<char>(index_bit_width));
    AppendRleBitPacked(dict_.indices().data() + *next_index, non_null,
                       index_bit_width, &page_);
    *next_index += non_null;
  } else {
    AppendValues(values, row, end, non_null);
  }
  PageHeader header;
  header.type = kDataPage;
  header.uncompressed_page_size = static_cast<int32_t>(page_.size());
  header.data_page =
      DataPageHeader{static_cast<int32_t>(n), encoding, kRle, kRle};
  AppendPage(header, out, meta);
  ++data_pages_;
}

void ColumnChunkWriter::AppendValues(const ColumnVector& values, size_t row,
                                     size_t end, size_t non_null) {
  const size_t n = end - row;
  const uint8_t* valid = column_.nullable ? values.valid.data() + row : nullptr;
  switch (column_.type) {
    case ColumnType::kInt32:
      AppendFixed<int32_t>(values.ints.data() + row, valid, n, non_null,
                           &page_);
      return;
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      AppendFixed<int64_t>(values.ints.data() + row, valid, n, non_null,
                           &page_);
      return;
    case ColumnType::kDouble:
      AppendFixed<double>(values.doubles.data() + row, valid, n, non_null,
                          &page_);
      return;
    case ColumnType::kBoolean: {
      // PLAIN booleans: one bit each, least significant bit first.
      const size_t old_size = page_.size();
      page_.resize(old_size + (non_null + 7) / 8);
      auto* bits = reinterpret_cast<uint8_t*>(page_.data() + old_size);
      size_t k = 0;
      for (size_t i = 0; i < n; ++i) {
        if (valid != nullptr && !valid[i]) continue;
        if (values.ints[row + i] != 0) bits[k >> 3] |= 1 << (k & 7);
        ++k;
      }
      return;
    }
    case ColumnType::kString: {
      size_t bytes = 0;
      for (size_t i = 0; i < n; ++i) {
        if (valid == nullptr || valid[i]) {
          bytes += 4 + values.strings[row + i].size();
        }
      }
      const size_t old_size = page_.size();
      page_.resize(old_size + bytes);
      char* p = page_.data() + old_size;
      for (size_t i = 0; i < n; ++i) {
        if (valid != nullptr && !valid[i]) continue;
        const std::string& s = values.strings[row + i];
        const auto size = static_cast<uint32_t>(s.size());
        std::memcpy(p, &size, 4);
        std::memcpy(p + 4, s.data(), s.size());
        p += 4 + s.size();
      }
      return;
    }
  }
}

void ColumnChunkWriter::AppendPage(const PageHeader& header, std::string* out,
                                   ColumnMetaData* meta) {
  const std::string_view body = compressor_.Compress(page_);
  PageHeader h = header;
  h.compressed_page_size = static_cast<int32_t>(body.size());
  header_.clear();
  EncodePageHeader(h, &header_);
  out->append(header_);
  out->append(body);
  meta->total_uncompressed_size +=
      static_cast<int64_t>(header_.size() + page_.size());
  meta->total_compressed_size +=
      static_cast<int64_t>(header_.size() + body.size());
}

void ColumnChunkWriter::ComputeStats(const ColumnVector& values, size_t begin,
                                     size_t end, bool from_dictionary,
                                     ChunkStats* stats,
                                     Statistics* footer) const {
  footer->null_count = stats->null_count;
  if (column_.type == ColumnType::kDouble) footer->nan_count = 0;
  if (stats->value_count == 0) return;
  const uint8_t* valid = column_.nullable ? values.valid.data() : nullptr;
  auto is_value = [&](size_t row) { return valid == nullptr || valid[row]; };
  switch (column_.type) {
    case ColumnType::kInt32: {
      int32_t lo = std::numeric_limits<int32_t>::max();
      int32_t hi = std::numeric_limits<int32_t>::min();
      for (size_t row = begin; row < end; ++row) {
        if (!is_value(row)) continue;
        const auto v = static_cast<int32_t>(values.ints[row]);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      stats->min = int64_t{lo};
      stats->max = int64_t{hi};
      footer->min_value = PlainBytes(lo);
      footer->max_value = PlainBytes(hi);
      return;
    }
    case ColumnType::kInt64:
    case ColumnType::kTimestamp: {
      int64_t lo = std::numeric_limits<int64_t>::max();
      int64_t hi = std::numeric_limits<int64_t>::min();
      for (size_t row = begin; row < end; ++row) {
        if (!is_value(row)) continue;
        lo = std::min(lo, values.ints[row]);
        hi = std::max(hi, values.ints[row]);
      }
      stats->min = lo;
      stats->max = hi;
      footer->min_value = PlainBytes(lo);
      footer->max_value = PlainBytes(hi);
      return;
    }
    case ColumnType::kBoolean: {
      bool any_true = false;
      bool any_false = false;
      for (size_t row = begin; row < end; ++row) {
        if (!is_value(row)) continue;
        (values.ints[row] != 0 ? any_true : any_false) = true;
      }
      stats->min = !any_false;
      stats->max = any_true;
      footer->min_value = std::string(1, any_false ? '\0' : '\1');
      footer->max_value = std::string(1, any_true ? '\1' : '\0');
      return;
    }
    case ColumnType::kDouble: {
      double lo = std::numeric_limits<double>::infinity();
      double hi = -lo;
      int64_t nans = 0;
      for (size_t row = begin; row < end; ++row) {
        if (!is_value(row)) continue;
        const double v = values.doubles[row];
        if (std::isnan(v)) {
          ++nans;
          continue;
        }
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      footer->nan_count = nans;
      // With NaN present no bound is safe for every reader; leave both out.
      if (nans > 0) return;
      // Spec: a zero min is written as -0.0 and a zero max as +0.0.
      if (lo == 0) lo = -0.0;
      if (hi == 0) hi = 0.0;
      stats->min = lo;
      stats->max = hi;
      footer->min_value = PlainBytes(lo);
      footer->max_value = PlainBytes(hi);
      return;
    }
    case ColumnType::kString: {
      std::string_view lo;
      std::string_view hi;
      bool first = true;
      auto visit = [&](std::string_view v) {
        if (first || v < lo) lo = v;
        if (first || v > hi) hi = v;
        first = false;
      };
      if (from_dictionary) {
        for (std::string_view entry : dict_.entries()) visit(entry);
      } else {
        for (size_t row = begin; row < end; ++row) {
          if (is_value(row)) visit(values.strings[row]);
        }
      }
      stats->min = std::string(lo);
      stats->max = std::string(hi);
      if (lo.size() <= kMaxFooterStatBytes &&
          hi.size() <= kMaxFooterStatBytes) {
        footer->min_value = std::string(lo);
        footer->max_value = std::string(hi);
      }
      return;
    }
  }
}

}  // namespace prometheus::parquet::internal

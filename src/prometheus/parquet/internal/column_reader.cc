#include "prometheus/parquet/internal/column_reader.h"

#include <algorithm>
#include <cstring>

#include "prometheus/parquet/internal/rle.h"
#include "prometheus/parquet/internal/value_decoder.h"

namespace prometheus::parquet::internal {
namespace {

// Decodes `n` levels of at most `max_level` from the start of `data` into
// `out` and sets `*size` to the bytes used. Data page v1 levels carry a
// 4-byte length (RLE) or none (the deprecated BIT_PACKED); v2 levels are
// RLE of exactly `data.size()` bytes.
Status DecodeLevels(std::string_view data, int32_t encoding, bool prefixed,
                    int max_level, size_t n, std::vector<int16_t>* out,
                    size_t* size) {
  const int width = BitWidth(static_cast<uint64_t>(max_level));
  const size_t old_size = out->size();
  out->resize(old_size + n);
  int16_t* levels = out->data() + old_size;
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  if (encoding == kBitPacked) {
    const size_t used = (static_cast<uint64_t>(n) * width + 7) / 8;
    if (!DecodeLegacyBitPacked(bytes, data.size(), width, levels, n)) {
      return Fail(ErrorCode::kCorrupt, "BIT_PACKED levels need {} bytes, the page has {}", used,
                  data.size());
    }
    *size = used;
  } else if (encoding == kRle) {
    size_t length = data.size();
    size_t skip = 0;
    if (prefixed) {
      if (data.size() < 4) return Fail(ErrorCode::kCorrupt, "levels: missing 4-byte length");
      uint32_t declared;
      std::memcpy(&declared, data.data(), 4);
      if (declared > data.size() - 4) {
        return Fail(ErrorCode::kCorrupt, "levels claim {} bytes, the page has {}", declared,
                    data.size() - 4);
      }
      length = declared;
      skip = 4;
    }
    RleBitPackedDecoder decoder(bytes + skip, length, width);
    if (!decoder.Decode(levels, n)) {
      return Fail(ErrorCode::kCorrupt, "levels end before {} values", n);
    }
    *size = skip + length;
  } else {
    return Fail(ErrorCode::kCorrupt, "level encoding {} is not supported (RLE or BIT_PACKED)",
                encoding);
  }
  for (size_t i = 0; i < n; ++i) {
    if (levels[i] < 0 || levels[i] > max_level) {
      return Fail(ErrorCode::kCorrupt, "level {} is above the column's maximum {}", levels[i],
                  max_level);
    }
  }
  return Ok();
}

}  // namespace

Status ColumnChunkReader::ReadFirst(std::string_view file, const ColumnMetaData& meta,
                                    int64_t max_rows, LeafValues* out) {
  want_ = leaf_.max_repetition_level == 0 ? std::max<int64_t>(max_rows, 0) : -1;
  Status status = Read(file, meta, out);
  want_ = -1;
  return status;
}

size_t ColumnChunkReader::KeepFirst(size_t n, int32_t encoding, LeafValues* out,
                                    size_t* non_null) const {
  if (want_ < 0 || static_cast<size_t>(want_) >= n) return n;
  // Other encodings' first values are not a prefix of the page's bytes.
  if (encoding != kPlain && encoding != kPlainDictionary && encoding != kRleDictionary) return n;
  const auto keep = static_cast<size_t>(want_);
  if (leaf_.max_definition_level > 0) {
    auto& levels = out->definition_levels;
    levels.resize(levels.size() - (n - keep));
    *non_null = static_cast<size_t>(
        std::count(levels.end() - static_cast<ptrdiff_t>(keep), levels.end(),
                   leaf_.max_definition_level));
  } else {
    *non_null = keep;
  }
  return keep;
}

Status ColumnChunkReader::Read(std::string_view file,
                               const ColumnMetaData& meta, LeafValues* out) {
  if (meta.num_values == 0) return Ok();  // an empty row group's chunk
  // The chunk starts at its dictionary page when there is one. Some
  // writers record a dictionary offset of 0, or none at all while still
  // writing a dictionary page first; the page headers tell either way.
  int64_t start = meta.data_page_offset;
  if (meta.dictionary_page_offset && *meta.dictionary_page_offset > 0 &&
      *meta.dictionary_page_offset < start) {
    start = *meta.dictionary_page_offset;
  }
  if (start < 4 || static_cast<uint64_t>(start) >= file.size() ||
      meta.total_compressed_size <= 0) {
    return Fail(ErrorCode::kCorrupt,
        "column chunk at byte {} of {} bytes ({} long) is outside "
        "the file",
        start, file.size(), meta.total_compressed_size);
  }
  if (meta.num_values < 0) return Fail(ErrorCode::kCorrupt, "negative value count");
  const size_t end = static_cast<size_t>(std::min<uint64_t>(
      file.size(), static_cast<uint64_t>(start) + meta.total_compressed_size));
  size_t at = static_cast<size_t>(start);
  has_dictionary_ = false;
  dictionary_ = ColumnVector{};
  int64_t seen = 0;
  while (seen < meta.num_values && want_ != 0) {
    if (at >= end) {
      return Fail(ErrorCode::kCorrupt, "column chunk ends at byte {} after {} of {} values", at,
                  seen, meta.num_values);
    }
    size_t header_size = 0;
    auto header = DecodePageHeader(file.substr(at, end - at), &header_size);
    if (!header) {
      return Fail(ErrorCode::kCorrupt, "page at byte {}: {}", at, header.error().message);
    }
    const size_t body_at = at + header_size;
    const auto compressed = static_cast<size_t>(header->compressed_page_size);
    if (compressed > end - body_at) {
      return Fail(ErrorCode::kCorrupt, "page at byte {} claims {} bytes, the chunk has {} left", at,
                  compressed, end - body_at);
    }
    const std::string_view body = file.substr(body_at, compressed);
    size_t count = 0;
    Status status;
    remaining_ = meta.num_values - seen;
    switch (header->type) {
      case kDictionaryPage: {
        if (!header->dictionary_page) {
          status = Fail(ErrorCode::kCorrupt, "dictionary page without its header");
          break;
        }
        status = decompressor_.Decompress(
            meta.codec, body,
            static_cast<size_t>(header->uncompressed_page_size), &page_);
        if (!status) break;
        const int32_t entries = header->dictionary_page->num_values;
        if (entries < 0) {
          status = Fail(ErrorCode::kCorrupt, "dictionary page claims {} entries", entries);
          break;
        }
        // PLAIN_DICTIONARY dictionaries are PLAIN values too.
        dictionary_ = ColumnVector{};
        status = DecodeValues(format_, kPlain, page_,
                              static_cast<size_t>(entries), &dictionary_);
        has_dictionary_ = status.has_value();
        break;
      }
      case kDataPage:
        status = ReadDataPage(*header, body, meta.codec, out, &count);
        break;
      case kDataPageV2:
        status = ReadDataPageV2(*header, body, meta.codec, out, &count);
        break;
      default:
        break;  // index pages and the like carry no values
    }
    if (!status) return Fail(ErrorCode::kCorrupt,
                             "page at byte {}: {}", at, status.error().message);
    if (static_cast<int64_t>(count) > meta.num_values - seen) {
      return Fail(ErrorCode::kCorrupt,
                  "page at byte {} holds {} values, the chunk only {} more", at,
                  count, meta.num_values - seen);
    }
    seen += static_cast<int64_t>(count);
    if (want_ > 0) want_ -= static_cast<int64_t>(count);
    at = body_at + compressed;
  }
  out->level_count += seen;
  return Ok();
}

Status ColumnChunkReader::ReadDataPage(const PageHeader& header,
                                       std::string_view body, int32_t codec,
                                       LeafValues* out, size_t* count) {
  if (!header.data_page) return Fail(ErrorCode::kCorrupt, "data page without its header");
  const DataPageHeader& h = *header.data_page;
  if (h.num_values < 0 || h.num_values > remaining_) {
    return Fail(ErrorCode::kCorrupt, "data page claims {} values, the chunk has {} more",
                h.num_values, remaining_);
  }
  const auto n = static_cast<size_t>(h.num_values);
  PROM_TRY(decompressor_.Decompress(
      codec, body, static_cast<size_t>(header.uncompressed_page_size), &page_));
  std::string_view data = page_;
  size_t used = 0;
  if (leaf_.max_repetition_level > 0) {
    PROM_TRY(DecodeLevels(data, h.repetition_level_encoding, true,
                          leaf_.max_repetition_level, n,
                          &out->repetition_levels, &used));
    data.remove_prefix(used);
  }
  size_t non_null = n;
  if (leaf_.max_definition_level > 0) {
    PROM_TRY(DecodeLevels(data, h.definition_level_encoding, true,
                          leaf_.max_definition_level, n,
                          &out->definition_levels, &used));
    data.remove_prefix(used);
    const int16_t* levels =
        out->definition_levels.data() + out->definition_levels.size() - n;
    non_null = static_cast<size_t>(
        std::count(levels, levels + n, leaf_.max_definition_level));
  }
  *count = KeepFirst(n, h.encoding, out, &non_null);
  return ReadValues(h.encoding, data, non_null, out);
}

Status ColumnChunkReader::ReadDataPageV2(const PageHeader& header,
                                         std::string_view body, int32_t codec,
                                         LeafValues* out, size_t* count) {
  if (!header.data_page_v2) return Fail(ErrorCode::kCorrupt, "data page v2 without its header");
  const DataPageHeaderV2& h = *header.data_page_v2;
  if (h.num_values < 0 || h.num_values > remaining_ ||
      h.repetition_levels_byte_length < 0 ||
      h.definition_levels_byte_length < 0 ||
      static_cast<uint64_t>(h.repetition_levels_byte_length) +
              h.definition_levels_byte_length >
          body.size()) {
    return Fail(ErrorCode::kCorrupt,
        "data page v2 header is inconsistent: {} values ({} more in "
        "the chunk), levels of {} + {} bytes in a {}-byte page",
        h.num_values, remaining_, h.repetition_levels_byte_length,
        h.definition_levels_byte_length, body.size());
  }
  const auto n = static_cast<size_t>(h.num_values);
  const auto rep_size = static_cast<size_t>(h.repetition_levels_byte_length);
  const auto def_size = static_cast<size_t>(h.definition_levels_byte_length);
  size_t used = 0;
  if (leaf_.max_repetition_level > 0) {
    PROM_TRY(DecodeLevels(body.substr(0, rep_size), kRle, false,
                          leaf_.max_repetition_level, n,
                          &out->repetition_levels, &used));
  }
  size_t non_null = n;
  if (leaf_.max_definition_level > 0) {
    PROM_TRY(DecodeLevels(body.substr(rep_size, def_size), kRle, false,
                          leaf_.max_definition_level, n,
                          &out->definition_levels, &used));
    const int16_t* levels =
        out->definition_levels.data() + out->definition_levels.size() - n;
    non_null = static_cast<size_t>(
        std::count(levels, levels + n, leaf_.max_definition_level));
  }
  // Levels are never compressed in v2; the values are unless flagged not.
  const std::string_view values = body.substr(rep_size + def_size);
  const int64_t values_size =
      static_cast<int64_t>(header.uncompressed_page_size) -
      h.repetition_levels_byte_length - h.definition_levels_byte_length;
  std::string_view data = values;
  if (h.is_compressed && codec != kUncompressed) {
    if (values_size < 0) {
      return Fail(ErrorCode::kCorrupt, "data page v2 uncompressed size {} is below its levels' {}",
                  header.uncompressed_page_size, rep_size + def_size);
    }
    PROM_TRY(decompressor_.Decompress(
        codec, values, static_cast<size_t>(values_size), &page_));
    data = page_;
  }
  *count = KeepFirst(n, h.encoding, out, &non_null);
  return ReadValues(h.encoding, data, non_null, out);
}

Status ColumnChunkReader::ReadValues(int32_t encoding, std::string_view data,
                                     size_t non_null, LeafValues* out) {
  if (non_null == 0) return Ok();
  if (encoding == kPlainDictionary || encoding == kRleDictionary) {
    if (!has_dictionary_) {
      return Fail(ErrorCode::kCorrupt, "dictionary-encoded page without a dictionary page");
    }
    return DecodeDictionaryIndices(format_, data, non_null, dictionary_,
                                   &out->values);
  }
  return DecodeValues(format_, encoding, data, non_null, &out->values);
}

}  // namespace prometheus::parquet::internal

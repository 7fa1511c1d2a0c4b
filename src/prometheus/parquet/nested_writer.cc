// WriteParquetLeaves: nested records as already-shredded leaf columns, each
// one column chunk of one PLAIN data page (v1) with RLE levels. Delta
// checkpoints are its one user: small files, so no dictionary or paging.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <fmt/ranges.h>

#include "prometheus/parquet/internal/column_writer.h"
#include "prometheus/parquet/internal/compression.h"
#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/internal/rle.h"
#include "prometheus/parquet/parquet.h"

namespace prometheus::parquet {
namespace {

using internal::SchemaElement;

constexpr std::string_view kMagic = "PAR1";
constexpr std::string_view kCreatedBy = "prometheus version 0.1.0 (build local)";

int32_t Codec(ParquetCodec codec) {
  switch (codec) {
    case ParquetCodec::kSnappy:
      return internal::kSnappy;
    case ParquetCodec::kZstd:
      return internal::kZstd;
    case ParquetCodec::kUncompressed:
      break;
  }
  return internal::kUncompressed;
}

SchemaElement Element(const SchemaNode& node) {
  SchemaElement e;
  if (node.kind == SchemaNode::Kind::kLeaf) {
    e = internal::LeafSchema(Column{node.name, node.type, true});
  }
  e.name = node.name;
  e.repetition = static_cast<int32_t>(node.repetition);  // same order as parquet.thrift
  e.num_children = node.num_children;
  if (node.kind == SchemaNode::Kind::kMap) {
    e.converted_type = internal::kMap;
    e.logical.kind = internal::LogicalType::kMap;
  } else if (node.kind == SchemaNode::Kind::kMapKeyValue) {
    e.converted_type = internal::kMapKeyValue;
  } else if (node.kind == SchemaNode::Kind::kList) {
    e.converted_type = internal::kList;
    e.logical.kind = internal::LogicalType::kList;
  }
  return e;
}

// Appends `levels` as a 4-byte length and the RLE/bit-packed hybrid.
void AppendLevels(const std::vector<int16_t>& levels, int max_level, std::string* page) {
  if (max_level == 0) return;
  const size_t at = page->size();
  page->resize(at + 4);
  const std::vector<uint16_t> unsigned_levels(levels.begin(), levels.end());
  internal::AppendRleBitPacked(unsigned_levels.data(), unsigned_levels.size(),
                               internal::BitWidth(static_cast<uint64_t>(max_level)), page);
  const auto length = static_cast<uint32_t>(page->size() - at - 4);
  std::memcpy(page->data() + at, &length, 4);
}

void AppendPlainValues(const LeafColumn& leaf, size_t defined, std::string* page) {
  auto fixed = [&](auto type_tag) {
    using T = decltype(type_tag);
    for (size_t i = 0; i < defined; ++i) {
      T v = static_cast<T>(leaf.values.ints[i]);
      page->append(reinterpret_cast<const char*>(&v), sizeof(T));
    }
  };
  switch (leaf.type) {
    case ColumnType::kInt32:
      return fixed(int32_t{});
    case ColumnType::kInt64:
    case ColumnType::kTimestamp:
      return fixed(int64_t{});
    case ColumnType::kDouble:
      for (size_t i = 0; i < defined; ++i) {
        page->append(reinterpret_cast<const char*>(&leaf.values.doubles[i]), sizeof(double));
      }
      return;
    case ColumnType::kBoolean: {
      std::string bits((defined + 7) / 8, '\0');
      for (size_t i = 0; i < defined; ++i) {
        if (leaf.values.ints[i] != 0) bits[i >> 3] |= static_cast<char>(1 << (i & 7));
      }
      page->append(bits);
      return;
    }
    case ColumnType::kString:
      for (size_t i = 0; i < defined; ++i) {
        const std::string& s = leaf.values.strings[i];
        const auto length = static_cast<uint32_t>(s.size());
        page->append(reinterpret_cast<const char*>(&length), 4);
        page->append(s);
      }
      return;
  }
}

size_t HeldValues(const LeafColumn& leaf) {
  switch (leaf.type) {
    case ColumnType::kDouble:
      return leaf.values.doubles.size();
    case ColumnType::kString:
      return leaf.values.strings.size();
    default:
      return leaf.values.ints.size();
  }
}

}  // namespace

Result<uint64_t> WriteParquetLeaves(FileSystem& file_system, const std::filesystem::path& path,
                                    const std::vector<SchemaNode>& schema,
                                    const std::vector<LeafColumn>& leaves, int64_t num_rows,
                                    ParquetCodec codec) {
  internal::FileMetaData meta;
  SchemaElement root;
  root.name = "schema";
  // The root's children: the nodes not inside another group.
  std::vector<int> open;  // children still to come of each enclosing group
  for (const SchemaNode& node : schema) {
    if (open.empty()) {
      ++root.num_children;
    } else {
      --open.back();
    }
    if (node.num_children > 0) open.push_back(node.num_children);
    while (!open.empty() && open.back() == 0) open.pop_back();
    meta.schema.push_back(Element(node));
  }
  meta.schema.insert(meta.schema.begin(), root);
  meta.num_rows = num_rows;
  meta.created_by = std::string(kCreatedBy);
  meta.type_defined_orders = static_cast<int32_t>(leaves.size());

  const int32_t codec_id = Codec(codec);
  internal::PageCompressor compressor(codec_id);
  std::string out(kMagic);
  internal::RowGroup& group = meta.row_groups.emplace_back();
  group.num_rows = num_rows;
  group.file_offset = static_cast<int64_t>(out.size());
  int64_t compressed_total = 0;
  for (const LeafColumn& leaf : leaves) {
    const size_t entries = leaf.definition_levels.size();
    size_t defined = 0;
    for (int16_t level : leaf.definition_levels) defined += level == leaf.max_definition_level;
    if ((leaf.max_repetition_level > 0 && leaf.repetition_levels.size() != entries) ||
        HeldValues(leaf) < defined) {
      return Fail(ErrorCode::kInternal,
                  "{}: leaf {} has {} definition levels, {} repetition levels and {} values "
                  "for {} defined entries",
                  path.string(), fmt::format("{}", fmt::join(leaf.path, ".")), entries,
                  leaf.repetition_levels.size(), HeldValues(leaf), defined);
    }
    std::string page;
    AppendLevels(leaf.repetition_levels, leaf.max_repetition_level, &page);
    AppendLevels(leaf.definition_levels, leaf.max_definition_level, &page);
    AppendPlainValues(leaf, defined, &page);
    const std::string_view body = compressor.Compress(page);
    internal::PageHeader header;
    header.type = internal::kDataPage;
    header.uncompressed_page_size = static_cast<int32_t>(page.size());
    header.compressed_page_size = static_cast<int32_t>(body.size());
    header.data_page = internal::DataPageHeader{static_cast<int32_t>(entries), internal::kPlain,
                                                internal::kRle, internal::kRle};
    std::string header_bytes;
    internal::EncodePageHeader(header, &header_bytes);

    internal::ColumnMetaData column;
    column.type = *internal::LeafSchema(Column{"", leaf.type, true}).type;
    column.encodings = {internal::kPlain, internal::kRle};
    column.path_in_schema = leaf.path;
    column.codec = codec_id;
    column.num_values = static_cast<int64_t>(entries);
    column.total_uncompressed_size = static_cast<int64_t>(header_bytes.size() + page.size());
    column.total_compressed_size = static_cast<int64_t>(header_bytes.size() + body.size());
    column.data_page_offset = static_cast<int64_t>(out.size());
    column.encoding_stats.push_back({internal::kDataPage, internal::kPlain, 1});
    group.total_byte_size += column.total_uncompressed_size;
    compressed_total += column.total_compressed_size;
    const int64_t chunk_offset = static_cast<int64_t>(out.size());
    out += header_bytes;
    out += body;
    group.columns.push_back({std::nullopt, chunk_offset, std::move(column)});
  }
  group.total_compressed_size = compressed_total;

  std::string footer;
  internal::EncodeFileMetaData(meta, &footer);
  out += footer;
  const auto footer_size = static_cast<uint32_t>(footer.size());
  out.append(reinterpret_cast<const char*>(&footer_size), 4);
  out += kMagic;
  PROM_ASSIGN_OR_RETURN(std::unique_ptr<NewFile> file, file_system.Create(path));
  PROM_TRY(file->Append(out));
  PROM_ASSIGN_OR_RETURN(bool published, file->Commit());
  if (!published) {
    return Fail(ErrorCode::kConflict, "{}: already exists; Parquet files are never overwritten",
                path.string());
  }
  return static_cast<uint64_t>(out.size());
}

}  // namespace prometheus::parquet

// Writing the metadata structs: field ids from parquet.thrift, in
// increasing order so every field header takes one byte.
#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/internal/thrift_compact.h"

namespace prometheus::parquet::internal {
namespace {

void EncodeLogicalType(const LogicalType& logical, ThriftWriter& w) {
  switch (logical.kind) {
    case LogicalType::kString:
    case LogicalType::kDate:
    case LogicalType::kJson:
    case LogicalType::kUuid:
      w.BeginStructField(10);
      w.BeginStructField(static_cast<int16_t>(logical.kind));  // empty struct
      w.EndStruct();
      w.EndStruct();
      return;
    case LogicalType::kTimestamp:
    case LogicalType::kTime:
      w.BeginStructField(10);
      w.BeginStructField(static_cast<int16_t>(logical.kind));
      w.FieldBool(1, logical.adjusted_to_utc);
      w.BeginStructField(2);  // TimeUnit union
      w.BeginStructField(static_cast<int16_t>(logical.unit));
      w.EndStruct();
      w.EndStruct();
      w.EndStruct();
      w.EndStruct();
      return;
    default:
      return;  // not written by us; the converted type still describes it
  }
}

void EncodeSchemaElement(const SchemaElement& e, ThriftWriter& w) {
  w.BeginStruct();
  if (e.type) w.FieldI32(1, static_cast<int32_t>(*e.type));
  if (e.type == PhysicalType::kFixedLenByteArray) w.FieldI32(2, e.type_length);
  if (e.repetition) w.FieldI32(3, *e.repetition);
  w.FieldBinary(4, e.name);
  if (!e.type) w.FieldI32(5, e.num_children);
  if (e.converted_type) w.FieldI32(6, *e.converted_type);
  EncodeLogicalType(e.logical, w);
  w.EndStruct();
}

void EncodeStatistics(int16_t id, const Statistics& s, ThriftWriter& w) {
  w.BeginStructField(id);
  if (s.null_count) w.FieldI64(3, *s.null_count);
  if (s.max_value) w.FieldBinary(5, *s.max_value);
  if (s.min_value) w.FieldBinary(6, *s.min_value);
  if (s.nan_count) w.FieldI64(9, *s.nan_count);
  w.EndStruct();
}

void EncodeColumnMetaData(const ColumnMetaData& m, ThriftWriter& w) {
  w.BeginStructField(3);
  w.FieldI32(1, static_cast<int32_t>(m.type));
  w.BeginListField(2, ThriftType::kI32, m.encodings.size());
  for (int32_t e : m.encodings) w.ElementI32(e);
  w.BeginListField(3, ThriftType::kBinary, m.path_in_schema.size());
  for (const std::string& p : m.path_in_schema) w.ElementBinary(p);
  w.FieldI32(4, m.codec);
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  w.FieldI64(9, m.data_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  if (m.statistics) EncodeStatistics(12, *m.statistics, w);
  if (!m.encoding_stats.empty()) {
    w.BeginListField(13, ThriftType::kStruct, m.encoding_stats.size());
    for (const PageEncodingStats& s : m.encoding_stats) {
      w.BeginStruct();
      w.FieldI32(1, s.page_type);
      w.FieldI32(2, s.encoding);
      w.FieldI32(3, s.count);
      w.EndStruct();
    }
  }
  w.EndStruct();
}

void EncodeRowGroup(const RowGroup& g, ThriftWriter& w) {
  w.BeginStruct();
  w.BeginListField(1, ThriftType::kStruct, g.columns.size());
  for (const ColumnChunk& c : g.columns) {
    w.BeginStruct();
    if (c.file_path) w.FieldBinary(1, *c.file_path);
    w.FieldI64(2, c.file_offset);
    if (c.meta_data) EncodeColumnMetaData(*c.meta_data, w);
    w.EndStruct();
  }
  w.FieldI64(2, g.total_byte_size);
  w.FieldI64(3, g.num_rows);
  if (g.file_offset) w.FieldI64(5, *g.file_offset);
  if (g.total_compressed_size) w.FieldI64(6, *g.total_compressed_size);
  w.EndStruct();
}

}  // namespace

void EncodeFileMetaData(const FileMetaData& m, std::string* out) {
  ThriftWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, m.version);
  w.BeginListField(2, ThriftType::kStruct, m.schema.size());
  for (const SchemaElement& e : m.schema) EncodeSchemaElement(e, w);
  w.FieldI64(3, m.num_rows);
  w.BeginListField(4, ThriftType::kStruct, m.row_groups.size());
  for (const RowGroup& g : m.row_groups) EncodeRowGroup(g, w);
  if (!m.key_value_metadata.empty()) {
    w.BeginListField(5, ThriftType::kStruct, m.key_value_metadata.size());
    for (const KeyValue& kv : m.key_value_metadata) {
      w.BeginStruct();
      w.FieldBinary(1, kv.key);
      if (kv.value) w.FieldBinary(2, *kv.value);
      w.EndStruct();
    }
  }
  if (!m.created_by.empty()) w.FieldBinary(6, m.created_by);
  if (m.type_defined_orders > 0) {
    // ColumnOrder is a union whose only member is TypeDefinedOrder {}.
    w.BeginListField(7, ThriftType::kStruct, m.type_defined_orders);
    for (int32_t i = 0; i < m.type_defined_orders; ++i) {
      w.BeginStruct();
      w.BeginStructField(1);
      w.EndStruct();
      w.EndStruct();
    }
  }
  w.EndStruct();
}

void EncodePageHeader(const PageHeader& h, std::string* out) {
  ThriftWriter w(out);
  w.BeginStruct();
  w.FieldI32(1, h.type);
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.data_page) {
    const DataPageHeader& d = *h.data_page;
    w.BeginStructField(5);
    w.FieldI32(1, d.num_values);
    w.FieldI32(2, d.encoding);
    w.FieldI32(3, d.definition_level_encoding);
    w.FieldI32(4, d.repetition_level_encoding);
    w.EndStruct();
  }
  if (h.dictionary_page) {
    w.BeginStructField(7);
    w.FieldI32(1, h.dictionary_page->num_values);
    w.FieldI32(2, h.dictionary_page->encoding);
    w.EndStruct();
  }
  if (h.data_page_v2) {
    const DataPageHeaderV2& d = *h.data_page_v2;
    w.BeginStructField(8);
    w.FieldI32(1, d.num_values);
    w.FieldI32(2, d.num_nulls);
    w.FieldI32(3, d.num_rows);
    w.FieldI32(4, d.encoding);
    w.FieldI32(5, d.definition_levels_byte_length);
    w.FieldI32(6, d.repetition_levels_byte_length);
    w.FieldBool(7, d.is_compressed);
    w.EndStruct();
  }
  w.EndStruct();
}

}  // namespace prometheus::parquet::internal

// Reading the metadata structs. Unknown fields, and known fields of an
// unexpected wire type, are skipped, as the thrift spec allows.
#include <utility>

#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/internal/thrift_compact.h"

namespace prometheus::parquet::internal {
namespace {

using T = ThriftType;

bool IsInt(T type) {
  return type == T::kI8 || type == T::kI16 || type == T::kI32 ||
         type == T::kI64;
}
bool IsBool(T type) { return type == T::kTrue || type == T::kFalse; }

// Reads the fields of one struct: `field(id, type)` returns true when it
// consumed the value, and the value is skipped otherwise.
template <typename F>
void ReadStruct(ThriftReader& r, F&& field) {
  r.BeginStruct();
  int16_t id;
  T type;
  while (r.NextField(&id, &type)) {
    if (!field(id, type)) r.Skip(type);
  }
  r.EndStruct();
}

// Reads a list of structs or values with `element(type)` for each element;
// false (and skipped) when the field is not a list.
template <typename F>
bool ReadList(ThriftReader& r, T type, F&& element) {
  if (type != T::kList && type != T::kSet) return false;
  T element_type;
  uint32_t size;
  r.ListHeader(&element_type, &size);
  for (uint32_t i = 0; i < size && r.ok(); ++i) element(element_type);
  return true;
}

int32_t I32(ThriftReader& r) {
  if (r.ok()) return r.ReadI32();
  return 0;
}

void ReadTimeUnit(ThriftReader& r, int32_t* unit) {
  ReadStruct(r, [&](int16_t id, T type) {
    if (type != T::kStruct) return false;
    *unit = id;
    r.Skip(type);  // MilliSeconds {}, MicroSeconds {} or NanoSeconds {}
    return true;
  });
}

void ReadLogicalType(ThriftReader& r, LogicalType* out) {
  ReadStruct(r, [&](int16_t id, T type) {
    if (type != T::kStruct) return false;
    out->kind = id;
    if (id != LogicalType::kTimestamp && id != LogicalType::kTime &&
        id != LogicalType::kInteger) {
      return false;  // skips the (empty or unused) struct
    }
    ReadStruct(r, [&](int16_t field, T t) {
      if (id == LogicalType::kInteger) {
        if (field == 1 && t == T::kI8) return out->bit_width = r.ReadI8(), true;
        if (field == 2 && IsBool(t))
          return out->is_signed = r.FieldBool(t), true;
        return false;
      }
      if (field == 1 && IsBool(t)) {
        out->adjusted_to_utc = r.FieldBool(t);
        return true;
      }
      if (field == 2 && t == T::kStruct) {
        ReadTimeUnit(r, &out->unit);
        return true;
      }
      return false;
    });
    return true;
  });
}

void ReadSchemaElement(ThriftReader& r, SchemaElement* e) {
  ReadStruct(r, [&](int16_t id, T type) {
    switch (id) {
      case 1:
        if (!IsInt(type)) return false;
        e->type = static_cast<PhysicalType>(I32(r));
        return true;
      case 2:
        return IsInt(type) && (e->type_length = I32(r), true);
      case 3:
        if (!IsInt(type)) return false;
        e->repetition = I32(r);
        return true;
      case 4:
        if (type != T::kBinary) return false;
        e->name = r.ReadBinary();
        return true;
      case 5:
        return IsInt(type) && (e->num_children = I32(r), true);
      case 6:
        if (!IsInt(type)) return false;
        e->converted_type = I32(r);
        return true;
      case 7:
        return IsInt(type) && (e->scale = I32(r), true);
      case 8:
        return IsInt(type) && (e->precision = I32(r), true);
      case 10:
        if (type != T::kStruct) return false;
        ReadLogicalType(r, &e->logical);
        return true;
    }
    return false;
  });
}

void ReadStatistics(ThriftReader& r, Statistics* s) {
  ReadStruct(r, [&](int16_t id, T type) {
    if (id == 3 && IsInt(type)) return s->null_count = r.ReadI64(), true;
    if (id == 5 && type == T::kBinary)
      return s->max_value = r.ReadBinary(), true;
    if (id == 6 && type == T::kBinary)
      return s->min_value = r.ReadBinary(), true;
    if (id == 9 && IsInt(type)) return s->nan_count = r.ReadI64(), true;
    return false;
  });
}

void ReadColumnMetaData(ThriftReader& r, ColumnMetaData* m) {
  ReadStruct(r, [&](int16_t id, T type) {
    switch (id) {
      case 1:
        if (!IsInt(type)) return false;
        m->type = static_cast<PhysicalType>(I32(r));
        return true;
      case 2:
        return ReadList(r, type, [&](T) { m->encodings.push_back(I32(r)); });
      case 3:
        return ReadList(r, type, [&](T t) {
          if (t != T::kBinary) return r.Fail("path_in_schema is not strings");
          m->path_in_schema.emplace_back(r.ReadBinary());
        });
      case 4:
        return IsInt(type) && (m->codec = I32(r), true);
      case 5:
        return IsInt(type) && (m->num_values = r.ReadI64(), true);
      case 6:
        return IsInt(type) && (m->total_uncompressed_size = r.ReadI64(), true);
      case 7:
        return IsInt(type) && (m->total_compressed_size = r.ReadI64(), true);
      case 9:
        return IsInt(type) && (m->data_page_offset = r.ReadI64(), true);
      case 11:
        if (!IsInt(type)) return false;
        m->dictionary_page_offset = r.ReadI64();
        return true;
      case 12:
        if (type != T::kStruct) return false;
        ReadStatistics(r, &m->statistics.emplace());
        return true;
      case 13:
        return ReadList(r, type, [&](T t) {
          if (t != T::kStruct) return r.Fail("encoding_stats are not structs");
          PageEncodingStats& s = m->encoding_stats.emplace_back();
          ReadStruct(r, [&](int16_t f, T ft) {
            if (!IsInt(ft)) return false;
            if (f == 1) return s.page_type = I32(r), true;
            if (f == 2) return s.encoding = I32(r), true;
            if (f == 3) return s.count = I32(r), true;
            return false;
          });
        });
    }
    return false;
  });
}

void ReadRowGroup(ThriftReader& r, RowGroup* g) {
  ReadStruct(r, [&](int16_t id, T type) {
    switch (id) {
      case 1:
        return ReadList(r, type, [&](T t) {
          if (t != T::kStruct)
            return r.Fail("row group columns are not structs");
          ColumnChunk& c = g->columns.emplace_back();
          ReadStruct(r, [&](int16_t f, T ft) {
            if (f == 1 && ft == T::kBinary)
              return c.file_path = r.ReadBinary(), true;
            if (f == 2 && IsInt(ft)) return c.file_offset = r.ReadI64(), true;
            if (f == 3 && ft == T::kStruct) {
              ReadColumnMetaData(r, &c.meta_data.emplace());
              return true;
            }
            return false;
          });
        });
      case 2:
        return IsInt(type) && (g->total_byte_size = r.ReadI64(), true);
      case 3:
        return IsInt(type) && (g->num_rows = r.ReadI64(), true);
      case 5:
        if (!IsInt(type)) return false;
        g->file_offset = r.ReadI64();
        return true;
      case 6:
        if (!IsInt(type)) return false;
        g->total_compressed_size = r.ReadI64();
        return true;
    }
    return false;
  });
}

}  // namespace

std::string_view PhysicalTypeName(PhysicalType type) {
  switch (type) {
    case PhysicalType::kBoolean:
      return "BOOLEAN";
    case PhysicalType::kInt32:
      return "INT32";
    case PhysicalType::kInt64:
      return "INT64";
    case PhysicalType::kInt96:
      return "INT96";
    case PhysicalType::kFloat:
      return "FLOAT";
    case PhysicalType::kDouble:
      return "DOUBLE";
    case PhysicalType::kByteArray:
      return "BYTE_ARRAY";
    case PhysicalType::kFixedLenByteArray:
      return "FIXED_LEN_BYTE_ARRAY";
  }
  return "unknown type";
}

std::string_view CodecName(int32_t codec) {
  static constexpr std::string_view kNames[] = {
      "UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
      "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
  if (codec >= 0 && codec < 8) return kNames[codec];
  return "unknown codec";
}

Result<FileMetaData> DecodeFileMetaData(std::string_view bytes) {
  FileMetaData m;
  m.version = 0;
  ThriftReader r(bytes.data(), bytes.size());
  ReadStruct(r, [&](int16_t id, T type) {
    switch (id) {
      case 1:
        return IsInt(type) && (m.version = I32(r), true);
      case 2:
        return ReadList(r, type, [&](T t) {
          if (t != T::kStruct) return r.Fail("schema elements are not structs");
          ReadSchemaElement(r, &m.schema.emplace_back());
        });
      case 3:
        return IsInt(type) && (m.num_rows = r.ReadI64(), true);
      case 4:
        return ReadList(r, type, [&](T t) {
          if (t != T::kStruct) return r.Fail("row groups are not structs");
          ReadRowGroup(r, &m.row_groups.emplace_back());
        });
      case 6:
        if (type != T::kBinary) return false;
        m.created_by = r.ReadBinary();
        return true;
    }
    return false;
  });
  if (!r.ok()) {
    return Fail(ErrorCode::kCorrupt, "corrupt footer metadata at byte {} of {}: {}", r.position(),
                bytes.size(), r.error());
  }
  return m;
}

Result<PageHeader> DecodePageHeader(std::string_view bytes, size_t* size) {
  PageHeader h;
  h.type = -1;
  ThriftReader r(bytes.data(), bytes.size());
  ReadStruct(r, [&](int16_t id, T type) {
    switch (id) {
      case 1:
        return IsInt(type) && (h.type = I32(r), true);
      case 2:
        return IsInt(type) && (h.uncompressed_page_size = I32(r), true);
      case 3:
        return IsInt(type) && (h.compressed_page_size = I32(r), true);
      case 5:
        if (type != T::kStruct) return false;
        ReadStruct(r, [&, &d = h.data_page.emplace()](int16_t f, T t) {
          if (!IsInt(t)) return false;
          if (f == 1) return d.num_values = I32(r), true;
          if (f == 2) return d.encoding = I32(r), true;
          if (f == 3) return d.definition_level_encoding = I32(r), true;
          if (f == 4) return d.repetition_level_encoding = I32(r), true;
          return false;
        });
        return true;
      case 7:
        if (type != T::kStruct) return false;
        ReadStruct(r, [&, &d = h.dictionary_page.emplace()](int16_t f, T t) {
          if (!IsInt(t)) return false;
          if (f == 1) return d.num_values = I32(r), true;
          if (f == 2) return d.encoding = I32(r), true;
          return false;
        });
        return true;
      case 8:
        if (type != T::kStruct) return false;
        ReadStruct(r, [&, &d = h.data_page_v2.emplace()](int16_t f, T t) {
          if (f == 7 && IsBool(t))
            return d.is_compressed = r.FieldBool(t), true;
          if (!IsInt(t)) return false;
          if (f == 1) return d.num_values = I32(r), true;
          if (f == 2) return d.num_nulls = I32(r), true;
          if (f == 3) return d.num_rows = I32(r), true;
          if (f == 4) return d.encoding = I32(r), true;
          if (f == 5) return d.definition_levels_byte_length = I32(r), true;
          if (f == 6) return d.repetition_levels_byte_length = I32(r), true;
          return false;
        });
        return true;
    }
    return false;
  });
  if (!r.ok()) {
    return Fail(ErrorCode::kCorrupt, "corrupt page header at byte {}: {}", r.position(), r.error());
  }
  if (h.uncompressed_page_size < 0 || h.compressed_page_size < 0) {
    return Fail(ErrorCode::kCorrupt, "page header has a negative size");
  }
  *size = r.position();
  return h;
}

}  // namespace prometheus::parquet::internal

#include "prometheus/parquet/internal/parquet_schema.h"

#include <fmt/format.h>

namespace prometheus::parquet::internal {
namespace {

constexpr int kMaxDepth = 64;

constexpr std::string_view kSupported =
    "supported: BOOLEAN; INT32 (plain, INT_8/16/32, UINT_8/16/32, DATE); "
    "INT64 (plain, INT_64, TIMESTAMP millis/micros/nanos); INT96 "
    "timestamps; FLOAT; DOUBLE; BYTE_ARRAY strings (UTF8/STRING, ENUM, "
    "JSON)";

struct Walker {
  const std::vector<SchemaElement>& schema;
  std::vector<Leaf>* leaves;
  size_t next = 1;
  std::vector<std::string> path;

  Status Node(int definition, int repetition, int depth) {
    if (next >= schema.size()) {
      return Fail(ErrorCode::kCorrupt, "schema ends inside a group: {} elements declared",
                  schema.size());
    }
    if (depth > kMaxDepth)
      return Fail(ErrorCode::kCorrupt, "schema nested deeper than {}", kMaxDepth);
    const SchemaElement& e = schema[next++];
    const int32_t rep = e.repetition.value_or(kRequired);
    if (rep == kOptional) ++definition;
    if (rep == kRepeated) ++definition, ++repetition;
    path.push_back(e.name);
    if (e.num_children > 0) {
      if (static_cast<size_t>(e.num_children) > schema.size() - next) {
        return Fail(ErrorCode::kCorrupt, "schema group '{}' claims {} children, {} elements follow",
                    e.name, e.num_children, schema.size() - next);
      }
      for (int32_t i = 0; i < e.num_children; ++i) {
        PROM_TRY(Node(definition, repetition, depth + 1));
      }
    } else if (e.type) {
      const auto type = static_cast<int32_t>(*e.type);
      if (type < 0 || type > 7) {
        return Fail(ErrorCode::kCorrupt, "column '{}' has unknown physical type {}", e.name, type);
      }
      if (*e.type == PhysicalType::kFixedLenByteArray &&
          (e.type_length <= 0 || e.type_length > (1 << 20))) {
        return Fail(ErrorCode::kCorrupt, "column '{}' is FIXED_LEN_BYTE_ARRAY of length {}", e.name,
                    e.type_length);
      }
      Leaf& leaf = leaves->emplace_back();
      leaf.path = path;
      leaf.element = e;
      leaf.max_definition_level = definition;
      leaf.max_repetition_level = repetition;
      leaf.top_level = depth == 1 && rep != kRepeated;
    }
    path.pop_back();
    return Ok();
  }
};

std::string_view UnitName(int32_t unit) {
  switch (unit) {
    case 1:
      return "MILLIS";
    case 2:
      return "MICROS";
    case 3:
      return "NANOS";
  }
  return "?";
}

// The microsecond scaling of an INT64 timestamp, or false when it is not
// one.
bool TimestampScale(const SchemaElement& e, ValueFormat* f) {
  int32_t unit = 0;
  if (e.logical.kind == LogicalType::kTimestamp) {
    unit = e.logical.unit;
  } else if (e.converted_type == kTimestampMillis) {
    unit = 1;
  } else if (e.converted_type == kTimestampMicros) {
    unit = 2;
  }
  if (unit == 1) f->multiply = 1000;
  if (unit == 3) f->divide = 1000;
  return unit >= 1 && unit <= 3;
}

bool IsDecimal(const SchemaElement& e) {
  return e.logical.kind == LogicalType::kDecimal ||
         e.converted_type == kDecimal;
}

}  // namespace

Result<std::vector<Leaf>> SchemaLeaves(
    const std::vector<SchemaElement>& schema) {
  if (schema.empty()) return Fail(ErrorCode::kCorrupt, "schema is empty (no root element)");
  std::vector<Leaf> leaves;
  Walker walker{schema, &leaves, 1, {}};
  for (int32_t i = 0; i < schema[0].num_children; ++i) {
    PROM_TRY(walker.Node(0, 0, 1));
  }
  if (walker.next != schema.size()) {
    return Fail(ErrorCode::kCorrupt, "schema has {} elements, its root's tree covers {}",
                schema.size(), walker.next);
  }
  return leaves;
}

std::string DottedPath(const std::vector<std::string>& path) {
  return fmt::format("{}", fmt::join(path, "."));
}

std::string TypeDescription(const SchemaElement& e) {
  if (!e.type) return "group";
  std::string text(PhysicalTypeName(*e.type));
  if (*e.type == PhysicalType::kFixedLenByteArray) {
    text += fmt::format("({})", e.type_length);
  }
  const LogicalType& l = e.logical;
  if (IsDecimal(e)) {
    text += fmt::format(" DECIMAL({},{})", e.precision, e.scale);
  } else if (l.kind == LogicalType::kTimestamp ||
             l.kind == LogicalType::kTime) {
    text += fmt::format(" {}({}, {})",
                        l.kind == LogicalType::kTime ? "TIME" : "TIMESTAMP",
                        UnitName(l.unit), l.adjusted_to_utc ? "UTC" : "local");
  } else if (l.kind == LogicalType::kInteger) {
    text += fmt::format(" INT({}, {})", l.bit_width,
                        l.is_signed ? "signed" : "unsigned");
  } else if (l.kind == LogicalType::kString) {
    text += " STRING";
  } else if (l.kind == LogicalType::kUuid) {
    text += " UUID";
  } else if (l.kind == LogicalType::kFloat16) {
    text += " FLOAT16";
  } else if (e.converted_type) {
    static constexpr std::string_view kConverted[] = {"UTF8",
                                                      "MAP",
                                                      "MAP_KEY_VALUE",
                                                      "LIST",
                                                      "ENUM",
                                                      "DECIMAL",
                                                      "DATE",
                                                      "TIME_MILLIS",
                                                      "TIME_MICROS",
                                                      "TIMESTAMP_MILLIS",
                                                      "TIMESTAMP_MICROS",
                                                      "UINT_8",
                                                      "UINT_16",
                                                      "UINT_32",
                                                      "UINT_64",
                                                      "INT_8",
                                                      "INT_16",
                                                      "INT_32",
                                                      "INT_64",
                                                      "JSON",
                                                      "BSON",
                                                      "INTERVAL"};
    const int32_t c = *e.converted_type;
    text += " ";
    text += c >= 0 && c < 22 ? kConverted[c] : "unknown";
  } else if (*e.type == PhysicalType::kByteArray) {
    text += " (binary, no string annotation)";
  }
  return text;
}

Result<LeafType> FlatLeafType(const Leaf& leaf) {
  const SchemaElement& e = leaf.element;
  if (!leaf.top_level) {
    return Fail(ErrorCode::kCorrupt,
        "column '{}' is nested (inside a group or repeated); only "
        "flat files of top-level primitive columns can be read as a "
        "table",
        DottedPath(leaf.path));
  }
  LeafType out = AnyLeafType(leaf);
  const int32_t converted = e.converted_type.value_or(-1);
  const LogicalType& l = e.logical;
  bool ok = false;
  switch (*e.type) {
    case PhysicalType::kBoolean:
    case PhysicalType::kFloat:
    case PhysicalType::kDouble:
      ok = l.kind == LogicalType::kNone && converted < 0;
      break;
    case PhysicalType::kInt32:
      ok = !IsDecimal(e) && l.kind != LogicalType::kTime &&
           converted != kTimeMillis &&
           (l.kind == LogicalType::kNone || l.kind == LogicalType::kInteger ||
            l.kind == LogicalType::kDate);
      if (out.format.unsigned32) out.type = ColumnType::kInt64;
      break;
    case PhysicalType::kInt64:
      ok = !IsDecimal(e) && converted != kUint64 && converted != kTimeMicros &&
           l.kind != LogicalType::kTime &&
           !(l.kind == LogicalType::kInteger && !l.is_signed) &&
           (l.kind == LogicalType::kNone || l.kind == LogicalType::kInteger ||
            l.kind == LogicalType::kTimestamp);
      break;
    case PhysicalType::kInt96:
      ok = true;
      break;
    case PhysicalType::kByteArray:
      ok = !IsDecimal(e) &&
           (l.kind == LogicalType::kString || l.kind == LogicalType::kEnum ||
            l.kind == LogicalType::kJson || converted == kUtf8 ||
            converted == kEnum || converted == kJson);
      break;
    case PhysicalType::kFixedLenByteArray:
      ok = false;
      break;
  }
  if (!ok) {
    return Fail(ErrorCode::kCorrupt, "column '{}' has type {}, which Prometheus does not read ({})",
                DottedPath(leaf.path), TypeDescription(e), kSupported);
  }
  return out;
}

LeafType AnyLeafType(const Leaf& leaf) {
  const SchemaElement& e = leaf.element;
  LeafType out;
  out.format.physical = *e.type;
  out.format.type_length = e.type_length;
  switch (*e.type) {
    case PhysicalType::kBoolean:
      out.type = ColumnType::kBoolean;
      break;
    case PhysicalType::kInt32:
      out.type = ColumnType::kInt32;
      out.format.unsigned32 =
          e.converted_type == kUint32 ||
          (e.logical.kind == LogicalType::kInteger && !e.logical.is_signed &&
           e.logical.bit_width == 32);
      if (out.format.unsigned32) out.type = ColumnType::kInt64;
      break;
    case PhysicalType::kInt64:
      out.type = TimestampScale(e, &out.format) ? ColumnType::kTimestamp
                                                : ColumnType::kInt64;
      break;
    case PhysicalType::kInt96:
      out.type = ColumnType::kTimestamp;
      break;
    case PhysicalType::kFloat:
    case PhysicalType::kDouble:
      out.type = ColumnType::kDouble;
      break;
    case PhysicalType::kByteArray:
    case PhysicalType::kFixedLenByteArray:
      out.type = ColumnType::kString;
      break;
  }
  return out;
}

}  // namespace prometheus::parquet::internal

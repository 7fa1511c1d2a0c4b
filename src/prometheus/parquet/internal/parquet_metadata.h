// The Parquet metadata structs we write and read (apache/parquet-format
// parquet.thrift), with their thrift compact encodings. Only the fields a
// flat writer emits or a reader needs are kept; others are skipped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::parquet::internal {

// parquet.thrift enum Type.
enum class PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

std::string_view PhysicalTypeName(PhysicalType type);

// parquet.thrift enum ConvertedType (the values we look at).
enum ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32Converted = 17,
  kInt64Converted = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

enum Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};

std::string_view CodecName(int32_t codec);

enum PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3,
};

// The LogicalType union: `kind` is the id of its one field, 0 when absent.
struct LogicalType {
  enum Kind : int32_t {
    kNone = 0,
    kString = 1,
    kMap = 2,
    kList = 3,
    kEnum = 4,
    kDecimal = 5,
    kDate = 6,
    kTime = 7,
    kTimestamp = 8,
    kInteger = 10,
    kUnknown = 11,
    kJson = 12,
    kBson = 13,
    kUuid = 14,
    kFloat16 = 15,
  };
  int32_t kind = kNone;
  bool adjusted_to_utc = true;  // TIME, TIMESTAMP
  int32_t unit = 0;             // TIME, TIMESTAMP: 1 millis, 2 micros, 3 nanos
  int32_t bit_width = 0;        // INTEGER
  bool is_signed = true;        // INTEGER
};

struct SchemaElement {
  std::optional<PhysicalType> type;  // absent for groups
  int32_t type_length = 0;
  std::optional<int32_t> repetition;
  std::string name;
  int32_t num_children = 0;
  std::optional<int32_t> converted_type;
  int32_t scale = 0;
  int32_t precision = 0;
  LogicalType logical;
};

struct Statistics {
  std::optional<int64_t> null_count;
  std::optional<std::string> min_value;  // PLAIN, no length prefix
  std::optional<std::string> max_value;
  std::optional<int64_t> nan_count;  // FLOAT and DOUBLE only
};

struct PageEncodingStats {
  int32_t page_type = kDataPage;
  int32_t encoding = kPlain;
  int32_t count = 0;
};

struct ColumnMetaData {
  PhysicalType type = PhysicalType::kInt32;
  std::vector<int32_t> encodings;
  std::vector<std::string> path_in_schema;
  int32_t codec = kUncompressed;
  int64_t num_values = 0;
  int64_t total_uncompressed_size = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = 0;
  std::optional<int64_t> dictionary_page_offset;
  std::optional<Statistics> statistics;
  std::vector<PageEncodingStats> encoding_stats;
};

struct ColumnChunk {
  std::optional<std::string> file_path;  // set only for chunks in other files
  int64_t file_offset = 0;
  std::optional<ColumnMetaData> meta_data;
};

struct RowGroup {
  std::vector<ColumnChunk> columns;
  int64_t total_byte_size = 0;
  int64_t num_rows = 0;
  std::optional<int64_t> file_offset;
  std::optional<int64_t> total_compressed_size;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
};

struct FileMetaData {
  int32_t version = 1;
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroup> row_groups;
  std::vector<KeyValue> key_value_metadata;
  std::string created_by;
  // Writers: how many TypeDefinedOrder entries to write (one per leaf).
  int32_t type_defined_orders = 0;
};

struct DataPageHeader {
  int32_t num_values = 0;
  int32_t encoding = kPlain;
  int32_t definition_level_encoding = kRle;
  int32_t repetition_level_encoding = kRle;
};

struct DictionaryPageHeader {
  int32_t num_values = 0;
  int32_t encoding = kPlain;
};

struct DataPageHeaderV2 {
  int32_t num_values = 0;
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  int32_t encoding = kPlain;
  int32_t definition_levels_byte_length = 0;
  int32_t repetition_levels_byte_length = 0;
  bool is_compressed = true;
};

struct PageHeader {
  int32_t type = kDataPage;
  int32_t uncompressed_page_size = 0;
  int32_t compressed_page_size = 0;
  std::optional<DataPageHeader> data_page;
  std::optional<DictionaryPageHeader> dictionary_page;
  std::optional<DataPageHeaderV2> data_page_v2;
};

// Appends the compact encoding of `value` to `out`.
void EncodeFileMetaData(const FileMetaData& value, std::string* out);
void EncodePageHeader(const PageHeader& value, std::string* out);

// Decodes a FileMetaData from exactly the footer bytes. The error says
// what was wrong and where, without a file name.
Result<FileMetaData> DecodeFileMetaData(std::string_view bytes);

// Decodes a PageHeader from the start of `bytes`; `*size` gets the number
// of bytes the header took.
Result<PageHeader> DecodePageHeader(std::string_view bytes, size_t* size);

}  // namespace prometheus::parquet::internal

// The compact protocol against the byte sequences of
// apache/thrift doc/specs/thrift-compact-protocol.md, and the Parquet
// metadata structs through it.
#include "prometheus/parquet/internal/thrift_compact.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "prometheus/parquet/internal/parquet_metadata.h"
#include "prometheus/parquet/internal/parquet_testing.h"

namespace prometheus::parquet::internal {
namespace {

TEST(ThriftCompactTest, VarintMatchesTheSpecExample) {
  std::string out;
  ThriftWriter w(&out);
  w.Varint(50399);
  EXPECT_EQ(out, Bytes({0xDF, 0x89, 0x03}));
  ThriftReader r(out.data(), out.size());
  EXPECT_EQ(r.Varint(), 50399u);
  EXPECT_TRUE(r.ok());
}

TEST(ThriftCompactTest, ZigZagFoldsSignsAsTheSpecSays) {
  // "When we read 0, 1, 2, 3, 4 or 5 from the wire, this is translated to
  // 0, -1, 1, -2 or 2 respectively."
  const int64_t decoded[] = {0, -1, 1, -2, 2, -3};
  for (uint64_t wire = 0; wire < 6; ++wire) {
    EXPECT_EQ(UnZigZag(wire), decoded[wire]);
    EXPECT_EQ(ZigZag(decoded[wire]), wire);
  }
  EXPECT_EQ(UnZigZag(ZigZag(INT64_MIN)), INT64_MIN);
  EXPECT_EQ(UnZigZag(ZigZag(INT64_MAX)), INT64_MAX);
}

TEST(ThriftCompactTest, FieldHeadersUseShortFormForDeltasUpTo15) {
  std::string out;
  ThriftWriter w(&out);
  w.BeginStruct();
  w.FieldI32(1, 1);          // delta 1, type I32 (5): 0x15, zigzag 1 = 2
  w.FieldI64(16, -1);        // delta 15, the last short one: 0xF6
  w.FieldBool(33, true);     // delta 17: long form, type TRUE (1), zigzag 33
  w.FieldBool(34, false);    // bools live in the header: FALSE = 2
  w.FieldBinary(35, "abc");  // BINARY = 8, varint length, bytes
  w.EndStruct();             // stop byte
  EXPECT_EQ(out, Bytes({0x15, 0x02, 0xF6, 0x01, 0x01, 0x42, 0x12, 0x18, 0x03,
                        'a', 'b', 'c', 0x00}));
  ThriftReader r(out.data(), out.size());
  r.BeginStruct();
  int16_t id;
  ThriftType type;
  ASSERT_TRUE(r.NextField(&id, &type));
  EXPECT_EQ(r.ReadI32(), 1);
  ASSERT_TRUE(r.NextField(&id, &type));
  EXPECT_EQ(id, 16);
  EXPECT_EQ(r.ReadI64(), -1);
  ASSERT_TRUE(r.NextField(&id, &type));
  EXPECT_EQ(id, 33);
  EXPECT_TRUE(r.FieldBool(type));
  ASSERT_TRUE(r.NextField(&id, &type));
  EXPECT_EQ(id, 34);
  EXPECT_FALSE(r.FieldBool(type));
  ASSERT_TRUE(r.NextField(&id, &type));
  EXPECT_EQ(r.ReadBinary(), "abc");
  EXPECT_FALSE(r.NextField(&id, &type));
  EXPECT_TRUE(r.ok());
}

TEST(ThriftCompactTest, ListHeadersUseShortFormBelow15Elements) {
  std::string out;
  ThriftWriter w(&out);
  w.ListHeader(ThriftType::kI32, 3);      // 0011 0101
  w.ListHeader(ThriftType::kBinary, 14);  // 1110 1000
  w.ListHeader(ThriftType::kStruct, 20);  // 1111 1100, then varint 20
  EXPECT_EQ(out, Bytes({0x35, 0xE8, 0xFC, 0x14}));
  ThriftType type;
  uint32_t size;
  out += std::string(40, '\0');  // room for the sizes the headers claim
  ThriftReader padded(out.data(), out.size());
  padded.ListHeader(&type, &size);
  EXPECT_EQ(type, ThriftType::kI32);
  EXPECT_EQ(size, 3u);
  padded.ListHeader(&type, &size);
  EXPECT_EQ(size, 14u);
  padded.ListHeader(&type, &size);
  EXPECT_EQ(type, ThriftType::kStruct);
  EXPECT_EQ(size, 20u);
  EXPECT_TRUE(padded.ok());
}

TEST(ThriftCompactTest, RoundTripsNestedStructsAndSkipsUnknownFields) {
  std::string out;
  ThriftWriter w(&out);
  w.BeginStruct();
  w.FieldI32(1, -123456);
  w.BeginStructField(2);  // a nested struct the reader does not know
  w.BeginListField(1, ThriftType::kStruct, 2);
  for (int i = 0; i < 2; ++i) {
    w.BeginStruct();
    w.FieldBinary(1, "x");
    w.FieldDouble(40, 2.5);  // long-form id inside a list element
    w.EndStruct();
  }
  w.BeginListField(2, ThriftType::kTrue, 3);
  w.ElementBool(true);
  w.ElementBool(false);
  w.ElementBool(true);
  w.EndStruct();
  w.FieldI64(3, INT64_MIN);
  w.FieldBinary(300, std::string(200, 'z'));
  w.EndStruct();

  ThriftReader r(out.data(), out.size());
  r.BeginStruct();
  int16_t id;
  ThriftType type;
  std::vector<int16_t> ids;
  while (r.NextField(&id, &type)) {
    ids.push_back(id);
    if (id == 1) {
      EXPECT_EQ(type, ThriftType::kI32);
      EXPECT_EQ(r.ReadI32(), -123456);
    } else if (id == 3) {
      EXPECT_EQ(r.ReadI64(), INT64_MIN);
    } else if (id == 300) {
      EXPECT_EQ(r.ReadBinary(), std::string(200, 'z'));
    } else {
      r.Skip(type);
    }
  }
  r.EndStruct();
  EXPECT_TRUE(r.ok()) << r.error();
  EXPECT_EQ(ids, (std::vector<int16_t>{1, 2, 3, 300}));
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, CorruptInputFailsWithoutReadingPastTheEnd) {
  // A struct that never stops.
  std::string unterminated = Bytes({0x15, 0x02});
  ThriftReader a(unterminated.data(), unterminated.size());
  a.Skip(ThriftType::kStruct);
  EXPECT_FALSE(a.ok());

  // A list claiming more elements than there are bytes.
  std::string long_list = Bytes({0xF5, 0xFF, 0xFF, 0xFF, 0x7F, 0x02});
  ThriftReader b(long_list.data(), long_list.size());
  b.Skip(ThriftType::kList);
  EXPECT_FALSE(b.ok());
  EXPECT_STREQ(b.error(), "list longer than the bytes left");

  // A binary longer than the input.
  std::string long_binary = Bytes({0x10, 'a'});
  ThriftReader c(long_binary.data(), long_binary.size());
  EXPECT_EQ(c.ReadBinary(), "");
  EXPECT_FALSE(c.ok());

  // Structs nested past any sane depth.
  std::string deep(10000, static_cast<char>(0x1C));  // field 1, STRUCT
  ThriftReader d(deep.data(), deep.size());
  d.Skip(ThriftType::kStruct);
  EXPECT_FALSE(d.ok());

  // An endless varint.
  std::string varint(20, static_cast<char>(0xFF));
  ThriftReader e(varint.data(), varint.size());
  e.Varint();
  EXPECT_FALSE(e.ok());
}

FileMetaData SampleMetaData() {
  FileMetaData m;
  m.schema.push_back({.name = "schema", .num_children = 2});
  SchemaElement ts;
  ts.type = PhysicalType::kInt64;
  ts.repetition = kOptional;
  ts.name = "ts";
  ts.converted_type = kTimestampMicros;
  ts.logical.kind = LogicalType::kTimestamp;
  ts.logical.unit = 2;
  m.schema.push_back(ts);
  SchemaElement s;
  s.type = PhysicalType::kByteArray;
  s.repetition = kRequired;
  s.name = "name";
  s.converted_type = kUtf8;
  s.logical.kind = LogicalType::kString;
  m.schema.push_back(s);
  m.num_rows = 1234567890123;
  RowGroup& g = m.row_groups.emplace_back();
  g.num_rows = 1234567890123;
  g.total_byte_size = 99;
  for (const char* name : {"ts", "name"}) {
    ColumnMetaData c;
    c.type = PhysicalType::kInt64;
    c.encodings = {kPlain, kRle};
    c.path_in_schema = {name};
    c.codec = kZstd;
    c.num_values = 7;
    c.data_page_offset = 4;
    c.dictionary_page_offset = 4;
    c.statistics = Statistics{3, std::string("\x01", 1), "zz", 0};
    g.columns.push_back({std::nullopt, 0, c});
  }
  m.created_by = "prometheus version 0.1.0 (build local)";
  m.type_defined_orders = 2;
  return m;
}

TEST(ParquetMetadataTest, FileMetaDataRoundTrips) {
  std::string bytes;
  EncodeFileMetaData(SampleMetaData(), &bytes);
  auto m = DecodeFileMetaData(bytes);
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ(m->version, 1);
  ASSERT_EQ(m->schema.size(), 3u);
  EXPECT_EQ(m->schema[0].num_children, 2);
  EXPECT_EQ(m->schema[1].name, "ts");
  EXPECT_EQ(m->schema[1].logical.kind, LogicalType::kTimestamp);
  EXPECT_EQ(m->schema[1].logical.unit, 2);
  EXPECT_TRUE(m->schema[1].logical.adjusted_to_utc);
  EXPECT_EQ(m->schema[2].converted_type, kUtf8);
  EXPECT_EQ(m->schema[2].repetition, kRequired);
  EXPECT_EQ(m->num_rows, 1234567890123);
  ASSERT_EQ(m->row_groups.size(), 1u);
  ASSERT_EQ(m->row_groups[0].columns.size(), 2u);
  const ColumnMetaData& c = *m->row_groups[0].columns[1].meta_data;
  EXPECT_EQ(c.path_in_schema, std::vector<std::string>{"name"});
  EXPECT_EQ(c.codec, kZstd);
  EXPECT_EQ(c.encodings, (std::vector<int32_t>{kPlain, kRle}));
  EXPECT_EQ(c.statistics->null_count, 3);
  EXPECT_EQ(c.statistics->max_value, "zz");
  EXPECT_EQ(m->created_by, "prometheus version 0.1.0 (build local)");
}

TEST(ParquetMetadataTest, PageHeaderRoundTrips) {
  PageHeader h;
  h.type = kDataPageV2;
  h.uncompressed_page_size = 1 << 20;
  h.compressed_page_size = 12345;
  h.data_page_v2 = DataPageHeaderV2{100, 3, 100, kRleDictionary, 7, 0, false};
  std::string bytes;
  EncodePageHeader(h, &bytes);
  bytes += "page body";
  size_t size = 0;
  auto decoded = DecodePageHeader(bytes, &size);
  ASSERT_TRUE(decoded) << decoded.error().message;
  EXPECT_EQ(size, bytes.size() - 9);
  EXPECT_EQ(decoded->compressed_page_size, 12345);
  ASSERT_TRUE(decoded->data_page_v2);
  EXPECT_EQ(decoded->data_page_v2->num_nulls, 3);
  EXPECT_EQ(decoded->data_page_v2->encoding, kRleDictionary);
  EXPECT_FALSE(decoded->data_page_v2->is_compressed);
}

TEST(ParquetMetadataTest, RandomDamageNeverCrashesTheDecoder) {
  std::string good;
  EncodeFileMetaData(SampleMetaData(), &good);
  std::mt19937 random(42);
  int failures = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string bad = good;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int f = 0; f < flips; ++f) {
      bad[random() % bad.size()] = static_cast<char>(random());
    }
    if (random() % 3 == 0) bad.resize(random() % bad.size());
    failures += !DecodeFileMetaData(bad).has_value();
  }
  EXPECT_GT(failures, 0);  // some damage must be detected
}

}  // namespace
}  // namespace prometheus::parquet::internal

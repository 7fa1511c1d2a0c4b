// Thrift's compact protocol, the encoding of every Parquet metadata struct
// (apache/thrift doc/specs/thrift-compact-protocol.md). Only what Parquet
// needs: structs, lists, integers, binary and booleans; maps and sets are
// skipped when read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace prometheus::parquet::internal {

// The 4-bit type ids of field headers and list headers.
enum class ThriftType : uint8_t {
  kStop = 0,
  kTrue = 1,  // a bool field whose value is true; in lists, any bool
  kFalse = 2,
  kI8 = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
  kUuid = 13,
};

uint64_t ZigZag(int64_t value);
int64_t UnZigZag(uint64_t value);

// Appends the compact encoding of nested structs to a string. Every
// BeginStruct (or BeginStructField / list element struct) needs its
// EndStruct; field ids must be written in increasing order within a struct
// for the short header form (any order still decodes).
//
// REQUIRES: `out` outlives the writer.
class ThriftWriter {
 public:
  explicit ThriftWriter(std::string* out) : out_(out) {}

  // A struct at the top level or as a list element.
  void BeginStruct();
  void EndStruct();

  void FieldBool(int16_t id, bool value);
  void FieldI32(int16_t id, int32_t value);
  void FieldI64(int16_t id, int64_t value);
  void FieldDouble(int16_t id, double value);
  void FieldBinary(int16_t id, std::string_view value);
  void BeginStructField(int16_t id);  // ended by EndStruct
  void BeginListField(int16_t id, ThriftType element, uint32_t size);

  // List elements, after BeginListField or ListHeader.
  void ListHeader(ThriftType element, uint32_t size);
  void ElementBool(bool value);
  void ElementI32(int32_t value);
  void ElementI64(int64_t value);
  void ElementBinary(std::string_view value);

  void Varint(uint64_t value);

 private:
  void FieldHeader(int16_t id, ThriftType type);

  static constexpr int kMaxDepth = 32;
  std::string* out_;
  int16_t last_id_[kMaxDepth] = {};
  int depth_ = 0;
};

// Decodes compact-protocol bytes. Errors are sticky: after the first one
// every read returns zero or empty and NextField returns false, so decoding
// loops end by themselves; check ok() when done.
//
// REQUIRES: the bytes outlive the reader and every string_view it returns.
class ThriftReader {
 public:
  ThriftReader(const void* data, size_t size)
      : begin_(static_cast<const uint8_t*>(data)),
        at_(begin_),
        end_(begin_ + size) {}

  void BeginStruct();
  void EndStruct();
  // Reads the next field header of the current struct into `id` and
  // `type`; false at its stop byte or after an error.
  bool NextField(int16_t* id, ThriftType* type);

  int8_t ReadI8();
  int32_t ReadI32();  // also i16 and enum values
  int64_t ReadI64();
  double ReadDouble();
  std::string_view ReadBinary();
  // The value of a bool field, carried by its header type.
  bool FieldBool(ThriftType type) { return type == ThriftType::kTrue; }
  bool ElementBool();
  // Reads a list or set header; `size` is at most the bytes left, since
  // every element takes at least one byte.
  void ListHeader(ThriftType* element, uint32_t* size);

  // Skips one value of `type`, nested structs and containers included.
  void Skip(ThriftType type);

  uint64_t Varint();

  bool ok() const { return error_ == nullptr; }
  const char* error() const { return error_ ? error_ : ""; }
  size_t position() const { return static_cast<size_t>(at_ - begin_); }
  size_t remaining() const { return static_cast<size_t>(end_ - at_); }
  // Fails with `message` (a string literal) unless already failed.
  void Fail(const char* message);

 private:
  void SkipDepth(ThriftType type, int depth);

  static constexpr int kMaxDepth = 64;
  const uint8_t* begin_;
  const uint8_t* at_;
  const uint8_t* end_;
  int16_t last_id_[kMaxDepth] = {};
  int depth_ = 0;
  const char* error_ = nullptr;
};

}  // namespace prometheus::parquet::internal

#include "prometheus/parquet/internal/thrift_compact.h"

#include <cstring>

namespace prometheus::parquet::internal {

uint64_t ZigZag(int64_t value) {
  return (static_cast<uint64_t>(value) << 1) ^
         static_cast<uint64_t>(value >> 63);
}

int64_t UnZigZag(uint64_t value) {
  return static_cast<int64_t>(value >> 1) ^ -static_cast<int64_t>(value & 1);
}

// ---------------------------------------------------------------- writer

void ThriftWriter::Varint(uint64_t value) {
  char bytes[10];
  int n = 0;
  while (value >= 0x80) {
    bytes[n++] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  bytes[n++] = static_cast<char>(value);
  out_->append(bytes, n);
}

void ThriftWriter::BeginStruct() {
  // Deeper nesting than kMaxDepth is a programming error; clamp so the
  // output stays decodable rather than writing out of bounds.
  if (depth_ + 1 < kMaxDepth) ++depth_;
  last_id_[depth_] = 0;
}

void ThriftWriter::EndStruct() {
  out_->push_back('\0');
  if (depth_ > 0) --depth_;
}

void ThriftWriter::FieldHeader(int16_t id, ThriftType type) {
  const int delta = id - last_id_[depth_];
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<int>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    Varint(ZigZag(id));
  }
  last_id_[depth_] = id;
}

void ThriftWriter::FieldBool(int16_t id, bool value) {
  FieldHeader(id, value ? ThriftType::kTrue : ThriftType::kFalse);
}

void ThriftWriter::FieldI32(int16_t id, int32_t value) {
  FieldHeader(id, ThriftType::kI32);
  Varint(ZigZag(value));
}

void ThriftWriter::FieldI64(int16_t id, int64_t value) {
  FieldHeader(id, ThriftType::kI64);
  Varint(ZigZag(value));
}

void ThriftWriter::FieldDouble(int16_t id, double value) {
  FieldHeader(id, ThriftType::kDouble);
  char bytes[8];
  std::memcpy(bytes, &value, 8);  // little-endian, as the spec requires
  out_->append(bytes, 8);
}

void ThriftWriter::FieldBinary(int16_t id, std::string_view value) {
  FieldHeader(id, ThriftType::kBinary);
  ElementBinary(value);
}

void ThriftWriter::BeginStructField(int16_t id) {
  FieldHeader(id, ThriftType::kStruct);
  BeginStruct();
}

void ThriftWriter::BeginListField(int16_t id, ThriftType element,
                                  uint32_t size) {
  FieldHeader(id, ThriftType::kList);
  ListHeader(element, size);
}

void ThriftWriter::ListHeader(ThriftType element, uint32_t size) {
  if (size < 15) {
    out_->push_back(static_cast<char>((size << 4) | static_cast<int>(element)));
  } else {
    out_->push_back(static_cast<char>(0xf0 | static_cast<int>(element)));
    Varint(size);
  }
}

void ThriftWriter::ElementBool(bool value) { out_->push_back(value ? 1 : 0); }

void ThriftWriter::ElementI32(int32_t value) { Varint(ZigZag(value)); }

void ThriftWriter::ElementI64(int64_t value) { Varint(ZigZag(value)); }

void ThriftWriter::ElementBinary(std::string_view value) {
  Varint(value.size());
  out_->append(value);
}

// ---------------------------------------------------------------- reader

void ThriftReader::Fail(const char* message) {
  if (error_ == nullptr) error_ = message;
  at_ = end_;
}

uint64_t ThriftReader::Varint() {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at_ == end_) {
      Fail("truncated varint");
      return 0;
    }
    const uint8_t byte = *at_++;
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  Fail("varint longer than 10 bytes");
  return 0;
}

void ThriftReader::BeginStruct() {
  if (depth_ + 1 >= kMaxDepth) {
    Fail("structs nested too deeply");
    return;
  }
  last_id_[++depth_] = 0;
}

void ThriftReader::EndStruct() {
  if (depth_ > 0) --depth_;
}

bool ThriftReader::NextField(int16_t* id, ThriftType* type) {
  if (at_ == end_) {
    Fail("struct ends without a stop byte");
    return false;
  }
  const uint8_t byte = *at_++;
  if (byte == 0) return false;
  *type = static_cast<ThriftType>(byte & 0x0f);
  const int delta = byte >> 4;
  if (delta != 0) {
    *id = static_cast<int16_t>(last_id_[depth_] + delta);
  } else {
    *id = static_cast<int16_t>(UnZigZag(Varint()));
  }
  last_id_[depth_] = *id;
  return ok();
}

int8_t ThriftReader::ReadI8() {
  if (at_ == end_) {
    Fail("truncated i8");
    return 0;
  }
  return static_cast<int8_t>(*at_++);
}

int32_t ThriftReader::ReadI32() {
  const int64_t value = UnZigZag(Varint());
  if (value < INT32_MIN || value > INT32_MAX) {
    Fail("i32 out of range");
    return 0;
  }
  return static_cast<int32_t>(value);
}

int64_t ThriftReader::ReadI64() { return UnZigZag(Varint()); }

double ThriftReader::ReadDouble() {
  if (remaining() < 8) {
    Fail("truncated double");
    return 0;
  }
  double value;
  std::memcpy(&value, at_, 8);
  at_ += 8;
  return value;
}

std::string_view ThriftReader::ReadBinary() {
  const uint64_t size = Varint();
  if (size > remaining()) {
    Fail("binary longer than the bytes left");
    return {};
  }
  std::string_view value(reinterpret_cast<const char*>(at_), size);
  at_ += size;
  return value;
}

bool ThriftReader::ElementBool() { return ReadI8() == 1; }

void ThriftReader::ListHeader(ThriftType* element, uint32_t* size) {
  *element = ThriftType::kStop;
  *size = 0;
  if (at_ == end_) {
    Fail("truncated list header");
    return;
  }
  const uint8_t byte = *at_++;
  *element = static_cast<ThriftType>(byte & 0x0f);
  uint64_t n = byte >> 4;
  if (n == 15) n = Varint();
  if (n > remaining()) {
    Fail("list longer than the bytes left");
    return;
  }
  *size = static_cast<uint32_t>(n);
}

void ThriftReader::Skip(ThriftType type) { SkipDepth(type, 0); }

void ThriftReader::SkipDepth(ThriftType type, int depth) {
  if (depth > kMaxDepth) {
    Fail("values nested too deeply");
    return;
  }
  switch (type) {
    case ThriftType::kTrue:
    case ThriftType::kFalse:
      return;  // a field bool lives in its header
    case ThriftType::kI8:
      ReadI8();
      return;
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64:
      Varint();
      return;
    case ThriftType::kDouble:
      ReadDouble();
      return;
    case ThriftType::kBinary:
      ReadBinary();
      return;
    case ThriftType::kUuid:
      if (remaining() < 16) Fail("truncated uuid");
      at_ += remaining() < 16 ? remaining() : 16;
      return;
    case ThriftType::kList:
    case ThriftType::kSet: {
      ThriftType element;
      uint32_t size;
      ListHeader(&element, &size);
      for (uint32_t i = 0; i < size && ok(); ++i) {
        // In containers a bool is one byte, whichever bool type id is used.
        if (element == ThriftType::kTrue || element == ThriftType::kFalse) {
          ReadI8();
        } else {
          SkipDepth(element, depth + 1);
        }
      }
      return;
    }
    case ThriftType::kMap: {
      const uint64_t size = Varint();
      if (size == 0) return;
      if (size > remaining()) {
        Fail("map longer than the bytes left");
        return;
      }
      const uint8_t types = static_cast<uint8_t>(ReadI8());
      const auto key = static_cast<ThriftType>(types >> 4);
      const auto value = static_cast<ThriftType>(types & 0x0f);
      for (uint64_t i = 0; i < size && ok(); ++i) {
        for (ThriftType t : {key, value}) {
          if (t == ThriftType::kTrue || t == ThriftType::kFalse) {
            ReadI8();
          } else {
            SkipDepth(t, depth + 1);
          }
        }
      }
      return;
    }
    case ThriftType::kStruct: {
      BeginStruct();
      int16_t id;
      ThriftType field;
      while (NextField(&id, &field)) SkipDepth(field, depth + 1);
      EndStruct();
      return;
    }
    case ThriftType::kStop:
      break;
  }
  Fail("unknown thrift type");
}

}  // namespace prometheus::parquet::internal

// Small helpers for reading Spark's JSON with simdjson On-Demand, shared by
// the event decoders. Everything returns simdjson error codes: this is the
// per-event hot path, where Result<T> and exceptions would cost.
#pragma once

#include <simdjson.h>

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace prometheus::events {

#define PROM_JSON_TRY(expr)                                 \
  do {                                                      \
    if (simdjson::error_code prom_json_error_ = (expr);     \
        prom_json_error_ != simdjson::SUCCESS) {            \
      return prom_json_error_;                              \
    }                                                       \
  } while (false)

// Unpacks one object field into `key` (raw, unescaped) and `v`.
#define PROM_JSON_FIELD(field_result, key_name, value_name)           \
  simdjson::ondemand::field prom_field_;                              \
  PROM_JSON_TRY(std::move(field_result).get(prom_field_));            \
  simdjson::ondemand::raw_json_string key_name = prom_field_.key();   \
  simdjson::ondemand::value& value_name = prom_field_.value()

// Compares a raw key with a name that has no escapes; Spark's keys have none.
inline bool Is(simdjson::ondemand::raw_json_string key, std::string_view name) {
  return key.unsafe_is_equal(name);
}

// The slow path of ReadInt, for values that are not plain integers.
inline simdjson::error_code ReadIntOfAnyType(simdjson::ondemand::value& v,
                                             int64_t& out) {
  simdjson::ondemand::json_type type;
  PROM_JSON_TRY(v.type().get(type));
  switch (type) {
    case simdjson::ondemand::json_type::number: {
      double d;
      PROM_JSON_TRY(v.get_double().get(d));
      // Converting a double beyond int64 (or NaN) is undefined behaviour.
      if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0)) {
        return simdjson::NUMBER_OUT_OF_RANGE;
      }
      out = static_cast<int64_t>(d);
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      PROM_JSON_TRY(v.get_string().get(s));
      auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
      if (ec != std::errc() || ptr != s.data() + s.size()) {
        return simdjson::INCORRECT_TYPE;
      }
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::null:
      out = 0;
      return simdjson::SUCCESS;
    default:
      return simdjson::INCORRECT_TYPE;
  }
}

// Reads an integer written as a number (possibly fractional), a numeric
// string, or null (0). Other types are an error. A failed get_int64 leaves
// the value unconsumed, so the slow path can look again.
inline simdjson::error_code ReadInt(simdjson::ondemand::value& v,
                                    int64_t& out) {
  if (v.get_int64().get(out) == simdjson::SUCCESS) return simdjson::SUCCESS;
  return ReadIntOfAnyType(v, out);
}

// Like ReadInt, but a value that is not a number is skipped: returns false.
inline bool ReadIntIfNumeric(simdjson::ondemand::value& v, int64_t& out) {
  simdjson::ondemand::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS) return false;
  if (type != simdjson::ondemand::json_type::number &&
      type != simdjson::ondemand::json_type::string) {
    return false;
  }
  return ReadInt(v, out) == simdjson::SUCCESS;
}

inline bool IsObject(simdjson::ondemand::value& v,
                     simdjson::ondemand::object& out) {
  simdjson::ondemand::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS ||
      type != simdjson::ondemand::json_type::object) {
    return false;
  }
  return v.get_object().get(out) == simdjson::SUCCESS;
}

inline bool IsArray(simdjson::ondemand::value& v,
                    simdjson::ondemand::array& out) {
  simdjson::ondemand::json_type type;
  if (v.type().get(type) != simdjson::SUCCESS ||
      type != simdjson::ondemand::json_type::array) {
    return false;
  }
  return v.get_array().get(out) == simdjson::SUCCESS;
}

// Copies a string value; a null or non-string value reads as "".
inline simdjson::error_code ReadString(simdjson::ondemand::value& v,
                                       std::string& out) {
  simdjson::ondemand::json_type type;
  PROM_JSON_TRY(v.type().get(type));
  if (type == simdjson::ondemand::json_type::string) {
    std::string_view s;
    PROM_JSON_TRY(v.get_string().get(s));
    out.assign(s);
  } else if (type == simdjson::ondemand::json_type::number ||
             type == simdjson::ondemand::json_type::boolean) {
    std::string_view raw = v.raw_json_token();
    while (!raw.empty() && (raw.back() == ' ' || raw.back() == ',' ||
                            raw.back() == '}' || raw.back() == ']')) {
      raw.remove_suffix(1);
    }
    out.assign(raw);
  } else {
    out.clear();
  }
  return simdjson::SUCCESS;
}

}  // namespace prometheus::events

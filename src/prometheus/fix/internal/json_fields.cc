#include "prometheus/fix/internal/json_fields.h"

#include <cstdint>

namespace prometheus::fix::internal {

Result<std::optional<std::string>> OptionalString(const Json& record,
                                                  const char* key) {
  auto it = record.find(key);
  if (it == record.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return Fail(ErrorCode::kInvalidArgument,
                "fix.{}: expected a string, found {}", key, it->type_name());
  }
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> RequiredString(const Json& record, const char* key) {
  PROM_ASSIGN_OR_RETURN(auto text, OptionalString(record, key));
  if (!text) return Fail(ErrorCode::kInvalidArgument, "fix.{}: missing", key);
  return *text;
}

Result<int64_t> PositiveInteger(const Json& record, const char* key,
                                int64_t fallback) {
  auto it = record.find(key);
  if (it == record.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "fix.{}: expected a positive integer, found {}", key,
                it->dump());
  }
  return it->get<int64_t>();
}

std::vector<std::string> Strings(const Json& record, const char* key) {
  std::vector<std::string> out;
  auto it = record.find(key);
  if (it == record.end() || !it->is_array()) return out;
  for (const auto& element : *it) {
    if (element.is_string()) out.push_back(element.get<std::string>());
  }
  return out;
}

std::string TextOrEmpty(const Json& record, const char* key) {
  auto it = record.find(key);
  return it != record.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<std::optional<CallSite>> ReadCallSite(const Json& record) {
  auto it = record.find("call_site");
  if (it == record.end() || it->is_null()) return std::optional<CallSite>();
  if (!it->is_object()) {
    return Fail(ErrorCode::kInvalidArgument,
                "fix.call_site: expected an object");
  }
  auto file = it->find("file");
  if (file == it->end() || file->is_null()) {
    return Fail(ErrorCode::kInvalidArgument, "fix.call_site.file: missing");
  }
  if (!file->is_string()) {
    return Fail(ErrorCode::kInvalidArgument,
                "fix.call_site.file: expected a string, found {}",
                file->type_name());
  }
  CallSite site{file->get<std::string>(), std::nullopt};
  auto line = it->find("line");
  if (line == it->end() || line->is_null()) return std::optional(site);
  if (!line->is_number_unsigned() || line->get<uint64_t>() == 0 ||
      line->get<uint64_t>() > UINT32_MAX) {
    return Fail(ErrorCode::kInvalidArgument,
                "fix.call_site.line: expected a line number, found {}",
                line->dump());
  }
  site.line = line->get<int64_t>();
  return std::optional(site);
}

Json Nullable(const std::optional<std::string>& text) {
  return text ? Json(*text) : Json(nullptr);
}

}  // namespace prometheus::fix::internal

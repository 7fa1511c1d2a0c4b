#include "prometheus/rewrite/fix_request.h"

namespace prometheus::rewrite {
namespace {

using nlohmann::json;

// "" when absent or null; fails on another type than a string.
Result<std::string> TextField(const json& record, const char* key) {
  auto it = record.find(key);
  if (it == record.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Fail(ErrorCode::kInvalidArgument,
                "recommendation.{}: expected a string, found {}", key,
                it->type_name());
  }
  return it->get<std::string>();
}

}  // namespace

Result<FixRequest> ReadFixRequest(const json& recommendation) {
  if (!recommendation.is_object()) {
    return Fail(ErrorCode::kInvalidArgument,
                "expected a recommendation object");
  }
  FixRequest request;
  PROM_ASSIGN_OR_RETURN(request.id, TextField(recommendation, "id"));
  PROM_ASSIGN_OR_RETURN(request.rule, TextField(recommendation, "rule"));
  auto fix_it = recommendation.find("fix");
  if (fix_it == recommendation.end() || !fix_it->is_object()) {
    return Fail(ErrorCode::kInvalidArgument,
                "recommendation {}: fix: expected an object", request.id);
  }
  PROM_ASSIGN_OR_RETURN(request.fix, fix::Read(fix::Json(*fix_it)));
  return request;
}

FixRequest UnreadableRequest(const json& recommendation) {
  FixRequest request;
  json id = recommendation.value("id", json());
  request.id = id.is_string() ? id.get<std::string>() : "";
  request.fix = fix::Unreadable(fix::Json(recommendation.value("fix", json())));
  return request;
}

}  // namespace prometheus::rewrite

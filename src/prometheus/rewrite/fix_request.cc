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

JobAnchors ReadAnchors(const json& recommendation) {
  JobAnchors anchors;
  auto scope = recommendation.find("scope");
  if (scope == recommendation.end() || !scope->is_object()) return anchors;
  if (auto entry = scope->find("entry_point");
      entry != scope->end() && entry->is_string()) {
    anchors.entry_point = entry->get<std::string>();
  }
  auto sites = scope->find("call_sites");
  if (sites == scope->end() || !sites->is_array()) return anchors;
  for (const json& site : *sites) {
    if (!site.is_object()) continue;
    auto file = site.find("file");
    if (file == site.end() || !file->is_string()) continue;
    fix::CallSite read{file->get<std::string>(), std::nullopt};
    if (auto line = site.find("line");
        line != site.end() && line->is_number_integer()) {
      read.line = line->get<int64_t>();
    }
    anchors.call_sites.push_back(std::move(read));
  }
  return anchors;
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
  request.anchors = ReadAnchors(recommendation);
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

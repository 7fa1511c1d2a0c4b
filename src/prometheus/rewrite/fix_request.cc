#include "prometheus/rewrite/fix_request.h"

#include <fmt/format.h>

namespace prometheus::rewrite {
namespace {

using nlohmann::json;

// A string field: absent or null gives nullopt, another type fails.
Result<std::optional<std::string>> OptionalString(const json& object,
                                                  const char* key,
                                                  std::string_view where) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string())
    return Fail("{}.{}: expected a string, found {}", where, key,
                it->type_name());
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> RequiredString(const json& object, const char* key,
                                   std::string_view where) {
  PROM_ASSIGN_OR_RETURN(auto text, OptionalString(object, key, where));
  if (!text) return Fail("{}.{}: missing", where, key);
  return *text;
}

Result<int64_t> Integer(const json& object, const char* key,
                        std::string_view where, int64_t fallback) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return fallback;
  if (!it->is_number_integer() || it->get<int64_t>() <= 0) {
    return Fail("{}.{}: expected a positive integer, found {}", where, key,
                it->dump());
  }
  return it->get<int64_t>();
}

Result<std::optional<CallSite>> ReadCallSite(const json& fix) {
  auto it = fix.find("call_site");
  if (it == fix.end() || it->is_null()) return std::optional<CallSite>();
  if (!it->is_object()) return Fail("fix.call_site: expected an object");
  PROM_ASSIGN_OR_RETURN(std::string file,
                        RequiredString(*it, "file", "fix.call_site"));
  json line = it->value("line", json());
  if (!line.is_number_unsigned() || line.get<uint64_t>() == 0 ||
      line.get<uint64_t>() > UINT32_MAX) {
    return Fail("fix.call_site.line: expected a line number, found {}",
                line.dump());
  }
  return std::optional<CallSite>(CallSite{file, line.get<uint32_t>()});
}

}  // namespace

std::string_view SafetyName(Safety safety) {
  switch (safety) {
    case Safety::kSafe:
      return "safe";
    case Safety::kUnsafe:
      return "unsafe";
    case Safety::kManual:
      return "manual";
  }
  return "?";
}

Safety SafetyOf(std::string_view kind) {
  if (kind == "conf" || kind == "broadcast_hint" || kind == "repartition" ||
      kind == "cache") {
    return Safety::kSafe;
  }
  if (kind == "salting") return Safety::kUnsafe;
  return Safety::kManual;
}

Result<FixRequest> ReadFixRequest(const json& recommendation) {
  if (!recommendation.is_object())
    return Fail("expected a recommendation object");
  FixRequest request;
  PROM_ASSIGN_OR_RETURN(auto id,
                        OptionalString(recommendation, "id", "recommendation"));
  PROM_ASSIGN_OR_RETURN(
      auto rule, OptionalString(recommendation, "rule", "recommendation"));
  request.id = id.value_or("");
  request.rule = rule.value_or("");
  auto fix_it = recommendation.find("fix");
  if (fix_it == recommendation.end() || !fix_it->is_object()) {
    return Fail("recommendation {}: fix: expected an object", request.id);
  }
  const json& fix = *fix_it;
  PROM_ASSIGN_OR_RETURN(request.kind, RequiredString(fix, "kind", "fix"));
  if (request.kind == "conf") {
    PROM_ASSIGN_OR_RETURN(request.key, RequiredString(fix, "key", "fix"));
    PROM_ASSIGN_OR_RETURN(request.value, RequiredString(fix, "value", "fix"));
  }
  PROM_ASSIGN_OR_RETURN(request.data.table,
                        OptionalString(fix, "table", "fix"));
  PROM_ASSIGN_OR_RETURN(request.data.path, OptionalString(fix, "path", "fix"));
  PROM_ASSIGN_OR_RETURN(request.column, OptionalString(fix, "key", "fix"));
  if (request.kind == "conf") request.column.reset();
  PROM_ASSIGN_OR_RETURN(request.partitions,
                        Integer(fix, "partitions", "fix", 0));
  PROM_ASSIGN_OR_RETURN(request.buckets, Integer(fix, "buckets", "fix", 16));
  PROM_ASSIGN_OR_RETURN(request.call_site, ReadCallSite(fix));
  if (request.kind == "repartition" && request.partitions == 0) {
    return Fail("fix.partitions: missing");
  }
  if ((request.kind == "broadcast_hint" || request.kind == "cache") &&
      !request.data.table && !request.data.path) {
    return Fail("fix: names neither a table nor a path");
  }
  PROM_ASSIGN_OR_RETURN(auto advice, OptionalString(fix, "advice", "fix"));
  if (advice) {
    request.advice = *advice;
  } else if (auto udf = fix.find("udf"); udf != fix.end() && udf->is_array()) {
    std::vector<std::string> names;
    for (const auto& name : *udf) {
      if (name.is_string()) names.push_back(name.get<std::string>());
    }
    request.advice = fmt::format(
        "rewrite the Python UDF(s) {} with pyspark.sql.functions so the rows "
        "stay in the JVM",
        fmt::join(names, ", "));
  } else if (SafetyOf(request.kind) == Safety::kManual) {
    json rest = fix;
    rest.erase("kind");
    rest.erase("call_site");
    request.advice = rest.empty() ? "no parameters" : rest.dump();
  }
  return request;
}

std::string FixLabel(const FixRequest& request) {
  if (request.kind == "conf")
    return fmt::format("conf {}={}", request.key, request.value);
  if (request.kind == "broadcast_hint" || request.kind == "cache") {
    std::string what =
        request.data.table.value_or(request.data.path.value_or(""));
    return what.empty() ? request.kind
                        : fmt::format("{} {}", request.kind, what);
  }
  if (request.kind == "repartition") {
    return request.column ? fmt::format("repartition {} by {}",
                                        request.partitions, *request.column)
                          : fmt::format("repartition {}", request.partitions);
  }
  if (request.kind == "salting") {
    return fmt::format("salting {}", request.column.value_or("(key unknown)"));
  }
  return request.kind;
}

}  // namespace prometheus::rewrite

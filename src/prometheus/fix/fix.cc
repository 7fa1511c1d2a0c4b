#include "prometheus/fix/fix.h"

#include <fmt/format.h>

#include "prometheus/fix/internal/json_fields.h"
#include "prometheus/fix/internal/kind_table.h"

namespace prometheus::fix {
namespace {

using internal::KindRow;

// The row of a typed kind; nullptr for an OtherKind.
const KindRow* RowOf(const Kind& kind) {
  auto rows = internal::KindRows();
  return kind.index() < rows.size() ? &rows[kind.index()] : nullptr;
}

Json CallSiteJson(const CallSite& site) {
  return {{"file", site.file},
          {"line", site.line ? Json(*site.line) : Json(nullptr)}};
}

Json Canonical(const Fix& fix) {
  Json record = {{"kind", KindName(fix)}};
  if (const KindRow* row = RowOf(fix.kind)) {
    row->write(fix.kind, record);
  } else {
    for (const auto& [key, value] :
         std::get<OtherKind>(fix.kind).parameters.items()) {
      record[key] = value;
    }
  }
  if (fix.call_site) record["call_site"] = CallSiteJson(*fix.call_site);
  return record;
}

// The record's "kind" when it is an object with a string one.
Result<std::string> KindOf(const Json& record) {
  if (!record.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "fix: expected an object");
  }
  auto kind = record.find("kind");
  if (kind == record.end() || kind->is_null()) {
    return Fail(ErrorCode::kInvalidArgument, "fix.kind: missing");
  }
  if (!kind->is_string()) {
    return Fail(ErrorCode::kInvalidArgument,
                "fix.kind: expected a string, found {}", kind->type_name());
  }
  return kind->get<std::string>();
}

Json ParametersOf(const Json& record) {
  Json parameters = record;
  parameters.erase("kind");
  parameters.erase("call_site");
  return parameters;
}

// Keeps the record when the typed fix would not write it back the same.
Fix Remembering(Fix fix, const Json& record) {
  if (Canonical(fix).dump() != record.dump()) fix.as_read = record;
  return fix;
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

std::string_view JoinSideName(JoinSide side) {
  return side == JoinSide::kLeft ? "left" : "right";
}

std::optional<JoinSide> JoinSideNamed(std::string_view name) {
  if (name == "left") return JoinSide::kLeft;
  if (name == "right") return JoinSide::kRight;
  return std::nullopt;
}

std::string_view KindName(const Fix& fix) {
  if (const KindRow* row = RowOf(fix.kind)) return row->name;
  return std::get<OtherKind>(fix.kind).name;
}

bool HasKind(const Fix& fix, std::string_view name) {
  return KindName(fix) == name;
}

Safety SafetyOf(const Fix& fix) {
  const KindRow* row = internal::RowNamed(KindName(fix));
  return row ? row->safety : Safety::kManual;
}

std::string Label(const Fix& fix) {
  if (const KindRow* row = RowOf(fix.kind))
    return row->label ? row->label(fix.kind) : std::string(row->name);
  // A known kind whose parameters did not read is labelled as a blank one.
  const KindRow* row = internal::RowNamed(KindName(fix));
  if (row && row->label) return row->label(row->blank());
  return std::string(KindName(fix));
}

std::string Summary(const Fix& fix) {
  Json record = ToJson(fix);
  auto text = [](const Json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
  };
  if (record.contains("key") && record.contains("value")) {
    return fmt::format("set {}={}", text(record["key"]), text(record["value"]));
  }
  return std::string(KindName(fix));
}

std::string Advice(const Fix& fix) {
  Json record = ToJson(fix);
  if (auto advice = record.find("advice");
      advice != record.end() && advice->is_string()) {
    return advice->get<std::string>();
  }
  if (auto udf = record.find("udf"); udf != record.end() && udf->is_array()) {
    return fmt::format(
        "rewrite the Python UDF(s) {} with pyspark.sql.functions so the rows "
        "stay in the JVM",
        fmt::join(internal::Strings(record, "udf"), ", "));
  }
  // Sorted keys, as the parameters of a record read by nlohmann::json.
  nlohmann::json rest = ParametersOf(record);
  return rest.empty() ? "no parameters" : rest.dump();
}

Json ToJson(const Fix& fix) {
  if (fix.as_read.is_null()) return Canonical(fix);
  Json record = fix.as_read;
  if (fix.call_site && !record.contains("call_site"))
    record["call_site"] = CallSiteJson(*fix.call_site);
  return record;
}

Result<Fix> Read(const Json& record) {
  PROM_ASSIGN_OR_RETURN(std::string name, KindOf(record));
  Fix fix;
  if (const KindRow* row = internal::RowNamed(name)) {
    PROM_ASSIGN_OR_RETURN(fix.kind, row->read(record));
  } else {
    fix.kind = OtherKind{name, ParametersOf(record)};
  }
  PROM_ASSIGN_OR_RETURN(fix.call_site, internal::ReadCallSite(record));
  return Remembering(std::move(fix), record);
}

Result<Fix> ReadOrKeep(const Json& record) {
  PROM_ASSIGN_OR_RETURN(std::string name, KindOf(record));
  if (auto fix = Read(record)) return fix;
  return Fix{OtherKind{name, ParametersOf(record)}, std::nullopt, record};
}

Json Completed(Json record) {
  auto kind = KindOf(record);
  bool conf = kind && internal::RowNamed(*kind) == RowOf(Conf{});
  if (!conf || record.contains("applies")) return record;
  auto key = record.find("key");
  if (key != record.end() && key->is_string()) {
    record["applies"] =
        std::string(AppliesName(ClassifySetting(key->get<std::string>())));
  }
  return record;
}

Fix Unreadable(const Json& record) {
  auto name = KindOf(record);
  return Fix{OtherKind{name ? *name : "?", Json::object()}, std::nullopt, {}};
}

bool IsTextParameter(std::string_view kind, std::string_view parameter) {
  const KindRow* row = internal::RowNamed(kind);
  return row && !row->text_parameter.empty() &&
         row->text_parameter == parameter;
}

}  // namespace prometheus::fix

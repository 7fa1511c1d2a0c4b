#include "prometheus/rewrite/builder_config_fix.h"

#include <algorithm>
#include <vector>

#include "prometheus/rewrite/conf_settings.h"

namespace prometheus::rewrite {
namespace {

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return c == ' ' || c == '\t';
  });
}

// The `.` of `<builder chain>.getOrCreate`: the last anonymous "." child of
// the call's function (comments may sit between it and the chain).
TSNode DotBefore(TSNode call) {
  TSNode function = Field(call, "function");
  TSNode dot{};
  for (uint32_t i = 0; i < ts_node_child_count(function); ++i) {
    TSNode child = ts_node_child(function, i);
    if (!ts_node_is_named(child) && IsType(child, ".")) dot = child;
  }
  return dot;
}

// The note about conf.set calls of the key, which Spark refuses.
std::string RefusedNote(const std::vector<uint32_t>& conf_set_lines) {
  if (conf_set_lines.empty()) return "";
  return fmt::format(
      "; spark.conf.set of it on line {} is left alone: Spark refuses a "
      "startup setting once the session runs, remove it",
      fmt::join(conf_set_lines, ", "));
}

// `.config(...)` before the creation's `.getOrCreate`.
Result<FixPlan> InsertBeforeGetOrCreate(const PythonSource& source,
                                        TSNode creation, std::string_view key,
                                        std::string_view value) {
  TSNode dot = DotBefore(creation);
  if (ts_node_is_null(dot)) {
    return Fail(ErrorCode::kInternal, "line {}: getOrCreate without its `.`",
                ts_node_start_point(creation).row + 1);
  }
  const std::string& text = source.text();
  uint32_t at = ts_node_start_byte(dot);
  uint32_t line_start = at;
  while (line_start > 0 && text[line_start - 1] != '\n') --line_start;
  std::string config = fmt::format(".config({}, {})", PythonStringLiteral(key),
                                   PythonStringLiteral(value));
  std::string_view indent(text.data() + line_start, at - line_start);
  if (line_start == 0 || !IsBlank(indent)) {
    return FixPlan{{Edit{at, at, std::move(config)}}, ""};
  }
  // `.getOrCreate()` starts its line: the new call gets a line of its own.
  std::string_view before(text.data(), line_start - 1);  // without its '\n'
  if (before.ends_with('\r')) before.remove_suffix(1);
  bool continued = before.ends_with('\\');
  std::string inserted = fmt::format("{}{}{}{}", indent, config,
                                     continued ? " \\" : "", source.Newline());
  return FixPlan{{Edit{line_start, line_start, std::move(inserted)}}, ""};
}

}  // namespace

Result<FixPlan> PlanBuilderConfigFix(const PythonSource& source,
                                     std::string_view key,
                                     std::string_view value) {
  std::vector<ConfSetting> on_builder;
  std::vector<uint32_t> builder_lines, conf_set_lines;
  for (ConfSetting& setting : FindConfSettings(source, key)) {
    if (setting.kind == ConfSetting::kBuilderConfig) {
      builder_lines.push_back(setting.line);
      on_builder.push_back(std::move(setting));
    } else if (setting.kind == ConfSetting::kConfSet) {
      conf_set_lines.push_back(setting.line);
    }
  }
  if (on_builder.size() > 1) return SetTooOften(key, builder_lines);
  if (on_builder.size() == 1) {
    PROM_ASSIGN_OR_RETURN(FixPlan plan,
                          PlanValueInPlace(source, on_builder[0], key, value));
    plan.note += RefusedNote(conf_set_lines);
    return plan;
  }
  PROM_ASSIGN_OR_RETURN(TSNode creation, TheSessionCreation(source));
  PROM_ASSIGN_OR_RETURN(FixPlan plan,
                        InsertBeforeGetOrCreate(source, creation, key, value));
  plan.note = fmt::format(
      "{} set to {} on the SparkSession builder before getOrCreate() (line "
      "{}): a startup setting, which Spark takes only when that call starts "
      "the session{}",
      key, value, ts_node_start_point(DotBefore(creation)).row + 1,
      RefusedNote(conf_set_lines));
  return plan;
}

}  // namespace prometheus::rewrite

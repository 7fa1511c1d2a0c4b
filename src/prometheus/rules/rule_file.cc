#include "prometheus/rules/rule_file.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include "prometheus/fix/fix.h"
#include "prometheus/rules/internal/layered_scope.h"
#include "prometheus/rules/internal/message_template.h"
#include "prometheus/rules/internal/rule_reader.h"

namespace prometheus::rules {
namespace {

namespace fs = std::filesystem;
using internal::LayeredScope;
using internal::TemplatePiece;

// Whole numbers as JSON integers, so evidence reads 1234 rather than 1234.0.
nlohmann::ordered_json NumberJson(double x) {
  if (x == std::floor(x) && std::fabs(x) < 9007199254740992.0) {
    return static_cast<int64_t>(x);
  }
  return x;
}

nlohmann::ordered_json ValueJson(const ExprValue& value) {
  if (const double* x = std::get_if<double>(&value)) return NumberJson(*x);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  if (const bool* b = std::get_if<bool>(&value)) return *b;
  return nullptr;
}

// A rendered fix parameter: a number or boolean when its text is exactly
// one, else the text. A conf value stays a string (Spark reads strings).
nlohmann::ordered_json ParamJson(std::string_view kind, std::string_view key,
                                 const std::string& text) {
  if (fix::IsTextParameter(kind, key)) return text;
  if (text == "true" || text == "false") return text == "true";
  double x = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size() &&
      std::isfinite(x)) {
    return NumberJson(x);
  }
  return text;
}

Result<ExprValue> EvaluateIn(const Expression& expression, const Scope& scope,
                             std::string_view what) {
  auto value = expression.Evaluate(scope);
  if (!value) return Wrap(what, value.error());
  return value;
}

Result<std::vector<TemplatePiece>> TemplateOf(const std::string& text,
                                              std::string_view what) {
  auto pieces = internal::ParseTemplate(text);
  if (!pieces) return Wrap(what, pieces.error());
  return pieces;
}

Result<std::optional<double>> Impact(
    const std::optional<Expression>& expression, const Scope& scope,
    std::string_view what) {
  if (!expression) return std::nullopt;
  PROM_ASSIGN_OR_RETURN(ExprValue value, EvaluateIn(*expression, scope, what));
  if (std::holds_alternative<std::monostate>(value)) return std::nullopt;
  const double* seconds = std::get_if<double>(&value);
  if (seconds == nullptr) return Fail(ErrorCode::kInvalidArgument,
                                      "{}: expected a number of seconds", what);
  return std::max(0.0, *seconds);  // an impact is a saving, never a cost
}

// Every name the rule reads, to pick the thresholds shown as evidence.
Result<std::set<std::string>> NamesRead(const RuleDefinition& rule) {
  std::set<std::string> names;
  auto add = [&](const Expression& e) {
    for (auto& name : e.Names()) names.insert(std::move(name));
  };
  add(rule.condition);
  for (const auto& [_, e] : rule.values) add(e);
  for (const auto& [_, e] : rule.severities) add(e);
  for (const auto& [_, e] : rule.evidence) add(e);
  if (rule.impact_task_seconds) add(*rule.impact_task_seconds);
  if (rule.impact_wall_seconds) add(*rule.impact_wall_seconds);
  std::vector<const std::string*> templates = {&rule.message};
  for (const auto& [_, text] : rule.fix_params) templates.push_back(&text);
  for (const std::string* text : templates) {
    PROM_ASSIGN_OR_RETURN(auto pieces, TemplateOf(*text, "template"));
    for (auto& name : internal::TemplateNames(pieces))
      names.insert(std::move(name));
  }
  return names;
}

// The [fix] rendered in `scope`; none when the rule has no [fix].
// Parameters that do not fit the kind are kept as written.
Result<std::optional<fix::Fix>> Fix(const RuleDefinition& rule,
                                    const Scope& scope) {
  if (rule.fix_kind.empty()) return std::nullopt;
  nlohmann::ordered_json record = {{"kind", rule.fix_kind}};
  for (const auto& [key, text] : rule.fix_params) {
    std::string what = fmt::format("[fix] {}", key);
    PROM_ASSIGN_OR_RETURN(auto pieces, TemplateOf(text, what));
    // A parameter that is one placeholder of a null value is null, not "n/a".
    if (pieces.size() == 1 && pieces[0].placeholder) {
      std::optional<ExprValue> value = scope.Lookup(pieces[0].text);
      if (value && std::holds_alternative<std::monostate>(*value)) {
        record[key] = nullptr;
        continue;
      }
    }
    auto rendered = internal::RenderTemplate(pieces, scope);
    if (!rendered) return Wrap(what, rendered.error());
    record[key] = ParamJson(rule.fix_kind, key, *rendered);
  }
  auto typed = fix::ReadOrKeep(fix::Completed(std::move(record)));
  if (!typed) return Wrap("[fix]", typed.error());
  return std::optional(std::move(*typed));
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Fail(ErrorCode::kIo,
                       "{}: cannot read the file", path.string());
  return text.str();
}

}  // namespace

nlohmann::ordered_json FixJson(const RuleFinding& finding) {
  return finding.fix ? fix::ToJson(*finding.fix) : nlohmann::ordered_json();
}

Result<RuleDefinition> ParseRuleFile(std::string_view text,
                                     const std::string& file) {
#if TOML_EXCEPTIONS
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(file));
  } catch (const toml::parse_error& error) {
    return Fail(ErrorCode::kInvalidArgument,
                "{}:{}:{}: {}", file, error.source().begin.line,
                error.source().begin.column, error.description());
  }
#else
  toml::parse_result parsed = toml::parse(text, std::string_view(file));
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return Fail(ErrorCode::kInvalidArgument,
                "{}:{}:{}: {}", file, error.source().begin.line,
                error.source().begin.column, error.description());
  }
  toml::table root = std::move(parsed).table();
#endif
  return internal::ReadRule(root, text, file);
}

RuleSet LoadRuleFolder(const fs::path& folder) {
  RuleSet set;
  std::error_code ec;
  if (!fs::exists(folder, ec)) return set;
  if (!fs::is_directory(folder, ec)) {
    set.errors.push_back(
        fmt::format("{}: expected a folder of rule files", folder.string()));
    return set;
  }
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".toml" && it->is_regular_file(ec)) {
      files.push_back(it->path());
    }
  }
  if (ec)
    set.errors.push_back(fmt::format("{}: {}", folder.string(), ec.message()));
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> file_of_id;
  for (const fs::path& path : files) {
    auto text = ReadFile(path);
    if (!text) {
      set.errors.push_back(text.error().message);
      continue;
    }
    auto rule = ParseRuleFile(*text, path.string());
    if (!rule) {
      set.errors.push_back(rule.error().message);
      continue;
    }
    auto [it, added] = file_of_id.emplace(rule->id, path.string());
    if (!added) {
      set.errors.push_back(
          fmt::format("{}: rule id '{}' is already defined in {}",
                      path.string(), rule->id, it->second));
      continue;
    }
    set.rules.push_back(*std::move(rule));
  }
  return set;
}

Result<std::optional<RuleFinding>> EvaluateRule(const RuleDefinition& rule,
                                                const Scope& scope) {
  if (!rule.enabled) return std::nullopt;
  LayeredScope rule_scope(scope);
  for (const auto& [name, value] : rule.thresholds) rule_scope.Set(name, value);
  for (const auto& [name, expression] : rule.values) {
    PROM_ASSIGN_OR_RETURN(ExprValue value, EvaluateIn(expression, rule_scope,
                                                      "[values] " + name));
    rule_scope.Set(name, std::move(value));
  }
  PROM_ASSIGN_OR_RETURN(ExprValue fires,
                        EvaluateIn(rule.condition, rule_scope, "when"));
  if (!Truthy(fires)) return std::nullopt;

  RuleFinding finding;
  finding.severity = rule.default_severity;
  for (const auto& [severity, expression] : rule.severities) {
    std::string what = fmt::format("[severity] {}", SeverityName(severity));
    PROM_ASSIGN_OR_RETURN(ExprValue holds,
                          EvaluateIn(expression, rule_scope, what));
    if (Truthy(holds)) {
      finding.severity = severity;
      break;
    }
  }

  // Messages and fixes may name evidence entries too.
  LayeredScope evidence_scope(rule_scope);
  finding.evidence = nlohmann::ordered_json::object();
  for (const auto& [name, expression] : rule.evidence) {
    PROM_ASSIGN_OR_RETURN(ExprValue value, EvaluateIn(expression, rule_scope,
                                                      "[evidence] " + name));
    finding.evidence[name] = ValueJson(value);
    evidence_scope.Set(name, std::move(value));
  }
  PROM_ASSIGN_OR_RETURN(std::set<std::string> read, NamesRead(rule));
  for (const auto& [name, value] : rule.thresholds) {
    if (read.contains(name)) finding.evidence[name] = NumberJson(value);
  }

  PROM_ASSIGN_OR_RETURN(auto pieces, TemplateOf(rule.message, "message"));
  auto message = internal::RenderTemplate(pieces, evidence_scope);
  if (!message) return Wrap("message", message.error());
  finding.message = *std::move(message);
  PROM_ASSIGN_OR_RETURN(finding.impact_task_seconds,
                        Impact(rule.impact_task_seconds, evidence_scope,
                               "[impact] task_seconds"));
  PROM_ASSIGN_OR_RETURN(finding.impact_wall_seconds,
                        Impact(rule.impact_wall_seconds, evidence_scope,
                               "[impact] wall_seconds"));
  PROM_ASSIGN_OR_RETURN(finding.fix, Fix(rule, evidence_scope));
  return finding;
}

}  // namespace prometheus::rules

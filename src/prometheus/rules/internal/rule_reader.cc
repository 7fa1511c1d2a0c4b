#include "prometheus/rules/internal/rule_reader.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

#include "prometheus/rules/internal/message_template.h"
#include "prometheus/rules/internal/toml_nodes.h"
#include "prometheus/rules/internal/toml_position.h"
#include "prometheus/rules/native_rules.h"

namespace prometheus::rules::internal {
namespace {

constexpr std::array<std::string_view, 14> kTopKeys = {
    "id",     "title",    "description",
    "scope",  "enabled",  "severity_default",
    "when",   "message",  "thresholds",
    "values", "severity", "evidence",
    "impact", "fix"};
constexpr std::array<std::string_view, 4> kSeverityKeys = {"critical", "high",
                                                           "medium", "low"};
constexpr std::array<std::string_view, 3> kImpactKeys = {
    "task_seconds", "wall_seconds", "basis"};
constexpr std::array<std::string_view, 6> kKeywords = {"and",  "or",    "not",
                                                       "true", "false", "null"};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

template <size_t N>
std::string Join(const std::array<std::string_view, N>& list) {
  return fmt::format("{}", fmt::join(list, ", "));
}

// Resolves no name: thresholds are constants.
class EmptyScope : public Scope {
 public:
  std::optional<ExprValue> Lookup(std::string_view) const override {
    return std::nullopt;
  }
};

class RuleReader {
 public:
  RuleReader(std::string_view text, const std::string& file)
      : text_(text), file_(file) {}

  Result<RuleDefinition> Read(const toml::table& root);
  Result<RuleDefinition> ReadNativeSettings(const toml::table& root,
                                            const NativeRule& native);

 private:
  template <typename... Args>
  std::unexpected<Error> FailAt(const toml::source_region& where,
                                fmt::format_string<Args...> format,
                                Args&&... args) const {
    return Fail(ErrorCode::kInvalidArgument,
                "{}:{}:{}: {}", file_, where.begin.line, where.begin.column,
                fmt::format(format, std::forward<Args>(args)...));
  }

  // Keys of `table` outside `allowed` are errors at the key.
  template <size_t N>
  Status CheckKeys(const toml::table& table,
                   const std::array<std::string_view, N>& allowed,
                   std::string_view section) const {
    for (const auto& [key, node] : InFileOrder(table)) {
      if (Contains(allowed, key->str())) continue;
      std::string hint;
      if (!section.empty() && Contains(kTopKeys, key->str())) {
        hint =
            fmt::format(" ('{}' belongs above the first [table])", key->str());
      }
      return FailAt(key->source(), "unknown key '{}'{}, expected one of {}{}",
                    key->str(), section, Join(allowed), hint);
    }
    return Ok();
  }

  // A name defined in a section: an identifier that no other section uses.
  Status CheckName(const toml::key& key, std::string_view section) const {
    std::string_view name = key.str();
    if (!IsName(name) || Contains(kKeywords, name)) {
      return FailAt(
          key.source(),
          "expected a name of letters, digits and '_' in [{}], found '{}'",
          section, name);
    }
    if (Contains(kTopKeys, name)) {
      return FailAt(
          key.source(),
          "'{}' is a top-level key: it belongs above the first [table]", name);
    }
    return Ok();
  }

  Result<std::string> String(const toml::node& node,
                             std::string_view what) const {
    if (const auto* s = node.as_string()) return s->get();
    return FailAt(node.source(), "expected a string for {}, found {}", what,
                  TypeWords(node));
  }

  Result<const toml::table*> Table(const toml::table& root,
                                   std::string_view key) const {
    const toml::node* node = root.get(key);
    if (node == nullptr) return nullptr;
    if (const auto* table = node->as_table()) return table;
    return FailAt(node->source(), "expected a table for [{}], found {}", key,
                  TypeWords(*node));
  }

  // An error of a string's content ("line L, column C: ...") placed in the
  // file.
  std::unexpected<Error> FailInside(const toml::node& node, const Error& error,
                                    std::string_view what) const {
    const auto& begin = node.source().begin;
    TextPosition start{static_cast<int>(begin.line),
                       static_cast<int>(begin.column)};
    std::optional<LocatedMessage> located = SplitLocation(error.message);
    if (!located) {
      return Fail(error.code,
                  "{}:{}:{}: {} (in {})", file_, start.line, start.column,
                  error.message, what);
    }
    TextPosition at = PositionInFile(text_, start, located->position);
    return Fail(error.code, "{}:{}:{}: {} (in {})", file_, at.line, at.column,
                located->rest, what);
  }

  Result<Expression> Expr(const toml::node& node, std::string_view what) const {
    PROM_ASSIGN_OR_RETURN(std::string text, String(node, what));
    auto expression = Expression::Parse(text);
    if (!expression) return FailInside(node, expression.error(), what);
    return *std::move(expression);
  }

  Result<std::string> Template(const toml::node& node,
                               std::string_view what) const {
    PROM_ASSIGN_OR_RETURN(std::string text, String(node, what));
    auto pieces = ParseTemplate(text);
    if (!pieces) return FailInside(node, pieces.error(), what);
    return text;
  }

  Status ReadHeader(const toml::table& root);
  Status ReadEnabled(const toml::node& node);
  Status ReadThresholds(const toml::table& table);
  Status ReadValues(const toml::table& table);
  Status ReadSeverity(const toml::table& table);
  Status ReadEvidence(const toml::table& table);
  Status ReadImpact(const toml::table& table);
  Status ReadFix(const toml::table& table);

  std::string_view text_;
  const std::string& file_;
  RuleDefinition rule_;
};

Result<RuleDefinition> RuleReader::Read(const toml::table& root) {
  rule_.source = file_;
  if (const toml::node* id = root.get("id"); id != nullptr && id->as_string()) {
    for (const NativeRule& native : NativeRules()) {
      if (native.id == id->as_string()->get())
        return ReadNativeSettings(root, native);
    }
  }
  PROM_TRY(CheckKeys(root, kTopKeys, ""));
  PROM_TRY(ReadHeader(root));
  using Section = Status (RuleReader::*)(const toml::table&);
  const std::pair<std::string_view, Section> sections[] = {
      {"thresholds", &RuleReader::ReadThresholds},
      {"values", &RuleReader::ReadValues},
      {"severity", &RuleReader::ReadSeverity},
      {"evidence", &RuleReader::ReadEvidence},
      {"impact", &RuleReader::ReadImpact},
      {"fix", &RuleReader::ReadFix},
  };
  for (const auto& [name, read] : sections) {
    PROM_ASSIGN_OR_RETURN(const toml::table* table, Table(root, name));
    if (table != nullptr) PROM_TRY((this->*read)(*table));
  }
  return std::move(rule_);
}

Status RuleReader::ReadEnabled(const toml::node& node) {
  const auto* flag = node.as_boolean();
  if (flag == nullptr) {
    return FailAt(node.source(),
                  "expected true or false for 'enabled', found {}",
                  TypeWords(node));
  }
  rule_.enabled = flag->get();
  return Ok();
}

Result<RuleDefinition> RuleReader::ReadNativeSettings(
    const toml::table& root, const NativeRule& native) {
  rule_.id = native.id;
  rule_.title = native.title;
  rule_.scope = "native";
  rule_.native = true;
  for (const auto& [key, node] : InFileOrder(root)) {
    if (key->str() == "id" || key->str() == "title" ||
        key->str() == "description")
      continue;
    if (key->str() == "enabled") {
      PROM_TRY(ReadEnabled(*node));
    } else if (key->str() == "thresholds" && node->as_table() != nullptr) {
      PROM_TRY(ReadThresholds(*node->as_table()));
      for (const auto& [name, value] : InFileOrder(*node->as_table())) {
        bool known =
            std::any_of(native.thresholds.begin(), native.thresholds.end(),
                        [&](const auto& t) { return t.first == name->str(); });
        if (known) continue;
        std::vector<std::string> names;
        for (const auto& t : native.thresholds) names.push_back(t.first);
        return FailAt(
            value->source(),
            "native rule {} has no threshold '{}' (it has: {})", native.id,
            name->str(),
            names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")));
      }
    } else {
      return FailAt(node->source(),
                    "'{}' cannot be set: {} is a native rule, so a file may "
                    "only switch it off "
                    "(enabled = false) or set its [thresholds]",
                    key->str(), native.id);
    }
  }
  return std::move(rule_);
}

Status RuleReader::ReadHeader(const toml::table& root) {
  const std::pair<std::string_view, std::string_view> required[] = {
      {"id", "the rule's name, e.g. id = \"spill\""},
      {"scope", "\"stage\" or \"application\""},
      {"when", "the condition under which the rule fires"},
      {"message", "the finding in words, with {name} placeholders"},
  };
  for (const auto& [key, what] : required) {
    if (root.get(key) != nullptr) continue;
    // A top-level key written after a [table] header lands in that table.
    for (const auto& [section, node] : InFileOrder(root)) {
      const toml::table* table = node->as_table();
      if (table == nullptr || table->get(key) == nullptr) continue;
      return FailAt(
          table->get(key)->source(),
          "'{}' is inside [{}]: top-level keys belong above the first "
          "[table]",
          key, section->str());
    }
    return Fail(ErrorCode::kInvalidArgument,
                "{}:1:1: missing key '{}' ({})", file_, key, what);
  }
  const toml::node& id = *root.get("id");
  PROM_ASSIGN_OR_RETURN(rule_.id, String(id, "'id'"));
  if (!IsName(rule_.id)) {
    return FailAt(id.source(),
                  "expected an id of letters, digits and '_', found '{}'",
                  rule_.id);
  }
  const toml::node& scope = *root.get("scope");
  PROM_ASSIGN_OR_RETURN(rule_.scope, String(scope, "'scope'"));
  if (rule_.scope != "stage" && rule_.scope != "application") {
    return FailAt(
        scope.source(),
        "expected \"stage\" or \"application\" for 'scope', found \"{}\"",
        rule_.scope);
  }
  rule_.title = rule_.id;
  if (const toml::node* title = root.get("title")) {
    PROM_ASSIGN_OR_RETURN(rule_.title, String(*title, "'title'"));
  }
  if (const toml::node* description = root.get("description")) {
    PROM_ASSIGN_OR_RETURN(rule_.description,
                          String(*description, "'description'"));
  }
  if (const toml::node* enabled = root.get("enabled")) {
    PROM_TRY(ReadEnabled(*enabled));
  }
  if (const toml::node* severity = root.get("severity_default")) {
    PROM_ASSIGN_OR_RETURN(std::string name,
                          String(*severity, "'severity_default'"));
    std::optional<Severity> parsed = ParseSeverity(name);
    if (!parsed) {
      return FailAt(severity->source(),
                    "expected one of low, medium, high, critical for "
                    "'severity_default', found \"{}\"",
                    name);
    }
    rule_.default_severity = *parsed;
  }
  PROM_ASSIGN_OR_RETURN(rule_.condition, Expr(*root.get("when"), "'when'"));
  PROM_ASSIGN_OR_RETURN(rule_.message,
                        Template(*root.get("message"), "'message'"));
  return Ok();
}

// A threshold is a number, or a string holding a constant expression such
// as "30s" or "256MiB" (units make thresholds readable).
Status RuleReader::ReadThresholds(const toml::table& table) {
  for (const auto& [key, node] : InFileOrder(table)) {
    PROM_TRY(CheckName(*key, "thresholds"));
    std::string what = fmt::format("[thresholds] {}", key->str());
    if (const auto* integer = node->as_integer()) {
      rule_.thresholds[std::string(key->str())] =
          static_cast<double>(integer->get());
      continue;
    }
    if (const auto* number = node->as_floating_point()) {
      rule_.thresholds[std::string(key->str())] = number->get();
      continue;
    }
    if (!node->is_string()) {
      return FailAt(
          node->source(),
          "expected a number or a string such as \"30s\" for {}, found {}",
          what, TypeWords(*node));
    }
    PROM_ASSIGN_OR_RETURN(Expression constant, Expr(*node, what));
    auto value = constant.Evaluate(EmptyScope());
    const double* number = value ? std::get_if<double>(&*value) : nullptr;
    if (number == nullptr) {
      return FailAt(
          node->source(),
          "expected a constant number such as \"30s\" or \"256MiB\" for {}, "
          "found \"{}\"",
          what, constant.text());
    }
    rule_.thresholds[std::string(key->str())] = *number;
  }
  return Ok();
}

Status RuleReader::ReadValues(const toml::table& table) {
  for (const auto& [key, node] : InFileOrder(table)) {
    PROM_TRY(CheckName(*key, "values"));
    if (rule_.thresholds.contains(std::string(key->str()))) {
      return FailAt(key->source(), "value '{}' has the name of a threshold",
                    key->str());
    }
    std::string what = fmt::format("[values] {}", key->str());
    PROM_ASSIGN_OR_RETURN(Expression expression, Expr(*node, what));
    rule_.values.emplace_back(std::string(key->str()), std::move(expression));
  }
  return Ok();
}

// Kept most severe first, whatever the file's order.
Status RuleReader::ReadSeverity(const toml::table& table) {
  PROM_TRY(CheckKeys(table, kSeverityKeys, " in [severity]"));
  for (std::string_view level : kSeverityKeys) {
    const toml::node* node = table.get(level);
    if (node == nullptr) continue;
    PROM_ASSIGN_OR_RETURN(Expression expression,
                          Expr(*node, fmt::format("[severity] {}", level)));
    rule_.severities.emplace_back(*ParseSeverity(level), std::move(expression));
  }
  return Ok();
}

Status RuleReader::ReadEvidence(const toml::table& table) {
  for (const auto& [key, node] : InFileOrder(table)) {
    PROM_TRY(CheckName(*key, "evidence"));
    if (rule_.thresholds.contains(std::string(key->str()))) {
      return FailAt(key->source(),
                    "evidence '{}' has the name of a threshold (thresholds are "
                    "added to the evidence by themselves)",
                    key->str());
    }
    std::string what = fmt::format("[evidence] {}", key->str());
    PROM_ASSIGN_OR_RETURN(Expression expression, Expr(*node, what));
    rule_.evidence.emplace_back(std::string(key->str()), std::move(expression));
  }
  return Ok();
}

Status RuleReader::ReadImpact(const toml::table& table) {
  PROM_TRY(CheckKeys(table, kImpactKeys, " in [impact]"));
  if (const toml::node* node = table.get("task_seconds")) {
    PROM_ASSIGN_OR_RETURN(rule_.impact_task_seconds,
                          Expr(*node, "[impact] task_seconds"));
  }
  if (const toml::node* node = table.get("wall_seconds")) {
    PROM_ASSIGN_OR_RETURN(rule_.impact_wall_seconds,
                          Expr(*node, "[impact] wall_seconds"));
  }
  if (const toml::node* node = table.get("basis")) {
    PROM_ASSIGN_OR_RETURN(rule_.impact_basis, String(*node, "[impact] basis"));
  } else if (rule_.impact_task_seconds || rule_.impact_wall_seconds) {
    return FailAt(
        table.source(),
        "missing key 'basis' in [impact] (how the impact is estimated)");
  }
  return Ok();
}

// Parameters are templates; numbers and booleans are kept as their text.
Status RuleReader::ReadFix(const toml::table& table) {
  const toml::node* kind = table.get("kind");
  if (kind == nullptr) {
    return FailAt(table.source(),
                  "missing key 'kind' in [fix] (e.g. kind = \"conf\")");
  }
  PROM_ASSIGN_OR_RETURN(rule_.fix_kind, String(*kind, "[fix] kind"));
  if (!IsName(rule_.fix_kind)) {
    return FailAt(kind->source(),
                  "expected a kind of letters, digits and '_', found '{}'",
                  rule_.fix_kind);
  }
  for (const auto& [key, node] : InFileOrder(table)) {
    if (key->str() == "kind") continue;
    PROM_TRY(CheckName(*key, "fix"));
    std::string what = fmt::format("[fix] {}", key->str());
    std::string value;
    if (const auto* integer = node->as_integer()) {
      value = fmt::format("{}", integer->get());
    } else if (const auto* number = node->as_floating_point()) {
      value = fmt::format("{}", number->get());
    } else if (const auto* flag = node->as_boolean()) {
      value = flag->get() ? "true" : "false";
    } else if (node->is_string()) {
      PROM_ASSIGN_OR_RETURN(value, Template(*node, what));
    } else {
      return FailAt(node->source(),
                    "expected a string, number or boolean for {}, found {}",
                    what, TypeWords(*node));
    }
    rule_.fix_params.emplace_back(std::string(key->str()), std::move(value));
  }
  return Ok();
}

}  // namespace

Result<RuleDefinition> ReadRule(const toml::table& root, std::string_view text,
                                const std::string& file) {
  return RuleReader(text, file).Read(root);
}

}  // namespace prometheus::rules::internal

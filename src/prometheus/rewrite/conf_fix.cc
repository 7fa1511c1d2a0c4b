#include "prometheus/rewrite/conf_fix.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace prometheus::rewrite {
namespace {

// The statement (a child of the module or of a block) holding `node`.
TSNode StatementOf(TSNode node) {
  for (TSNode parent = ts_node_parent(node); !ts_node_is_null(parent);
       node = parent, parent = ts_node_parent(node)) {
    if (IsType(parent, "module") || IsType(parent, "block")) return node;
  }
  return node;
}

// The name the session is bound to: `spark` in `spark = SparkSession...`.
std::string SessionName(const PythonSource& source, TSNode statement) {
  TSNode expression = ts_node_named_child(statement, 0);
  if (IsType(statement, "expression_statement") &&
      IsType(expression, "assignment")) {
    TSNode left = Field(expression, "left");
    if (IsType(left, "identifier")) return std::string(source.Text(left));
  }
  return "spark";
}

// The plan when the file already sets `key`, nullopt when it does not.
Result<std::optional<FixPlan>> PlanExisting(const PythonSource& source,
                                            std::string_view key,
                                            std::string_view value) {
  std::vector<ConfSetting> settings = FindConfSettings(source, key);
  if (settings.empty()) return std::nullopt;
  if (settings.size() > 1)
    return SetTooOften(key, ConfSettingLines(source, key));
  const ConfSetting& setting = settings[0];
  if (setting.kind == ConfSetting::kSqlSet) {
    std::string_view current = setting.sql_value;
    if (SqlSetSays(current, value)) {
      return FixPlan{{},
                     fmt::format("{} is already {} (line {}, SET in spark.sql)",
                                 key, value, setting.line)};
    }
    return Fail(ErrorCode::kInvalidArgument,
        "line {}: spark.sql sets {} to {} with SET; SQL SET statements are not "
        "edited, change it to {} by hand",
        setting.line, key, current, value);
  }
  return PlanValueInPlace(source, setting, key, value);
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c));
  });
}

uint32_t LineOf(std::string_view text, uint32_t offset) {
  return 1 + static_cast<uint32_t>(
                 std::count(text.begin(), text.begin() + offset, '\n'));
}

bool IsImport(TSNode node) {
  return IsType(node, "import_statement") ||
         IsType(node, "import_from_statement") ||
         IsType(node, "future_import_statement");
}

// True for a statement that is only a string literal.
bool IsDocstring(TSNode node) {
  if (!IsType(node, "expression_statement") ||
      ts_node_named_child_count(node) != 1)
    return false;
  TSNode value = ts_node_named_child(node, 0);
  return IsType(value, "string") || IsType(value, "concatenated_string");
}

}  // namespace

Result<FixPlan> PlanConfFix(const PythonSource& source, std::string_view key,
                            std::string_view value) {
  PROM_ASSIGN_OR_RETURN(std::optional<FixPlan> existing,
                        PlanExisting(source, key, value));
  if (existing) return std::move(*existing);
  PROM_ASSIGN_OR_RETURN(TSNode creation, TheSessionCreation(source));
  TSNode statement = StatementOf(creation);
  if (!IsType(statement, "expression_statement") ||
      !IsType(ts_node_named_child(statement, 0), "assignment")) {
    return Fail(ErrorCode::kInvalidArgument,
        "line {}: the SparkSession is created inside a {}, not assigned; add "
        "the setting by hand",
        ts_node_start_point(statement).row + 1, ts_node_type(statement));
  }
  uint32_t at = source.EndOfLine(ts_node_end_byte(statement));
  std::string newline = source.Newline();
  std::string line =
      fmt::format("{}{}.conf.set({}, {}){}",
                  source.IndentOfLine(ts_node_start_byte(statement)),
                  SessionName(source, statement), PythonStringLiteral(key),
                  PythonStringLiteral(value), newline);
  // A file whose last line has no newline gets one before the new line.
  if (at == source.text().size() && (at == 0 || source.text().back() != '\n')) {
    line = newline + line;
  }
  return FixPlan{{Edit{at, at, line}},
                 fmt::format("{} set to {} after the SparkSession (line {})",
                             key, value, ts_node_end_point(statement).row + 2)};
}

Result<FixPlan> PlanConfFixInCell(const PythonSource& source,
                                  std::string_view key, std::string_view value,
                                  uint32_t cell_start, uint32_t cell_end) {
  const std::string& text = source.text();
  if (cell_start > cell_end || cell_end > text.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "the cell [{}, {}) lies outside the {} bytes of the file",
                cell_start, cell_end, text.size());
  }
  PROM_ASSIGN_OR_RETURN(std::optional<FixPlan> existing,
                        PlanExisting(source, key, value));
  if (existing) return std::move(*existing);
  // A Databricks cell title stays the cell's first line.
  uint32_t top = cell_start;
  if (std::string_view(text)
          .substr(top, cell_end - top)
          .starts_with("# DBTITLE")) {
    top = std::min(source.EndOfLine(top), cell_end);
  }
  uint32_t at = top;
  std::string where = "at the top of the cell";
  bool first = true;
  TSNode root = source.root();
  for (uint32_t i = 0; i < ts_node_named_child_count(root); ++i) {
    TSNode statement = ts_node_named_child(root, i);
    uint32_t start = ts_node_start_byte(statement);
    if (IsType(statement, "comment") || start < top || start >= cell_end)
      continue;
    if (first && IsDocstring(statement) &&
        IsBlank(std::string_view(text).substr(top, start - top))) {
      at = std::min(source.EndOfLine(ts_node_end_byte(statement)), cell_end);
      where = "after the cell's docstring";
    }
    first = false;
    if (IsImport(statement) && ts_node_end_byte(statement) <= cell_end) {
      at = std::min(source.EndOfLine(ts_node_end_byte(statement)), cell_end);
      where = fmt::format("after the import on line {}",
                          ts_node_end_point(statement).row + 1);
    }
  }
  std::string newline = source.Newline();
  std::string line =
      fmt::format("spark.conf.set({}, {})", PythonStringLiteral(key),
                  PythonStringLiteral(value));
  uint32_t line_number = LineOf(text, at);
  // A cell (or file) that ends without a line break gets one before the line.
  if (at > 0 && text[at - 1] != '\n') {
    line = newline + line;
    ++line_number;
  } else {
    line += newline;
  }
  return FixPlan{{Edit{at, at, line}},
                 fmt::format("{} set to {} on line {}, {}", key, value,
                             line_number, where)};
}

}  // namespace prometheus::rewrite

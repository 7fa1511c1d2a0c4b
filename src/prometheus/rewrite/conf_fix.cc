#include "prometheus/rewrite/conf_fix.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

#include "prometheus/rewrite/sql_tokens.h"

namespace prometheus::rewrite {
namespace {

// The `...getOrCreate()` calls on a chain that starts at SparkSession.builder.
std::vector<TSNode> SessionCreations(const PythonSource& source) {
  std::vector<TSNode> found;
  Walk(source.root(), [&](TSNode node) {
    if (MethodName(source, node) == "getOrCreate") {
      std::string_view text = source.Text(node);
      if (text.find("SparkSession") != std::string_view::npos &&
          text.find("builder") != std::string_view::npos) {
        found.push_back(node);
        return false;
      }
    }
    return true;
  });
  return found;
}

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

// True for a call whose receiver chain starts at `SparkSession.builder`
// (also `pyspark.sql.SparkSession.builder`).
bool OnBuilderChain(const PythonSource& source, TSNode call) {
  TSNode node = Field(Field(call, "function"), "object");
  while (!ts_node_is_null(node)) {
    if (IsType(node, "call")) {
      node = Field(node, "function");
    } else if (IsType(node, "parenthesized_expression")) {
      node = ts_node_named_child(node, 0);
    } else if (IsType(node, "attribute")) {
      TSNode object = Field(node, "object");
      if (source.Text(Field(node, "attribute")) == "builder" &&
          source.Text(object).ends_with("SparkSession")) {
        return true;
      }
      node = object;
    } else {
      return false;
    }
  }
  return false;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return s;
}

// Where the file sets the key, and how.
struct Setting {
  enum Kind { kConfSet, kBuilderConfig, kSqlSet } kind = kConfSet;
  TSNode value{};         // the value argument (kConfSet, kBuilderConfig)
  std::string sql_value;  // the value after `=` (kSqlSet)
  uint32_t line = 0;      // 1-based
};

// Every place the file sets `key`: `<anything>.conf.set("<key>", v)`,
// `.config("<key>", v)` on a SparkSession.builder chain, and `SET <key>=v`
// in a plain `.sql("...")` literal.
std::vector<Setting> FindSettings(const PythonSource& source,
                                  std::string_view key) {
  std::vector<Setting> found;
  std::optional<std::string> wanted(key);
  Walk(source.root(), [&](TSNode node) {
    std::string_view method = MethodName(source, node);
    // The key's line: a builder chain's call starts where the chain does.
    TSNode key_node = FirstArgument(node);
    uint32_t line =
        ts_node_start_point(ts_node_is_null(key_node) ? node : key_node).row +
        1;
    if (method == "set") {
      TSNode object = Field(Field(node, "function"), "object");
      if (IsType(object, "attribute") &&
          source.Text(Field(object, "attribute")) == "conf" &&
          PlainString(source, FirstArgument(node)) == wanted) {
        found.push_back(
            Setting{Setting::kConfSet, Argument(node, 1), "", line});
      }
    } else if (method == "config") {
      if (PlainString(source, FirstArgument(node)) == wanted &&
          OnBuilderChain(source, node)) {
        found.push_back(
            Setting{Setting::kBuilderConfig, Argument(node, 1), "", line});
      }
    } else if (method == "sql") {
      TSNode literal = FirstArgument(node);
      if (auto sql = PlainString(source, literal)) {
        for (SqlSet& set : FindSqlSets(*sql, key)) {
          found.push_back(
              Setting{Setting::kSqlSet, TSNode{}, std::move(set.value),
                      ts_node_start_point(literal).row + 1 + set.line});
        }
      }
    }
    return true;
  });
  return found;
}

// True when the literal `node` already says `value`: the same string, or a
// number or boolean literal spelling it (ignoring case).
bool SaysValue(const PythonSource& source, TSNode node,
               std::string_view value) {
  if (PlainString(source, node) == std::optional<std::string>(value) ||
      source.Text(node) == PythonStringLiteral(value)) {
    return true;
  }
  if (!IsType(node, "integer") && !IsType(node, "float") &&
      !IsType(node, "true") && !IsType(node, "false")) {
    return false;
  }
  std::string_view text = source.Text(node);
  return text.size() == value.size() &&
         std::equal(text.begin(), text.end(), value.begin(),
                    [](char a, char b) {
                      return std::tolower(static_cast<unsigned char>(a)) ==
                             std::tolower(static_cast<unsigned char>(b));
                    });
}

// The plan when the file already sets `key`, nullopt when it does not.
Result<std::optional<FixPlan>> PlanExisting(const PythonSource& source,
                                            std::string_view key,
                                            std::string_view value) {
  std::vector<Setting> settings = FindSettings(source, key);
  if (settings.empty()) return std::nullopt;
  if (settings.size() > 1) {
    std::string lines;
    for (const Setting& s : settings)
      lines += (lines.empty() ? "" : ", ") + std::to_string(s.line);
    return Fail(ErrorCode::kInvalidArgument,
        "{} is set {} times (lines {}); which one applies depends on the flow, "
        "so nothing changes",
        key, settings.size(), lines);
  }
  const Setting& setting = settings[0];
  if (setting.kind == Setting::kSqlSet) {
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
  std::string_view where =
      setting.kind == Setting::kConfSet ? "conf.set" : "builder .config";
  if (ts_node_is_null(setting.value)) {
    return Fail(ErrorCode::kInvalidArgument,
                "line {}: {} of {} without a value", setting.line, where, key);
  }
  if (SaysValue(source, setting.value, value)) {
    return FixPlan{{},
                   fmt::format("{} is already {} (line {}, {})", key, value,
                               setting.line, where)};
  }
  std::string note =
      fmt::format("line {}: {} changed from {} to {} ({})", setting.line, key,
                  source.Text(setting.value), value, where);
  return FixPlan{
      {Edit{ts_node_start_byte(setting.value), ts_node_end_byte(setting.value),
            PythonStringLiteral(value)}},
      note};
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

std::vector<SqlSet> FindSqlSets(std::string_view sql, std::string_view key) {
  // The tokenizer keeps `;` and `SET` inside strings and comments out of it.
  auto tokens = TokenizeSql(sql);
  if (!tokens) return {};
  std::vector<SqlSet> found;
  std::vector<SqlToken> statement;  // without comments
  auto finish = [&] {
    auto equals = std::find_if(
        statement.begin(), statement.end(), [&](const SqlToken& t) {
          return t.kind == SqlTokenKind::kSymbol && TokenText(sql, t) == "=";
        });
    if (statement.size() >= 3 && IsKeyword(sql, statement[0], "SET") &&
        equals != statement.end() && equals - statement.begin() >= 2) {
      uint32_t key_start = statement[1].start, key_end = (equals - 1)->end;
      if (sql.substr(key_start, key_end - key_start) == key) {
        std::string value;
        if (equals + 1 != statement.end()) {
          uint32_t value_start = (equals + 1)->start;
          value = sql.substr(value_start, statement.back().end - value_start);
        }
        found.push_back(
            SqlSet{std::move(value),
                   static_cast<uint32_t>(std::count(
                       sql.begin(), sql.begin() + statement[0].start, '\n'))});
      }
    }
    statement.clear();
  };
  for (const SqlToken& token : *tokens) {
    if (token.kind == SqlTokenKind::kComment) continue;
    if (token.kind == SqlTokenKind::kSymbol && TokenText(sql, token) == ";") {
      finish();
    } else {
      statement.push_back(token);
    }
  }
  finish();
  return found;
}

bool SqlSetSays(std::string_view set_value, std::string_view value) {
  set_value = Trim(set_value);
  if (set_value.size() >= 2 &&
      (set_value.front() == '\'' || set_value.front() == '"') &&
      set_value.back() == set_value.front()) {
    set_value = set_value.substr(1, set_value.size() - 2);
  }
  return set_value == value;
}

std::vector<uint32_t> ConfSettingLines(const PythonSource& source,
                                       std::string_view key) {
  std::vector<uint32_t> lines;
  for (const Setting& setting : FindSettings(source, key))
    lines.push_back(setting.line);
  return lines;
}

bool CreatesSparkSession(const PythonSource& source) {
  return !SessionCreations(source).empty();
}

Result<FixPlan> PlanConfFix(const PythonSource& source, std::string_view key,
                            std::string_view value) {
  PROM_ASSIGN_OR_RETURN(std::optional<FixPlan> existing,
                        PlanExisting(source, key, value));
  if (existing) return std::move(*existing);
  std::vector<TSNode> creations = SessionCreations(source);
  if (creations.empty())
    return Fail(ErrorCode::kNotFound,
                "no SparkSession.builder...getOrCreate() in the file");
  if (creations.size() > 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "{} SparkSession creations; the one to configure is ambiguous",
                creations.size());
  }
  TSNode statement = StatementOf(creations[0]);
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
        Trim(std::string_view(text).substr(top, start - top)).empty()) {
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

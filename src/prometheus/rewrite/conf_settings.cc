#include "prometheus/rewrite/conf_settings.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "prometheus/rewrite/sql_tokens.h"

namespace prometheus::rewrite {
namespace {

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

// True when `node` runs once, in document order, as the module runs: no
// def, class, condition, loop, try or with (each has a block) around it.
bool AtModuleLevel(TSNode node) {
  for (TSNode up = ts_node_parent(node); !ts_node_is_null(up);
       up = ts_node_parent(up)) {
    if (IsType(up, "block")) return false;
    if (IsType(up, "module")) return true;
  }
  return false;
}

bool StopsASession(const PythonSource& source) {
  bool stops = false;
  Walk(source.root(), [&](TSNode node) {
    if (MethodName(source, node) == "stop") stops = true;
    return !stops;
  });
  return stops;
}

}  // namespace

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

Result<TSNode> TheSessionCreation(const PythonSource& source) {
  std::vector<TSNode> creations = SessionCreations(source);
  if (creations.empty())
    return Fail(ErrorCode::kNotFound,
                "no SparkSession.builder...getOrCreate() in the file");
  // getOrCreate() returns the running session: when every creation runs
  // once at module level and nothing stops the session (a notebook that
  // repeats its setup cell, a script that re-gets it), the first one
  // creates it and the others get it.
  bool first_creates =
      std::all_of(creations.begin(), creations.end(), AtModuleLevel) &&
      !StopsASession(source);
  if (creations.size() > 1 && !first_creates) {
    return Fail(ErrorCode::kInvalidArgument,
                "{} SparkSession creations, not all run once at module level "
                "or the session is stopped between them; the one to "
                "configure is ambiguous",
                creations.size());
  }
  return creations[0];
}

bool CreatesSparkSession(const PythonSource& source) {
  return !SessionCreations(source).empty();
}

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

std::vector<ConfSetting> FindConfSettings(const PythonSource& source,
                                          std::string_view key) {
  std::vector<ConfSetting> found;
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
            ConfSetting{ConfSetting::kConfSet, Argument(node, 1), "", line});
      }
    } else if (method == "config") {
      if (PlainString(source, FirstArgument(node)) == wanted &&
          OnBuilderChain(source, node)) {
        found.push_back(ConfSetting{ConfSetting::kBuilderConfig,
                                    Argument(node, 1), "", line});
      }
    } else if (method == "sql") {
      TSNode literal = FirstArgument(node);
      if (auto sql = PlainString(source, literal)) {
        for (SqlSet& set : FindSqlSets(*sql, key)) {
          found.push_back(
              ConfSetting{ConfSetting::kSqlSet, TSNode{}, std::move(set.value),
                          ts_node_start_point(literal).row + 1 + set.line});
        }
      }
    }
    return true;
  });
  return found;
}

std::vector<ConfSetting> DictEntrySettings(const PythonSource& source,
                                           std::string_view key) {
  std::vector<ConfSetting> found;
  Walk(source.root(), [&](TSNode node) {
    if (IsType(node, "pair") && IsType(ts_node_parent(node), "dictionary") &&
        PlainString(source, Field(node, "key")) == key) {
      found.push_back(ConfSetting{ConfSetting::kDictEntry,
                                  Field(node, "value"), "",
                                  ts_node_start_point(node).row + 1});
    }
    return true;
  });
  return found;
}

std::vector<uint32_t> ConfSettingLines(const PythonSource& source,
                                       std::string_view key) {
  std::vector<uint32_t> lines;
  for (const ConfSetting& setting : FindConfSettings(source, key))
    lines.push_back(setting.line);
  return lines;
}

Result<FixPlan> PlanValueInPlace(const PythonSource& source,
                                 const ConfSetting& setting,
                                 std::string_view key,
                                 std::string_view value) {
  if (setting.kind == ConfSetting::kSqlSet) {
    return Fail(ErrorCode::kInternal,
                "line {}: a SQL SET is not changed in place", setting.line);
  }
  std::string_view where = setting.kind == ConfSetting::kConfSet ? "conf.set"
                           : setting.kind == ConfSetting::kDictEntry
                               ? "dict entry"
                               : "builder .config";
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

std::unexpected<Error> SetTooOften(std::string_view key,
                                   std::vector<uint32_t> lines) {
  std::sort(lines.begin(), lines.end());
  return Fail(ErrorCode::kInvalidArgument,
              "{} is set {} times (lines {}); which one applies depends on the "
              "flow, so nothing changes",
              key, lines.size(), fmt::join(lines, ", "));
}

}  // namespace prometheus::rewrite

#include "prometheus/rewrite/conf_fix.h"

#include <vector>

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
  if (IsType(statement, "expression_statement") && IsType(expression, "assignment")) {
    TSNode left = Field(expression, "left");
    if (IsType(left, "identifier")) return std::string(source.Text(left));
  }
  return "spark";
}

// `<anything>.conf.set("<key>", value)` calls.
std::vector<TSNode> ConfSets(const PythonSource& source, std::string_view key) {
  std::vector<TSNode> found;
  Walk(source.root(), [&](TSNode node) {
    if (MethodName(source, node) != "set") return true;
    TSNode object = Field(Field(node, "function"), "object");
    if (!IsType(object, "attribute") || source.Text(Field(object, "attribute")) != "conf") {
      return true;
    }
    if (PlainString(source, FirstArgument(node)) == std::optional<std::string>(key)) {
      found.push_back(node);
    }
    return true;
  });
  return found;
}

}  // namespace

bool CreatesSparkSession(const PythonSource& source) { return !SessionCreations(source).empty(); }

Result<FixPlan> PlanConfFix(const PythonSource& source, std::string_view key,
                            std::string_view value) {
  std::vector<TSNode> existing = ConfSets(source, key);
  if (existing.size() > 1) {
    return Fail("{} is set {} times; which one applies depends on the flow, so nothing changes",
                key, existing.size());
  }
  if (existing.size() == 1) {
    TSNode current = Argument(existing[0], 1);
    TSPoint at = ts_node_start_point(existing[0]);
    if (ts_node_is_null(current)) return Fail("line {}: conf.set without a value", at.row + 1);
    if (PlainString(source, current) == std::optional<std::string>(value) ||
        source.Text(current) == PythonStringLiteral(value)) {
      return FixPlan{{}, fmt::format("{} is already {} (line {})", key, value, at.row + 1)};
    }
    std::string note = fmt::format("line {}: {} changed from {} to {}", at.row + 1, key,
                                   source.Text(current), value);
    return FixPlan{{Edit{ts_node_start_byte(current), ts_node_end_byte(current),
                         PythonStringLiteral(value)}},
                   note};
  }
  std::vector<TSNode> creations = SessionCreations(source);
  if (creations.empty()) return Fail("no SparkSession.builder...getOrCreate() in the file");
  if (creations.size() > 1) {
    return Fail("{} SparkSession creations; the one to configure is ambiguous", creations.size());
  }
  TSNode statement = StatementOf(creations[0]);
  if (!IsType(statement, "expression_statement") ||
      !IsType(ts_node_named_child(statement, 0), "assignment")) {
    return Fail("line {}: the SparkSession is created inside a {}, not assigned; add the setting by hand",
                ts_node_start_point(statement).row + 1, ts_node_type(statement));
  }
  uint32_t at = source.EndOfLine(ts_node_end_byte(statement));
  std::string newline = source.Newline();
  std::string line = fmt::format("{}{}.conf.set({}, {}){}", source.IndentOfLine(ts_node_start_byte(statement)),
                                 SessionName(source, statement), PythonStringLiteral(key),
                                 PythonStringLiteral(value), newline);
  // A file whose last line has no newline gets one before the new line.
  if (at == source.text().size() && (at == 0 || source.text().back() != '\n')) {
    line = newline + line;
  }
  return FixPlan{{Edit{at, at, line}},
                 fmt::format("{} set to {} after the SparkSession (line {})", key, value,
                             ts_node_end_point(statement).row + 2)};
}

}  // namespace prometheus::rewrite

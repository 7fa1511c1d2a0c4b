#include "prometheus/rewrite/salting_sketch.h"

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/rewrite/bindings.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/repartition_fix.h"

namespace prometheus::rewrite {
namespace {

using Lines = std::vector<std::string>;

// A partial aggregate and the aggregate that combines the partials.
struct Aggregate {
  std::string partial;  // e.g. F.count("*")
  std::string combine;  // the function combining partials: sum, min, max
  std::string name;     // the final column's name
};

// What the sketch's code is built from: source text or placeholders.
struct JoinParts {
  std::string left = "big", left_base = "big";
  std::string right = "small", right_base = "small";
  std::string on;  // the `on=` value, "_salt" included
  std::string how = "\"inner\"";
  std::string result = "joined";
};

struct AggregationParts {
  std::string receiver = "df";
  std::string group = "groupBy";
  std::string keys = "\"key\"";
  std::vector<Aggregate> aggregates;
  std::string result = "result";
};

std::string Salt(const std::string& f) {
  return fmt::format("({}.rand(seed=42) * SALT_BUCKETS).cast(\"int\")", f);
}

void JoinCode(const std::string& f, const JoinParts& j, Lines& out) {
  out.push_back(fmt::format("{}_salted = {}.withColumn(\"_salt\", {})",
                            j.left_base, j.left, Salt(f)));
  out.push_back(
      fmt::format("{}_exploded = {}.withColumn(", j.right_base, j.right));
  out.push_back(
      fmt::format("    \"_salt\", {0}.explode({0}.array([{0}.lit(i) for i in "
                  "range(SALT_BUCKETS)]))",
                  f));
  out.push_back(")");
  out.push_back(fmt::format("{} = {}_salted.join(", j.result, j.left_base));
  out.push_back(fmt::format("    {}_exploded,", j.right_base));
  out.push_back(fmt::format("    on={},", j.on));
  out.push_back(fmt::format("    how={},", j.how));
  out.push_back(").drop(\"_salt\")");
}

void AggregationCode(const std::string& f, const AggregationParts& a,
                     Lines& out) {
  out.push_back("partial = (");
  out.push_back(
      fmt::format("    {}.withColumn(\"_salt\", {})", a.receiver, Salt(f)));
  out.push_back(fmt::format("    .groupBy({}, \"_salt\")", a.keys));
  out.push_back("    .agg(");
  for (size_t i = 0; i < a.aggregates.size(); ++i) {
    out.push_back(
        fmt::format("        {}.alias(\"_p{}\"),", a.aggregates[i].partial, i));
  }
  out.push_back("    )");
  out.push_back(")");
  out.push_back(
      fmt::format("{} = partial.{}({}).agg(", a.result, a.group, a.keys));
  for (size_t i = 0; i < a.aggregates.size(); ++i) {
    const Aggregate& g = a.aggregates[i];
    out.push_back(fmt::format("    {}.{}(\"_p{}\").alias({}),", f, g.combine, i,
                              PythonStringLiteral(g.name)));
  }
  out.push_back(")");
}

// The alias this file calls pyspark.sql.functions by, if any.
std::optional<std::string> FunctionsAlias(const PythonSource& source) {
  std::optional<std::string> alias;
  Walk(source.root(), [&](TSNode node) {
    if (alias) return false;
    bool from_sql = IsType(node, "import_from_statement") &&
                    source.Text(Field(node, "module_name")) == "pyspark.sql";
    if (!from_sql && !IsType(node, "import_statement")) return true;
    std::string_view wanted = from_sql ? "functions" : "pyspark.sql.functions";
    for (uint32_t i = 0; i < ts_node_named_child_count(node) && !alias; ++i) {
      TSNode name = ts_node_named_child(node, i);
      if (ts_node_eq(name, Field(node, "module_name"))) continue;
      if (IsType(name, "aliased_import") &&
          source.Text(Field(name, "name")) == wanted) {
        alias = std::string(source.Text(Field(name, "alias")));
      } else if (from_sql && source.Text(name) == wanted) {
        alias = "functions";
      }
    }
    return false;
  });
  return alias;
}

// The node's text when it fits on one line with no comment, else nullopt.
std::optional<std::string> Inline(const PythonSource& source, TSNode node) {
  if (ts_node_is_null(node)) return std::nullopt;
  std::string_view text = source.Text(node);
  if (text.find('\n') != std::string_view::npos ||
      text.find('#') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(text);
}

TSNode Keyword(TSNode call, std::string_view name, const PythonSource& s) {
  TSNode arguments = Field(call, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(arguments); ++i) {
    TSNode argument = ts_node_named_child(arguments, i);
    if (IsType(argument, "keyword_argument") &&
        s.Text(Field(argument, "name")) == name) {
      return Field(argument, "value");
    }
  }
  return TSNode{};
}

// The name `call` is assigned to (through parentheses), else `fallback`.
std::string AssignedName(const PythonSource& source, TSNode call,
                         std::string fallback) {
  TSNode node = call, parent = ts_node_parent(call);
  while (IsType(parent, "parenthesized_expression")) {
    node = parent;
    parent = ts_node_parent(parent);
  }
  if (IsType(parent, "assignment") &&
      ts_node_eq(Field(parent, "right"), node) &&
      IsType(Field(parent, "left"), "identifier")) {
    return std::string(source.Text(Field(parent, "left")));
  }
  return fallback;
}

uint32_t NameLine(TSNode call) {
  return ts_node_start_point(Field(Field(call, "function"), "attribute")).row +
         1;
}

std::string KeyWords(const std::optional<std::string>& key) {
  return key ? fmt::format("key {}", PythonStringLiteral(*key))
             : "key not named by the log";
}

bool KeepsResults(std::string how) {
  static const std::set<std::string> kSafe = {
      "inner",    "left",      "leftouter", "left_outer", "semi",
      "leftsemi", "left_semi", "anti",      "leftanti",   "left_anti"};
  std::transform(how.begin(), how.end(), how.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return kSafe.contains(how);
}

// Fills the parts from a side of the join: its text, else a placeholder.
void Side(const PythonSource& s, TSNode side, std::string_view which,
          uint32_t line, std::string& expression, std::string& base,
          Lines& notes) {
  if (auto text = Inline(s, side)) {
    expression = *text;
    if (auto name = SimpleName(s, side)) base = std::string(*name);
  } else if (!ts_node_is_null(side)) {
    std::string_view text = s.Text(side);
    text = text.substr(0, text.find_first_of("\n#"));
    text = text.substr(0, text.find_last_not_of(" \t\r") + 1);
    notes.push_back(
        fmt::format("# {}: the {} side of the join at line {}, `{} ...`",
                    expression, which, line, text));
  } else {
    notes.push_back(fmt::format("# {}: the {} side of the join at line {}",
                                expression, which, line));
  }
}

JoinParts JoinFrom(const PythonSource& s, TSNode join,
                   const SaltingTarget& target, Lines& notes) {
  JoinParts j;
  uint32_t line = NameLine(join);
  Side(s, Receiver(join), "left", line, j.left, j.left_base, notes);
  Side(s, FirstArgument(join), "right", line, j.right, j.right_base, notes);
  TSNode on = Argument(join, 1);
  if (ts_node_is_null(on)) on = Keyword(join, "on", s);
  // The call's own keys or condition first: the log's key may be one of
  // several.
  std::vector<std::string> keys;
  if (PlainString(s, on)) {
    keys.emplace_back(s.Text(on));
  } else if (IsType(on, "list")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(on); ++i) {
      TSNode element = ts_node_named_child(on, i);
      if (PlainString(s, element)) keys.emplace_back(s.Text(element));
    }
    if (keys.size() != ts_node_named_child_count(on)) keys.clear();
  }
  auto condition = Inline(s, on);
  if (keys.empty() && !condition && target.key) {
    keys.push_back(PythonStringLiteral(*target.key));
  }
  if (!keys.empty()) {
    std::string list;
    for (const auto& key : keys) list += key + ", ";
    j.on = "[" + list + "\"_salt\"]";
  } else if (condition) {
    j.on =
        fmt::format("({}) & ({}_salted[\"_salt\"] == {}_exploded[\"_salt\"])",
                    *condition, j.left_base, j.right_base);
  } else {
    j.on = "[\"key\", \"_salt\"]";
    notes.push_back(
        "# \"key\": the join column (neither the log nor the call "
        "names it)");
  }
  TSNode how = Argument(join, 2);
  if (ts_node_is_null(how)) how = Keyword(join, "how", s);
  if (auto text = Inline(s, how)) j.how = *text;
  if (auto value = PlainString(s, how); value && !KeepsResults(*value)) {
    notes.push_back(fmt::format(
        "# WARNING: this is a \"{}\" join; salting would change its results. "
        "Do not apply.",
        *value));
  } else if (!ts_node_is_null(how) && !value) {
    notes.push_back(
        "# Check the join type first: only inner and left joins "
        "keep their results.");
  }
  j.result = AssignedName(s, join, "joined");
  return j;
}

// One argument of .agg(...): `X.fn(...)` with an optional .alias("name").
void AddAggregate(const PythonSource& s, TSNode argument, AggregationParts& a,
                  std::vector<std::string>& unsupported) {
  static const std::set<std::string_view> kAlgebraic = {"sum", "count", "min",
                                                        "max"};
  TSNode expression = argument;
  std::optional<std::string> name;
  if (MethodName(s, expression) == "alias") {
    name = PlainString(s, FirstArgument(expression));
    expression = Receiver(expression);
  }
  std::string_view function = MethodName(s, expression);
  auto text = Inline(s, expression);
  if (!text || !kAlgebraic.contains(function)) {
    unsupported.push_back(
        Inline(s, argument)
            .value_or(fmt::format("the aggregate at line {}",
                                  ts_node_start_point(argument).row + 1)));
    return;
  }
  if (!name) {
    auto column = PlainString(s, FirstArgument(expression));
    name = fmt::format("{}({})", function,
                       !column          ? *text
                       : *column == "*" ? "1"
                                        : *column);
  }
  a.aggregates.push_back(Aggregate{
      *text, function == "count" ? "sum" : std::string(function), *name});
}

AggregationParts AggregationFrom(const PythonSource& s, TSNode group,
                                 const std::string& f,
                                 const SaltingTarget& target, Lines& notes) {
  AggregationParts a;
  uint32_t line = NameLine(group);
  a.group = std::string(MethodName(s, group));
  if (auto text = Inline(s, Receiver(group))) {
    a.receiver = *text;
  } else {
    notes.push_back(
        fmt::format("# df: the DataFrame grouped at line {}", line));
  }
  std::string keys;
  bool inline_keys = true;
  for (uint32_t i = 0; !ts_node_is_null(Argument(group, i)); ++i) {
    TSNode key = Argument(group, i);
    auto text = Inline(s, key);
    inline_keys &= text.has_value();
    if (text)
      keys += (keys.empty() ? "" : ", ") +
              (IsType(key, "list") ? "*" + *text : *text);
  }
  if (inline_keys && !keys.empty()) {
    a.keys = keys;
  } else if (target.key) {
    a.keys = PythonStringLiteral(*target.key);
  } else {
    notes.push_back("# \"key\": the grouping columns");
  }
  std::vector<std::string> unsupported;
  TSNode attribute = ts_node_parent(group), call = ts_node_parent(attribute);
  bool chained = IsType(attribute, "attribute") &&
                 ts_node_eq(Field(attribute, "object"), group) &&
                 IsType(call, "call") &&
                 ts_node_eq(Field(call, "function"), attribute);
  std::string_view method = chained ? MethodName(s, call) : "";
  if (method == "agg") {
    for (uint32_t i = 0; !ts_node_is_null(Argument(call, i)); ++i) {
      AddAggregate(s, Argument(call, i), a, unsupported);
    }
  } else if (method == "count") {
    a.aggregates.push_back(
        Aggregate{fmt::format("{0}.count({0}.lit(1))", f), "sum", "count"});
  } else if (method == "sum" || method == "min" || method == "max") {
    for (uint32_t i = 0; !ts_node_is_null(Argument(call, i)); ++i) {
      auto column = PlainString(s, Argument(call, i));
      if (!column) continue;
      a.aggregates.push_back(Aggregate{
          fmt::format("{}.{}({})", f, method, s.Text(Argument(call, i))),
          std::string(method), fmt::format("{}({})", method, *column)});
    }
  } else if (chained) {
    unsupported.push_back(fmt::format(".{}(...)", method));
  }
  if (chained) a.result = AssignedName(s, call, "result");
  if (a.aggregates.empty()) {
    a.aggregates.push_back(Aggregate{f + ".sum(\"value\")", "sum", "value"});
    notes.push_back("# \"value\": the aggregated column");
  }
  if (!unsupported.empty()) {
    std::string list;
    for (const auto& u : unsupported) list += (list.empty() ? "" : ", ") + u;
    notes.push_back(fmt::format(
        "# WARNING: {} cannot be split into two phases; rework by hand (an "
        "average is a sum over a count).",
        list));
  }
  return a;
}

const char* const kJoinAdvice[] = {
    "# The left side gets a random salt; the right side is copied once per",
    "# salt value, so each hot key spreads over SALT_BUCKETS tasks.",
    "# Only inner and left joins (and semi or anti joins) keep their results;",
    "# never salt the preserved side of an outer join."};
const char* const kAggregationAdvice[] = {
    "# Partial aggregates per (key, salt) spread a hot key over SALT_BUCKETS",
    "# tasks; the second phase combines them per key. Valid for sum, count,",
    "# min and max only (counts are summed); not avg or distinct aggregates.",
};

}  // namespace

std::string SaltingSketch(const PythonSource* source,
                          const SaltingTarget& target) {
  int64_t buckets = std::max<int64_t>(2, target.buckets);
  std::optional<std::string> alias =
      source ? FunctionsAlias(*source) : std::nullopt;
  std::string f = alias.value_or("F");
  std::vector<TSNode> joins, groups;
  if (source && target.line > 0) {
    for (TSNode call : CallsOnLine(*source, target.line)) {
      if (IsDataFrameJoin(*source, call)) joins.push_back(call);
      TSNode group = GroupingCall(*source, call);
      if (ts_node_is_null(group)) continue;
      bool seen = false;
      for (TSNode other : groups) seen |= ts_node_eq(other, group);
      if (!seen) groups.push_back(group);
    }
  }
  Lines head, notes, code;
  std::string what =
      fmt::format("{}, {} buckets", KeyWords(target.key), buckets);
  if (joins.size() == 1 && groups.empty()) {
    head.push_back(fmt::format(
        "# Salting the skewed join at line {} ({}): a sketch, not applied.",
        NameLine(joins[0]), what));
    head.insert(head.end(), std::begin(kJoinAdvice), std::end(kJoinAdvice));
    JoinCode(f, JoinFrom(*source, joins[0], target, notes), code);
  } else if (groups.size() == 1 && joins.empty()) {
    head.push_back(fmt::format(
        "# Salting the skewed aggregation at line {} ({}): a sketch, not "
        "applied.",
        NameLine(groups[0]), what));
    head.insert(head.end(), std::begin(kAggregationAdvice),
                std::end(kAggregationAdvice));
    AggregationCode(f, AggregationFrom(*source, groups[0], f, target, notes),
                    code);
  } else {
    std::string why =
        target.line == 0 ? "the log names no call site"
        : !source        ? "the source file is not at hand"
                         : fmt::format("line {} holds {} joins and groupBys",
                                       target.line, joins.size() + groups.size());
    head.push_back(
        fmt::format("# Salting ({}): a sketch, not applied; {}.", what, why));
    head.push_back("# Rename big, small, df and the columns to the job's own.");
    JoinParts join;
    AggregationParts aggregation;
    if (target.key) {
      join.on =
          fmt::format("[{}, \"_salt\"]", PythonStringLiteral(*target.key));
      aggregation.keys = PythonStringLiteral(*target.key);
    } else {
      join.on = "[\"key\", \"_salt\"]";
    }
    aggregation.aggregates.push_back(
        Aggregate{f + ".sum(\"value\")", "sum", "value"});
    code.push_back("# A skewed join:");
    code.insert(code.end(), std::begin(kJoinAdvice), std::end(kJoinAdvice));
    JoinCode(f, join, code);
    code.push_back("");
    code.push_back("# A skewed aggregation, in two phases:");
    code.insert(code.end(), std::begin(kAggregationAdvice),
                std::end(kAggregationAdvice));
    AggregationCode(f, aggregation, code);
  }
  std::string out;
  for (const auto& line : head) out += line + "\n";
  for (const auto& line : notes) out += line + "\n";
  if (!alias) out += "from pyspark.sql import functions as F\n";
  out += fmt::format("SALT_BUCKETS = {}\n", buckets);
  for (const auto& line : code) out += line + "\n";
  return out;
}

}  // namespace prometheus::rewrite

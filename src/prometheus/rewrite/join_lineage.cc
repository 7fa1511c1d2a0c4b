#include "prometheus/rewrite/join_lineage.h"

#include <algorithm>
#include <deque>
#include <set>
#include <utility>

#include "prometheus/rewrite/bindings.h"

namespace prometheus::rewrite {
namespace {

// A file's names lead to at most this many right-hand sides: enough for a
// long job, and a bound on a file that rebinds names in circles.
constexpr int kMaxSteps = 512;

bool SpansRow(TSNode node, uint32_t row) {
  return ts_node_start_point(node).row <= row &&
         row <= ts_node_end_point(node).row;
}

// The innermost block (or the module) under `node` spanning `row`, through
// compound statements and their clauses; a null node when none.
TSNode BlockAt(TSNode node, uint32_t row) {
  for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
    TSNode child = ts_node_named_child(node, i);
    if (!SpansRow(child, row)) continue;
    if (IsType(child, "block")) return child;
    if (TSNode inner = BlockAt(child, row); !ts_node_is_null(inner))
      return inner;
  }
  return TSNode{};
}

// The innermost statement spanning `row`: a child of the module or of a
// block.
TSNode StatementAt(TSNode root, uint32_t row) {
  TSNode container = root;
  TSNode statement{};
  while (true) {
    TSNode found{};
    for (uint32_t i = 0; i < ts_node_named_child_count(container); ++i) {
      TSNode child = ts_node_named_child(container, i);
      if (SpansRow(child, row) && !IsType(child, "comment")) {
        found = child;
        break;
      }
    }
    if (ts_node_is_null(found)) return statement;
    statement = found;
    container = BlockAt(found, row);
    if (ts_node_is_null(container)) return statement;
  }
}

// True for an identifier that reads a variable: not an attribute's name, a
// keyword argument's name, nor the target of an assignment.
bool IsReference(TSNode identifier) {
  TSNode parent = ts_node_parent(identifier);
  if (ts_node_is_null(parent)) return true;
  if (IsType(parent, "attribute"))
    return !ts_node_eq(Field(parent, "attribute"), identifier);
  if (IsType(parent, "keyword_argument"))
    return !ts_node_eq(Field(parent, "name"), identifier);
  if (IsType(parent, "assignment") || IsType(parent, "augmented_assignment"))
    return !ts_node_eq(Field(parent, "left"), identifier);
  return true;
}

bool IsJoin(const PythonSource& source, TSNode node) {
  return IsType(node, "call") && MethodName(source, node) == "join" &&
         !IsType(Field(Field(node, "function"), "object"), "string");
}

void AddName(std::vector<std::string>& names, std::string name) {
  if (std::find(names.begin(), names.end(), name) == names.end())
    names.push_back(std::move(name));
}

// The n-th positional argument of `call` or its keyword argument `keyword`.
TSNode PositionalOrKeyword(const PythonSource& source, TSNode call,
                           uint32_t n, std::string_view keyword) {
  if (TSNode positional = Argument(call, n); !ts_node_is_null(positional))
    return positional;
  TSNode args = Field(call, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
    TSNode arg = ts_node_named_child(args, i);
    if (IsType(arg, "keyword_argument") &&
        source.Text(Field(arg, "name")) == keyword) {
      return Field(arg, "value");
    }
  }
  return TSNode{};
}

}  // namespace

TSNode JoinCondition(const PythonSource& source, TSNode join) {
  return PositionalOrKeyword(source, join, 1, "on");
}

TSNode JoinHow(const PythonSource& source, TSNode join) {
  return PositionalOrKeyword(source, join, 2, "how");
}

std::vector<TSNode> JoinsBehind(const PythonSource& source, uint32_t line) {
  std::vector<TSNode> joins;
  if (line == 0) return joins;
  TSNode statement = StatementAt(source.root(), line - 1);
  if (ts_node_is_null(statement)) return joins;
  AssignmentIndex index(source);
  // Each expression met, with the byte before which its names were bound.
  std::deque<std::pair<TSNode, uint32_t>> queue{
      {statement, ts_node_start_byte(statement)}};
  std::set<std::pair<uint32_t, uint32_t>> seen;  // expressions' byte spans
  for (int steps = 0; !queue.empty() && steps < kMaxSteps; ++steps) {
    auto [expression, before] = queue.front();
    queue.pop_front();
    if (!seen.insert({ts_node_start_byte(expression),
                      ts_node_end_byte(expression)})
             .second) {
      continue;
    }
    Walk(expression, [&](TSNode node) {
      if (IsJoin(source, node) &&
          std::none_of(joins.begin(), joins.end(),
                       [&](TSNode j) { return ts_node_eq(j, node); })) {
        joins.push_back(node);
      }
      if (IsType(node, "identifier") && IsReference(node)) {
        TSNode assignment = index.Last(source.Text(node), before);
        if (!ts_node_is_null(assignment)) {
          queue.emplace_back(Field(assignment, "right"),
                             ts_node_start_byte(assignment));
        }
      }
      return true;
    });
  }
  return joins;
}

std::vector<std::string> JoinConditionNames(const PythonSource& source,
                                            TSNode join) {
  std::vector<std::string> names;
  TSNode on = JoinCondition(source, join);
  if (ts_node_is_null(on)) return names;
  if (auto name = PlainString(source, on)) {
    AddName(names, *name);
    return names;
  }
  if (IsType(on, "list") || IsType(on, "tuple")) {
    for (uint32_t i = 0; i < ts_node_named_child_count(on); ++i) {
      if (auto name = PlainString(source, ts_node_named_child(on, i)))
        AddName(names, *name);
    }
    return names;
  }
  Walk(on, [&](TSNode node) {
    if (IsType(node, "call")) {
      std::string_view function = source.Text(Field(node, "function"));
      if (function == "col" || function == "column" ||
          function.ends_with(".col") || function.ends_with(".column")) {
        if (auto name = PlainString(source, FirstArgument(node)))
          AddName(names, *name);
      }
    } else if (IsType(node, "attribute")) {
      // `F.col` in `F.col("k")` names a function, not a column.
      TSNode parent = ts_node_parent(node);
      if (!IsType(parent, "call") || !ts_node_eq(Field(parent, "function"), node))
        AddName(names, std::string(source.Text(Field(node, "attribute"))));
    } else if (IsType(node, "subscript")) {
      if (auto name = PlainString(source, Field(node, "subscript")))
        AddName(names, *name);
    }
    return true;
  });
  return names;
}

}  // namespace prometheus::rewrite

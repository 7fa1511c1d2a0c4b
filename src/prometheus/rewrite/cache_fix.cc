#include "prometheus/rewrite/cache_fix.h"

#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace prometheus::rewrite {
namespace {

// One `name = <read>` and the loads of `name` that see its value.
struct Candidate {
  TSNode assignment{};
  std::string_view name;
  std::vector<TSNode> uses;
  TSNode cached{};  // a .cache()/.persist() call on the value, if any
};

uint32_t Line(TSNode node) { return ts_node_start_point(node).row + 1; }

bool IsCaching(const PythonSource& source, TSNode call) {
  std::string_view method = MethodName(source, call);
  return method == "cache" || method == "persist";
}

bool Spans(TSNode node, uint32_t line) {
  return ts_node_start_point(node).row + 1 <= line &&
         line <= ts_node_end_point(node).row + 1;
}

// The function a name is bound in, else the module: uses outside it see
// another binding.
TSNode ScopeOf(const PythonSource& source, TSNode node) {
  for (TSNode parent = ts_node_parent(node); !ts_node_is_null(parent);
       parent = ts_node_parent(parent)) {
    if (IsType(parent, "function_definition")) return parent;
  }
  return source.root();
}

// True when `identifier` is a parameter's name.
bool IsParameter(TSNode identifier) {
  TSNode parent = ts_node_parent(identifier);
  for (const char* type : {"parameters", "lambda_parameters", "typed_parameter",
                           "list_splat_pattern", "dictionary_splat_pattern"}) {
    if (IsType(parent, type)) return true;
  }
  return (IsType(parent, "default_parameter") ||
          IsType(parent, "typed_default_parameter")) &&
         ts_node_eq(Field(parent, "name"), identifier);
}

// True for an identifier that loads a variable (not an attribute name, a
// keyword, a parameter or a binding target).
bool IsLoad(TSNode identifier) {
  TSNode parent = ts_node_parent(identifier);
  for (const char* field : {"attribute", "name", "left"}) {
    if (ts_node_eq(Field(parent, field), identifier)) return false;
  }
  return !IsParameter(identifier);
}

// True when `function` (a def or lambda) has a parameter named `name`.
bool BindsParameter(const PythonSource& source, TSNode function,
                    std::string_view name) {
  bool binds = false;
  TSNode parameters = Field(function, "parameters");
  if (ts_node_is_null(parameters)) return false;
  Walk(parameters, [&](TSNode node) {
    binds |= IsType(node, "identifier") && source.Text(node) == name &&
             IsParameter(node);
    return !binds;
  });
  return binds;
}

// The loads of the assigned name after the assignment, up to the end of the
// next assignment that binds it again (its right-hand side still sees it)
// or the body of a loop that does.
void CollectUses(const PythonSource& source, Candidate& candidate) {
  uint32_t from = ts_node_end_byte(candidate.assignment);
  uint32_t until = std::numeric_limits<uint32_t>::max();
  Walk(ScopeOf(source, candidate.assignment), [&](TSNode node) {
    if (ts_node_end_byte(node) <= from || ts_node_start_byte(node) >= until) {
      return false;
    }
    if ((IsType(node, "function_definition") || IsType(node, "lambda")) &&
        BindsParameter(source, node, candidate.name)) {
      return false;  // the name is another variable in there
    }
    if ((IsType(node, "assignment") || IsType(node, "for_statement")) &&
        ts_node_start_byte(node) >= from &&
        source.Text(Field(node, "left")) == candidate.name &&
        until == std::numeric_limits<uint32_t>::max()) {
      // A loop variable is bound from the loop's body on.
      until = IsType(node, "for_statement")
                  ? ts_node_start_byte(Field(node, "body"))
                  : ts_node_end_byte(node);
    }
    if (IsType(node, "identifier") && ts_node_start_byte(node) >= from &&
        source.Text(node) == candidate.name && IsLoad(node)) {
      candidate.uses.push_back(node);
      TSNode attribute = ts_node_parent(node);
      TSNode call = ts_node_parent(attribute);
      if (IsType(attribute, "attribute") && IsCaching(source, call)) {
        candidate.cached = call;
      }
    }
    return true;
  });
}

// A .cache()/.persist() call in the chain of `expression`, else null.
TSNode CachingInChain(const PythonSource& source, TSNode expression) {
  for (TSNode node = expression; !ts_node_is_null(node);) {
    if (IsType(node, "parenthesized_expression")) {
      node = ts_node_named_child(node, 0);
    } else if (IsType(node, "call")) {
      if (IsCaching(source, node)) return node;
      node = Field(node, "function");
    } else if (IsType(node, "attribute")) {
      node = Field(node, "object");
    } else {
      break;
    }
  }
  return TSNode{};
}

std::string Lines(const std::vector<Candidate>& candidates) {
  std::string out;
  for (const auto& c : candidates) {
    out += fmt::format("{}{} (line {})", out.empty() ? "" : ", ", c.name,
                       Line(c.assignment));
  }
  return out;
}

}  // namespace

Result<FixPlan> PlanCacheFix(const PythonSource& source,
                             const CacheTarget& target) {
  if (!target.table && !target.path) {
    return Fail(ErrorCode::kInvalidArgument,
                "the fix names neither a table nor a path");
  }
  std::string what = target.table ? fmt::format("table {}", *target.table)
                                  : fmt::format("path {}", *target.path);
  std::vector<Candidate> reads;
  Walk(source.root(), [&](TSNode node) {
    if (!IsType(node, "assignment")) return true;
    TSNode left = Field(node, "left");
    TSNode right = Field(node, "right");
    if (IsType(left, "identifier") && !ts_node_is_null(right) &&
        ReadsTarget(source, right, target)) {
      Candidate candidate{node, source.Text(left)};
      CollectUses(source, candidate);
      // The action that read the data comes after the read's assignment,
      // in the same function (or module).
      bool at_line =
          target.line == 0 || (Line(node) <= target.line &&
                               Spans(ScopeOf(source, node), target.line));
      if (at_line) reads.push_back(std::move(candidate));
    }
    return true;
  });
  std::string where =
      target.line == 0 ? "" : fmt::format(" at line {}", target.line);
  if (reads.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no assignment `name = ...` reads {}{}", what, where);
  }
  std::vector<Candidate> reused;
  for (const auto& candidate : reads) {
    if (candidate.uses.size() >= 2) reused.push_back(candidate);
  }
  if (reused.empty() && reads.size() == 1) {
    return Fail(ErrorCode::kNotFound,
        "line {}: {} (read from {}) is used {} time(s) afterwards, fewer than "
        "twice; caching would not pay",
        Line(reads[0].assignment), reads[0].name, what, reads[0].uses.size());
  }
  if (reused.empty()) {
    return Fail(ErrorCode::kNotFound,
                "{} assignments read {}{} and none is used twice: {}",
                reads.size(), what, where, Lines(reads));
  }
  if (reused.size() > 1) {
    return Fail(ErrorCode::kInvalidArgument,
        "{} assignments read {}{} and are used twice or more: {}; "
        "ambiguous",
        reused.size(), what, where, Lines(reused));
  }
  const Candidate& chosen = reused[0];
  TSNode right = Field(chosen.assignment, "right");
  uint32_t line = Line(chosen.assignment);
  TSNode cached = CachingInChain(source, right);
  if (ts_node_is_null(cached)) cached = chosen.cached;
  if (!ts_node_is_null(cached)) {
    return FixPlan{{},
                   fmt::format("line {}: {} is already cached (.{}() at line "
                               "{})",
                               line, chosen.name, MethodName(source, cached),
                               Line(cached))};
  }
  FixPlan plan;
  uint32_t start = ts_node_start_byte(right), end = ts_node_end_byte(right);
  bool primary = IsType(right, "call") || IsType(right, "attribute") ||
                 IsType(right, "identifier") || IsType(right, "subscript") ||
                 IsType(right, "parenthesized_expression");
  if (!primary) plan.edits.push_back(Edit{start, start, "("});
  plan.edits.push_back(Edit{end, end, primary ? ".cache()" : ").cache()"});
  uint32_t last = Line(chosen.uses.back());
  plan.note = fmt::format(
      "line {}: .cache() appended to {}, which reads {} and is used {} times; "
      "call {}.unpersist() once its last use (line {}) is done",
      line, chosen.name, what, chosen.uses.size(), chosen.name, last);
  return plan;
}

}  // namespace prometheus::rewrite

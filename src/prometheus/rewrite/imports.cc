#include "prometheus/rewrite/imports.h"

#include <algorithm>

#include "prometheus/rewrite/databricks_notebook.h"

namespace prometheus::rewrite {
namespace {

// What one name bound by an import statement is, for `module`.`name`.
struct ImportBinding {
  enum Kind { kName, kModule, kStar, kOther } kind = kOther;
  std::string bound;     // the name bound in the scope
  std::string spelling;  // how to call the symbol through it
};

struct Symbol {
  std::string_view module, name, parent, leaf;
};

Symbol MakeSymbol(std::string_view module, std::string_view name) {
  size_t dot = module.rfind('.');
  if (dot == std::string_view::npos) return {module, name, "", module};
  return {module, name, module.substr(0, dot), module.substr(dot + 1)};
}

bool IsImport(TSNode node) {
  return IsType(node, "import_statement") ||
         IsType(node, "import_from_statement") ||
         IsType(node, "future_import_statement");
}

std::string_view Root(std::string_view dotted) {
  return dotted.substr(0, dotted.find('.'));
}

std::vector<ImportBinding> BindingsOf(const PythonSource& source,
                                      TSNode statement, const Symbol& symbol) {
  std::vector<ImportBinding> out;
  std::string dot_name = "." + std::string(symbol.name);
  if (IsType(statement, "future_import_statement")) return out;
  TSNode module_name = Field(statement, "module_name");
  bool from = IsType(statement, "import_from_statement");
  std::string_view from_module = from ? source.Text(module_name) : "";
  for (uint32_t i = 0; i < ts_node_named_child_count(statement); ++i) {
    TSNode child = ts_node_named_child(statement, i);
    if (from && ts_node_eq(child, module_name)) continue;
    if (IsType(child, "wildcard_import")) {
      if (from_module == symbol.module)
        out.push_back({ImportBinding::kStar, "", std::string(symbol.name)});
      continue;
    }
    bool aliased = IsType(child, "aliased_import");
    if (!aliased && !IsType(child, "dotted_name")) continue;
    std::string_view imported =
        source.Text(aliased ? Field(child, "name") : child);
    std::string bound(aliased ? source.Text(Field(child, "alias")) : imported);
    if (!from) {
      if (imported == symbol.module) {
        out.push_back({ImportBinding::kModule,
                       aliased ? bound : std::string(Root(bound)),
                       bound + dot_name});
      } else if (aliased || Root(imported) != Root(symbol.module)) {
        out.push_back({ImportBinding::kOther, std::string(Root(bound)), ""});
      }
    } else if (from_module == symbol.module && imported == symbol.name) {
      out.push_back({ImportBinding::kName, bound, bound});
    } else if (from_module == symbol.parent && imported == symbol.leaf) {
      out.push_back({ImportBinding::kModule, bound, bound + dot_name});
    } else {
      out.push_back({ImportBinding::kOther, bound, ""});
    }
  }
  return out;
}

// The functions enclosing `offset`, innermost first.
std::vector<TSNode> EnclosingFunctions(const PythonSource& source,
                                       uint32_t offset) {
  std::vector<TSNode> functions;
  TSNode node =
      ts_node_descendant_for_byte_range(source.root(), offset, offset);
  for (; !ts_node_is_null(node); node = ts_node_parent(node)) {
    if (IsType(node, "function_definition")) functions.push_back(node);
  }
  return functions;
}

std::vector<TSNode> Statements(TSNode block) {
  std::vector<TSNode> out;
  for (uint32_t i = 0; i < ts_node_named_child_count(block); ++i) {
    out.push_back(ts_node_named_child(block, i));
  }
  return out;
}

// Calls `bound` with every identifier a binding target (`a`, `a, b`) binds.
void TargetNames(TSNode target, const std::function<void(TSNode)>& bound) {
  if (ts_node_is_null(target)) return;
  Walk(target, [&](TSNode node) {
    if (IsType(node, "identifier")) bound(node);
    return !IsType(node, "attribute") && !IsType(node, "subscript");
  });
}

// The line of a binding of `identifier` in the scope of `scope` (module or
// function) that is not an import of the symbol, or 0.
uint32_t OtherBinding(const PythonSource& source, TSNode scope,
                      std::string_view identifier, const Symbol& symbol) {
  uint32_t line = 0;
  auto check = [&](TSNode node) {
    if (line == 0 && !ts_node_is_null(node) &&
        source.Text(node) == identifier) {
      line = ts_node_start_point(node).row + 1;
    }
  };
  if (IsType(scope, "function_definition")) {
    TSNode parameters = Field(scope, "parameters");
    for (TSNode parameter : Statements(parameters)) {
      TSNode name = IsType(parameter, "identifier") ? parameter
                                                    : Field(parameter, "name");
      if (ts_node_is_null(name) && ts_node_named_child_count(parameter) > 0) {
        name = ts_node_named_child(parameter, 0);
      }
      check(name);
    }
    scope = Field(scope, "body");
  }
  Walk(scope, [&](TSNode node) {
    if (IsType(node, "function_definition") ||
        IsType(node, "class_definition")) {
      check(Field(node, "name"));
      return false;
    }
    if (IsType(node, "lambda")) return false;
    if (IsType(node, "assignment") || IsType(node, "augmented_assignment") ||
        IsType(node, "for_statement") || IsType(node, "for_in_clause")) {
      TargetNames(Field(node, "left"), check);
    } else if (IsType(node, "as_pattern")) {
      TargetNames(Field(node, "alias"), check);
    } else if (IsType(node, "named_expression")) {
      check(Field(node, "name"));
    } else if (IsImport(node)) {
      for (const ImportBinding& binding : BindingsOf(source, node, symbol)) {
        if (binding.kind == ImportBinding::kOther &&
            binding.bound == identifier && line == 0) {
          line = ts_node_start_point(node).row + 1;
        }
      }
    }
    return true;
  });
  return line;
}

// Appends `name` to the names of a `from m import a, b` statement.
Edit ExtendImport(const PythonSource& source, TSNode statement,
                  std::string_view name) {
  TSNode module_name = Field(statement, "module_name"), last{}, comma{},
         close{};
  for (uint32_t i = 0; i < ts_node_child_count(statement); ++i) {
    TSNode child = ts_node_child(statement, i);
    if (ts_node_is_named(child) && !IsType(child, "comment") &&
        !ts_node_eq(child, module_name)) {
      last = child;
      comma = TSNode{};
    } else if (IsType(child, ",")) {
      comma = child;
    } else if (IsType(child, ")")) {
      close = child;
    }
  }
  uint32_t close_start = ts_node_is_null(close) ? 0 : ts_node_start_byte(close);
  std::string before_close = source.IndentOfLine(close_start);
  bool own_line =
      !ts_node_is_null(close) &&
      ts_node_start_point(close).row > ts_node_end_point(last).row &&
      close_start - before_close.size() ==
          source.text().rfind('\n', close_start) + 1;
  if (own_line) {  // `(\n    a,\n    b,\n)`: a new line before the `)` line
    uint32_t line_start =
        close_start - static_cast<uint32_t>(before_close.size());
    std::string line = source.IndentOfLine(ts_node_start_byte(last)) +
                       std::string(name) + (ts_node_is_null(comma) ? "" : ",") +
                       source.Newline();
    if (!ts_node_is_null(comma)) return Edit{line_start, line_start, line};
    uint32_t after_last = ts_node_end_byte(last);
    std::string between =
        source.text().substr(after_last, line_start - after_last);
    return Edit{after_last, line_start, "," + between + line};
  }
  if (!ts_node_is_null(comma)) {
    uint32_t at = ts_node_end_byte(comma);
    return Edit{at, at, " " + std::string(name) + ","};
  }
  uint32_t at = ts_node_end_byte(last);
  return Edit{at, at, ", " + std::string(name)};
}

bool IsDocstring(TSNode statement) {
  return IsType(statement, "expression_statement") &&
         ts_node_named_child_count(statement) == 1 &&
         IsType(ts_node_named_child(statement, 0), "string");
}

// Where a new top-level import goes: after the last top-level import before
// `use_offset`, else after a docstring, else after shebang and coding lines.
uint32_t InsertionPoint(const PythonSource& source, uint32_t use_offset) {
  std::optional<uint32_t> after;
  TSNode first{};
  for (TSNode statement : Statements(source.root())) {
    if (IsType(statement, "comment")) continue;
    if (ts_node_is_null(first)) first = statement;
    if (ts_node_start_byte(statement) >= use_offset) break;
    if (IsImport(statement))
      after = source.EndOfLine(ts_node_end_byte(statement));
  }
  if (after) return *after;
  if (IsDocstring(first)) return source.EndOfLine(ts_node_end_byte(first));
  const std::string& text = source.text();
  uint32_t at = 0;
  for (int line = 0; line < 2 && at < text.size(); ++line) {
    uint32_t end = source.EndOfLine(at);
    std::string_view content = std::string_view(text).substr(at, end - at);
    bool shebang = line == 0 && content.starts_with("#!");
    bool coding = content.starts_with("#") &&
                  (content.find("coding:") != std::string_view::npos ||
                   content.find("coding=") != std::string_view::npos);
    if (!shebang && !coding) break;
    at = end;
  }
  return at;
}

}  // namespace

Result<ImportedSymbol> ImportSymbol(const PythonSource& source,
                                    std::string_view module,
                                    std::string_view name,
                                    uint32_t use_offset) {
  Symbol symbol = MakeSymbol(module, name);
  std::vector<TSNode> scopes = EnclosingFunctions(source, use_offset);
  scopes.push_back(source.root());
  auto shadowed = [&](std::string_view identifier) {
    for (TSNode scope : scopes) {
      if (uint32_t line = OtherBinding(source, scope, identifier, symbol))
        return line;
    }
    return 0u;
  };
  std::optional<ImportBinding> by_name, by_module, star;
  TSNode extendable{};
  // Module-level imports first, then the enclosing functions', outermost first.
  for (auto scope = scopes.rbegin(); scope != scopes.rend(); ++scope) {
    TSNode block = IsType(*scope, "module") ? *scope : Field(*scope, "body");
    for (TSNode statement : Statements(block)) {
      if (ts_node_start_byte(statement) >= use_offset || !IsImport(statement))
        continue;
      for (ImportBinding& binding : BindingsOf(source, statement, symbol)) {
        if (binding.kind == ImportBinding::kName && !by_name) by_name = binding;
        if (binding.kind == ImportBinding::kModule && !by_module)
          by_module = binding;
        if (binding.kind == ImportBinding::kStar && !star) star = binding;
      }
      if (IsType(statement, "import_from_statement") &&
          ts_node_is_null(extendable) &&
          source.Text(Field(statement, "module_name")) == module) {
        extendable = statement;
      }
    }
  }
  if (by_name && !shadowed(by_name->bound))
    return ImportedSymbol{by_name->spelling, std::nullopt};
  if (by_module && !shadowed(by_module->bound)) {
    return ImportedSymbol{by_module->spelling, std::nullopt};
  }
  if (uint32_t line = shadowed(name)) {
    return Fail(ErrorCode::kInvalidArgument,
        "`{0}` is bound on line {1} to something other than {2}.{0} and no "
        "alias of {2} is imported before the use; a bare {0}(...) would call "
        "that binding, and importing {0} would shadow it",
        name, line, module);
  }
  if (star) return ImportedSymbol{std::string(name), std::nullopt};
  if (!ts_node_is_null(extendable)) {
    return ImportedSymbol{std::string(name),
                          ExtendImport(source, extendable, name)};
  }
  std::string line =
      fmt::format("from {} import {}{}", module, name, source.Newline());
  if (IsDatabricksNotebookSource(source.text())) {
    // A cell of its own after the header: the header stays the first line,
    // no `%run` or `%pip` cell gains Python, and no cell's lines move (call
    // sites name lines of cells).
    uint32_t at = source.EndOfLine(0);
    std::string nl = source.Newline();
    return ImportedSymbol{
        std::string(name),
        Edit{at, at, line + nl + "# COMMAND ----------" + nl + nl}};
  }
  uint32_t at = InsertionPoint(source, use_offset);
  if (at == source.text().size() && at > 0 && source.text().back() != '\n') {
    line = source.Newline() + line;
  }
  return ImportedSymbol{std::string(name), Edit{at, at, line}};
}

std::vector<std::string> SymbolSpellings(const PythonSource& source,
                                         std::string_view module,
                                         std::string_view name) {
  Symbol symbol = MakeSymbol(module, name);
  std::vector<std::string> spellings = {std::string(name),
                                        fmt::format("{}.{}", symbol.leaf, name),
                                        fmt::format("{}.{}", module, name)};
  Walk(source.root(), [&](TSNode node) {
    if (!IsImport(node)) return true;
    for (const ImportBinding& binding : BindingsOf(source, node, symbol)) {
      if (binding.kind != ImportBinding::kOther)
        spellings.push_back(binding.spelling);
    }
    return false;
  });
  std::sort(spellings.begin(), spellings.end());
  spellings.erase(std::unique(spellings.begin(), spellings.end()),
                  spellings.end());
  return spellings;
}

}  // namespace prometheus::rewrite

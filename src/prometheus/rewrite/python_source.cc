#include "prometheus/rewrite/python_source.h"

#include <cstring>

extern "C" const TSLanguage* tree_sitter_python(void);

namespace prometheus::rewrite {
namespace {

struct ParserDeleter {
  void operator()(TSParser* parser) const { ts_parser_delete(parser); }
};

}  // namespace

Result<PythonSource> PythonSource::Parse(std::string text) {
  for (size_t i = text.find('\r'); i != std::string::npos;
       i = text.find('\r', i + 1)) {
    if (i + 1 == text.size() || text[i + 1] != '\n') {
      return Fail(ErrorCode::kCorrupt,
          "bare carriage return (old Mac line ending) at byte {}: not "
          "supported",
          i);
    }
  }
  // One parser per thread, reused: a fix run parses hundreds of files.
  thread_local std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  if (ts_parser_language(parser.get()) != tree_sitter_python() &&
      !ts_parser_set_language(parser.get(), tree_sitter_python())) {
    return Fail(ErrorCode::kInternal,
        "the tree-sitter runtime refuses the Python grammar (ABI {} not in "
        "{}..{})",
        ts_language_version(tree_sitter_python()),
        TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
        TREE_SITTER_LANGUAGE_VERSION);
  }
  TSTree* tree = ts_parser_parse_string(parser.get(), nullptr, text.data(),
                                        static_cast<uint32_t>(text.size()));
  if (tree == nullptr) return Fail(ErrorCode::kCorrupt,
                                   "tree-sitter could not parse the file");
  return PythonSource(std::move(text), tree);
}

std::optional<SyntaxProblem> PythonSource::Problem() const {
  if (!ts_node_has_error(root())) return std::nullopt;
  std::optional<SyntaxProblem> found;
  // MISSING nodes can be anonymous tokens, so walk every child.
  Walk(root(), [&](TSNode node) {
    if (found) return false;
    bool error = IsType(node, "ERROR");
    if (error || ts_node_is_missing(node)) {
      TSPoint at = ts_node_start_point(node);
      found =
          SyntaxProblem{at.row + 1, at.column + 1,
                        error ? "syntax error"
                              : fmt::format("missing {}", ts_node_type(node))};
      return false;
    }
    return ts_node_has_error(node);
  });
  if (!found) found = SyntaxProblem{1, 1, "syntax error"};
  return found;
}

std::string PythonSource::Newline() const {
  size_t lf = text_.find('\n');
  return lf != std::string::npos && lf > 0 && text_[lf - 1] == '\r' ? "\r\n"
                                                                    : "\n";
}

uint32_t PythonSource::EndOfLine(uint32_t offset) const {
  size_t lf = text_.find('\n', offset);
  return lf == std::string::npos ? text_.size() : lf + 1;
}

std::string PythonSource::IndentOfLine(uint32_t offset) const {
  size_t start = text_.rfind('\n', offset == 0 ? 0 : offset - 1);
  start = (start == std::string::npos || offset == 0) ? 0 : start + 1;
  size_t end = start;
  while (end < text_.size() && (text_[end] == ' ' || text_[end] == '\t')) ++end;
  return text_.substr(start, end - start);
}

TSNode Field(TSNode node, const char* name) {
  return ts_node_child_by_field_name(node, name, std::strlen(name));
}

bool IsType(TSNode node, std::string_view type) {
  return !ts_node_is_null(node) && type == ts_node_type(node);
}

void Walk(TSNode node, const std::function<bool(TSNode)>& visit) {
  // A cursor, because ts_node_child(i) rescans the siblings before i: a
  // module with thousands of statements would be walked in quadratic time.
  TSTreeCursor cursor = ts_tree_cursor_new(node);
  bool descend = visit(node);
  uint32_t depth = 0;
  while (true) {
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) {
      ++depth;
      descend = visit(ts_tree_cursor_current_node(&cursor));
      continue;
    }
    while (depth > 0 && !ts_tree_cursor_goto_next_sibling(&cursor)) {
      ts_tree_cursor_goto_parent(&cursor);
      --depth;
    }
    if (depth == 0) break;
    descend = visit(ts_tree_cursor_current_node(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
}

std::optional<std::string> PlainString(const PythonSource& source,
                                       TSNode node) {
  if (!IsType(node, "string")) return std::nullopt;
  std::string_view text = source.Text(node);
  if (text.empty() || (text[0] != '"' && text[0] != '\''))
    return std::nullopt;  // a prefix
  std::string value;
  for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
    TSNode part = ts_node_named_child(node, i);
    if (IsType(part, "string_content")) {
      // Escape sequences are children of the content.
      if (ts_node_named_child_count(part) > 0) return std::nullopt;
      value += source.Text(part);
    } else if (!IsType(part, "string_start") && !IsType(part, "string_end")) {
      return std::nullopt;  // an escape sequence or interpolation
    }
  }
  return value;
}

TSNode Argument(TSNode call, uint32_t n) {
  TSNode args = Field(call, "arguments");
  if (!IsType(args, "argument_list")) return TSNode{};
  for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
    TSNode arg = ts_node_named_child(args, i);
    if (IsType(arg, "comment") || IsType(arg, "keyword_argument")) continue;
    if (n-- == 0) return arg;
  }
  return TSNode{};
}

TSNode FirstArgument(TSNode call) { return Argument(call, 0); }

std::string_view MethodName(const PythonSource& source, TSNode call) {
  if (!IsType(call, "call")) return "";
  TSNode function = Field(call, "function");
  if (!IsType(function, "attribute")) return "";
  return source.Text(Field(function, "attribute"));
}

}  // namespace prometheus::rewrite

// A Python source file parsed with tree-sitter (Debian's runtime and the
// tree-sitter-python 0.23.6 grammar). The rewriter reads node byte ranges
// from it and never rebuilds text from nodes: comments are "extras" that can
// sit anywhere in the tree.
#pragma once

#include <tree_sitter/api.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/edit.h"

namespace prometheus::rewrite {

// An ERROR or MISSING node; line and column are 1-based, the column counts
// bytes as CPython's col_offset does (plus one).
struct SyntaxProblem {
  uint32_t line = 0;
  uint32_t column = 0;
  std::string what;  // "syntax error" or "missing <token>"
};

class PythonSource {
 public:
  // Fails only when tree-sitter cannot run (grammar ABI refused) or the
  // text uses bare-CR line endings, whose lines tree-sitter and CPython
  // count differently. A file with syntax errors parses: see Problem().
  static Result<PythonSource> Parse(std::string text);

  const std::string& text() const { return text_; }
  TSNode root() const { return ts_tree_root_node(tree_.get()); }

  // The first ERROR or MISSING node in document order, if any.
  std::optional<SyntaxProblem> Problem() const;

  // The first problem of `edited`, the text after `edits` (ApplyEdits of
  // text()), parsed incrementally from this tree: the parts the edits do not
  // touch are reused, not parsed again nor copied. Fails as Parse does.
  Result<std::optional<SyntaxProblem>> ProblemAfter(
      const std::vector<Edit>& edits, const std::string& edited) const;

  std::string_view Text(TSNode node) const {
    return std::string_view(text_).substr(ts_node_start_byte(node),
                                          ts_node_end_byte(node) - ts_node_start_byte(node));
  }
  // "\r\n" when the file's first line ends that way, else "\n".
  std::string Newline() const;
  // Byte offset just past the '\n' ending the line that holds `offset`, or
  // the text's size when that line is the last and has no newline.
  uint32_t EndOfLine(uint32_t offset) const;
  // The whitespace from the start of `offset`'s line up to the first other byte.
  std::string IndentOfLine(uint32_t offset) const;

 private:
  struct TreeDeleter {
    void operator()(TSTree* tree) const { ts_tree_delete(tree); }
  };
  PythonSource(std::string text, TSTree* tree) : text_(std::move(text)), tree_(tree) {}
  static std::optional<SyntaxProblem> ProblemIn(TSNode root);

  std::string text_;
  std::unique_ptr<TSTree, TreeDeleter> tree_;
};

// Node helpers over tree-sitter's C API.
TSNode Field(TSNode node, const char* name);  // null node when absent
bool IsType(TSNode node, std::string_view type);
// Calls `visit` on `node` and every descendant, in document order; named
// and anonymous nodes alike. Returning false skips a node's children.
void Walk(TSNode node, const std::function<bool(TSNode)>& visit);
// The literal value of a plain string node ("x", 'x'; no f/b prefix, no
// escapes or interpolation), else nullopt.
std::optional<std::string> PlainString(const PythonSource& source, TSNode node);
// The first positional argument of a call (comments skipped), or a null node.
TSNode FirstArgument(TSNode call);
// The n-th (0-based) positional argument of a call, or a null node.
TSNode Argument(TSNode call, uint32_t n);
// For a call `<object>.<name>(...)`: the name, else "".
std::string_view MethodName(const PythonSource& source, TSNode call);

}  // namespace prometheus::rewrite

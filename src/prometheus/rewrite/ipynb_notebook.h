// Jupyter .ipynb notebooks (nbformat 4) edited in place: fixes are planned on
// a virtual Python module of the code cells, mapped back to cell sources, and
// written by re-encoding only the changed lines of the changed cells' "source"
// values, so that every other byte of the file stays as it was.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/edit.h"

namespace prometheus::rewrite {

// One cell of an .ipynb notebook as the rewriter sees it.
struct NotebookCell {
  size_t index = 0;       // position in "cells"
  std::string cell_type;  // "code", "markdown", "raw"
  // The decoded source text (the list elements joined, or the string).
  std::string source;
  // A code cell holding Python: not a cell magic (%%sql, %%bash...), not a
  // Databricks magic cell (%sql, %md, %sh, %scala, %r; %run and %pip only in
  // Databricks notebooks, elsewhere they are line magics), and the notebook
  // language is Python or unstated; a `%python` first line makes any code
  // cell Python.
  bool python = false;
  // For a SQL cell (`%sql` first line, `%%sql` cell magic, or any code cell
  // of a notebook whose language is sql): the SQL text, `source` without the
  // magic line (or, for `%sql SELECT ...` on one line, without the `%sql `).
  std::optional<std::string> sql;
  uint32_t sql_offset = 0;  // byte offset of `*sql` within `source`
  // Python cells: the byte offset of this cell's source in virtual_module(),
  // and the 1-based line there of the cell's first line.
  uint32_t virtual_start = 0;
  uint32_t first_line = 0;
  uint32_t json_begin = 0;  // byte span of the cell's "source" value in text()
  uint32_t json_end = 0;
};

// A cell-source edit: `edit` offsets are into cells()[cell].source.
struct CellEdit {
  size_t cell = 0;
  Edit edit;
};

class IpynbNotebook {
 public:
  // nbformat 4 JSON. Errors say where and what was expected, e.g. "line 12,
  // byte 340: expected ',' or '}' in object, found ']'" or "cells[3].source:
  // expected a string or an array of strings".
  static Result<IpynbNotebook> Parse(std::string text);

  const std::string& text() const { return text_; }
  const std::vector<NotebookCell>& cells() const { return cells_; }
  // The notebook's language in lower case ("python", "sql", ...), or "".
  const std::string& language() const { return language_; }
  // True when the file writes non-ASCII as \uXXXX (json's ensure_ascii).
  bool ensure_ascii() const { return ensure_ascii_; }

  // The Python code cells' sources joined with "\n" in order, with IPython
  // syntax masked by the same number of bytes so that tree-sitter parses it
  // and byte offsets equal the cells' own: lines whose first non-blank byte
  // is `%`, `!` or `?` and help lines `name?` become comments ('#' replaces
  // that byte), `x = !cmd` and `x = %magic` become `x = ________`, and the
  // lines such a line continues with a trailing backslash become comments.
  const std::string& virtual_module() const { return virtual_module_; }
  // The Python cell holding `offset` of virtual_module() (a cell's end
  // included), or nullopt for an offset past the module.
  std::optional<size_t> CellAtVirtualOffset(uint32_t offset) const;

  // Maps edits in virtual_module() coordinates to cell-source edits. An
  // edit inside a cell (including at its very end) goes to that cell; an
  // insertion exactly at the first byte of a cell goes to that cell at
  // offset 0. Fails with the reason when an edit spans the joiner between
  // cells, touches a masked magic line (or joins a line to it), goes before
  // a Databricks `%python` first line, or lies outside the module.
  Result<std::vector<CellEdit>> ToCellEdits(
      const std::vector<Edit>& virtual_edits) const;

  // Applies cell-source edits and returns the new file. Only the changed
  // cells' "source" values are rewritten; in a list, unchanged leading and
  // trailing lines keep their raw JSON tokens and separators, and new lines
  // use the array's own separator and the file's escaping style. Fails
  // when a cell does not exist, an edit is out of range, or edits overlap.
  Result<std::string> Apply(const std::vector<CellEdit>& edits) const;

  // ipykernel's file name for a code cell (ipykernel/compiler.py
  // get_file_name): murmur2 x86 32-bit of the UTF-8 source with seed
  // 0xC70F6907, in decimal, plus ".py".
  static std::string IpykernelCellName(std::string_view source);
  // The code cell that ipykernel names `file`, comparing base names, e.g.
  // "/tmp/ipykernel_201/1119311665.py"; nullopt when none does, or when
  // several cells have that source, since the name cannot tell them apart.
  std::optional<size_t> CellForIpykernelFile(std::string_view file) const;

 private:
  // Where a cell's source sits in the JSON, for re-encoding it.
  struct SourceLayout {
    bool list = false;
    // Each list element's string token, and its decoded text.
    std::vector<std::pair<uint32_t, uint32_t>> tokens;
    std::vector<std::string> lines;
    // The list's whitespace: after '[', between elements, before ']'.
    std::string lead, separator, trail;
    // Python cells: the masked lines [begin, end), and the bytes of a
    // Databricks `%python` line, which must stay first.
    std::vector<std::pair<uint32_t, uint32_t>> masked;
    uint32_t pinned_head = 0;
  };

  IpynbNotebook() = default;
  std::string EncodeSource(size_t cell, std::string_view source) const;

  std::string text_;
  std::vector<NotebookCell> cells_;
  std::vector<SourceLayout> layouts_;  // parallel to cells_
  std::vector<size_t> python_cells_;   // indexes of the python cells, in order
  std::string virtual_module_;
  std::string language_;
  bool ensure_ascii_ = false;
};

}  // namespace prometheus::rewrite

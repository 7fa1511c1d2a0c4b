// How .ipynb cells are read: the notebook's language, Databricks markers,
// which code cells hold Python or SQL, and the masking of IPython syntax that
// turns Python cells into the virtual module's text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prometheus/rewrite/ipynb_json.h"
#include "prometheus/rewrite/ipynb_notebook.h"

namespace prometheus::rewrite::ipynb {

// The first language the metadata states: Databricks' own field (the one its
// CLI reads), then the kernel's, then language_info's; lower case, or "".
std::string NotebookLanguage(const JsonValue& root);

// Whether the notebook's metadata, or a cell's, carries Databricks' key.
bool IsDatabricksNotebook(const JsonValue& root);
bool IsDatabricksCell(const JsonValue& cell);

// Sets `python` and `sql` of a code cell from its magic and the language;
// returns the length of a `%python` first line (with its '\n'), else 0.
uint32_t Classify(NotebookCell& cell, std::string_view language,
                  bool databricks);

// Masks IPython syntax in `masked` with bytes of the same count, recording
// each masked line's [begin, end) without its '\n': magic, shell and help
// lines (`%`, `!` or `?` first, or `name?`) become comments, the right side
// of `x = !cmd` becomes an identifier of underscores, and the lines a
// masked line continues with a trailing backslash become comments.
std::vector<std::pair<uint32_t, uint32_t>> MaskMagics(std::string& masked);

// Whether an edit [start, end) -> text alters the masked line [begin, stop]
// or glues another line onto it.
bool TouchesMaskedLine(uint32_t start, uint32_t end, std::string_view text,
                       uint32_t begin, uint32_t stop);

}  // namespace prometheus::rewrite::ipynb

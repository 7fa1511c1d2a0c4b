// Databricks notebook source (`.py` export): cells found from the
// `# COMMAND ----------` separators, call-site lines mapped to file lines,
// and `%sql` cells edited through a virtual SQL text. Line 1 and the
// separator lines are never edited; the file is never regenerated.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"
#include "prometheus/rewrite/edit.h"
#include "prometheus/rewrite/fix.h"
#include "prometheus/rewrite/python_source.h"

namespace prometheus::rewrite {

// True when the first line is exactly "# Databricks notebook source" (LF or
// CRLF).
bool IsDatabricksNotebookSource(std::string_view text);

struct DatabricksCell {
  size_t index = 0;  // 0-based position among the notebook's cells
  // Byte range of the content: from the first line after the header or
  // separator and its following blank lines, to just past the line break of
  // the last non-blank line (the file's end when that line has none).
  uint32_t start = 0, end = 0;
  // 1-based file line of the first content line (a `# DBTITLE` line counts);
  // for an empty cell, the line after the separator.
  uint32_t first_line = 0;
  uint32_t line_count = 0;  // 0 for an empty cell
  // "" for a Python cell, else the magic word without % ("sql", "md", "run",
  // "pip", "sh", "scala", "r", "python", "md-sandbox", ...).
  std::string magic;
  // True for cells with content and no magic or `%python`.
  bool python = false;
};

class DatabricksNotebook {
 public:
  // Fails when `text` is not a notebook source, naming what line 1 is.
  static Result<DatabricksNotebook> Parse(std::string_view text);

  const std::vector<DatabricksCell>& cells() const { return cells_; }
  const std::string& text() const { return text_; }

  // File lines (1-based) that the call site `command-<id>:<line>` can mean:
  // line `cell_line` of each Python cell that has that many lines. (The
  // command id cannot be read from a source export.)
  std::vector<uint32_t> CandidateLines(uint32_t cell_line) const;
  // The Python cell holding 1-based file line `line`, if any.
  const DatabricksCell* PythonCellAt(uint32_t line) const;
  // The first Python cell whose code is plain Python (no magic): a
  // `%python` cell's lines are `# MAGIC` comments in the file, so code
  // inserted there would not belong to it. nullptr when there is none.
  const DatabricksCell* FirstPythonCell() const;

  // A `%sql` cell: the SQL text (the `# MAGIC ` / `# MAGIC` prefixes and the
  // %sql line removed, lines joined by "\n", no final line break) and, for
  // each SQL byte plus one past the end, its file offset (a "\n" maps to the
  // start of the file's line break).
  struct SqlCell {
    size_t cell = 0;  // index into cells()
    std::string sql;
    std::vector<uint32_t> file_offset;
    uint32_t first_line = 0;  // file line of the cell's first content line
  };
  // The `%sql` cells whose lines all carry the `# MAGIC` prefix.
  std::vector<SqlCell> SqlCells() const;

  // Maps edits in `cell.sql` to file edits. Refuses, with the reason, an
  // edit that spans a line break of the SQL text, inserts a line break, or
  // lies outside the text.
  Result<std::vector<Edit>> ToFileEdits(
      const SqlCell& cell, const std::vector<Edit>& sql_edits) const;

 private:
  std::string text_;
  std::vector<DatabricksCell> cells_;
};

// The broadcast hint in the `%sql` cells: among the cells whose SQL names
// `table`, exactly one must take the hint (PlaceBroadcastHint); else fails
// naming the cells' first lines and reasons. A cell already hinted gives no
// edits. `file_text` must be the text the notebook was parsed from.
Result<FixPlan> PlanNotebookSqlBroadcastFix(const DatabricksNotebook& notebook,
                                            std::string_view file_text,
                                            std::string_view table);

// The conf fix on a notebook source whose Python is `source` (parsed from
// the notebook's text): a `SET <key>=...` in a `%sql` cell counts as a
// setting like one in spark.sql (the same value: nothing; another: refused
// naming its line), two settings anywhere are refused; else
// PlanConfFixInCell on the first plain Python cell.
Result<FixPlan> PlanNotebookConfFix(const DatabricksNotebook& notebook,
                                    const PythonSource& source,
                                    std::string_view key,
                                    std::string_view value);

}  // namespace prometheus::rewrite

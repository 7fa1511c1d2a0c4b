#include "prometheus/rewrite/databricks_notebook.h"

#include <algorithm>
#include <cctype>

#include "prometheus/rewrite/conf_fix.h"
#include "prometheus/rewrite/sql_hint.h"

namespace prometheus::rewrite {
namespace {

constexpr std::string_view kHeader = "# Databricks notebook source";
constexpr std::string_view kSeparator = "# COMMAND ----------";
constexpr std::string_view kMagic = "# MAGIC";
constexpr std::string_view kTitle = "# DBTITLE";

// One line of the file: [begin, content_end) without its "\n" or "\r\n",
// and `next`, the offset just past the line break.
struct Line {
  uint32_t begin = 0;
  uint32_t content_end = 0;
  uint32_t next = 0;
};

std::vector<Line> SplitLines(std::string_view text) {
  std::vector<Line> lines;
  uint32_t begin = 0;
  while (begin < text.size()) {
    size_t lf = text.find('\n', begin);
    uint32_t next = lf == std::string_view::npos ? text.size() : lf + 1;
    uint32_t end = lf == std::string_view::npos ? text.size() : lf;
    if (lf != std::string_view::npos && end > begin && text[end - 1] == '\r') {
      --end;
    }
    lines.push_back(Line{begin, end, next});
    begin = next;
  }
  return lines;
}

std::string_view Content(std::string_view text, const Line& line) {
  return text.substr(line.begin, line.content_end - line.begin);
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool IsBlank(std::string_view s) { return TrimRight(s).empty(); }

// The magic word of a `# MAGIC %word ...` line, lower-cased, else "".
std::string MagicWord(std::string_view line) {
  if (!line.starts_with(kMagic)) return "";
  line.remove_prefix(kMagic.size());
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  if (!line.starts_with('%')) return "";
  line.remove_prefix(1);
  std::string word;
  for (char c : line) {
    if (c == ' ' || c == '\t') break;
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return word;
}

// True when `text` names `table`'s last dotted component as a whole word,
// ignoring case and backticks.
bool NamesTable(std::string_view text, std::string_view table) {
  size_t dot = table.rfind('.');
  std::string_view last =
      dot == std::string_view::npos ? table : table.substr(dot + 1);
  if (last.size() >= 2 && last.front() == '`' && last.back() == '`') {
    last = last.substr(1, last.size() - 2);
  }
  if (last.empty()) return false;
  auto word = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  };
  auto lower = [](char c) {
    return std::tolower(static_cast<unsigned char>(c));
  };
  for (size_t i = 0; i + last.size() <= text.size(); ++i) {
    bool equal = true;
    for (size_t k = 0; k < last.size() && equal; ++k)
      equal = lower(text[i + k]) == lower(last[k]);
    if (equal && (i == 0 || !word(text[i - 1])) &&
        (i + last.size() == text.size() || !word(text[i + last.size()]))) {
      return true;
    }
  }
  return false;
}

std::string JoinLines(const std::vector<uint32_t>& lines) {
  std::string out;
  for (uint32_t line : lines)
    out += (out.empty() ? "" : ", ") + std::to_string(line);
  return out;
}

}  // namespace

bool IsDatabricksNotebookSource(std::string_view text) {
  size_t lf = text.find('\n');
  std::string_view first = text.substr(0, lf);
  if (lf != std::string_view::npos && first.ends_with('\r'))
    first.remove_suffix(1);
  return first == kHeader;
}

Result<DatabricksNotebook> DatabricksNotebook::Parse(std::string_view text) {
  if (!IsDatabricksNotebookSource(text)) {
    if (text.empty())
      return Fail(ErrorCode::kCorrupt,
                  "the file is empty, not a Databricks notebook source");
    std::string_view first = text.substr(0, text.find('\n'));
    if (first.size() > 60) first = first.substr(0, 60);
    return Fail(ErrorCode::kCorrupt,
        "line 1 is \"{}\", not \"{}\": not a Databricks notebook source", first,
        kHeader);
  }
  DatabricksNotebook notebook;
  notebook.text_ = std::string(text);
  std::vector<Line> lines = SplitLines(text);
  // Lines [from, to) (0-based) between the header or a separator and the
  // next separator or the end make one cell.
  auto add_cell = [&](size_t from, size_t to, uint32_t empty_offset) {
    DatabricksCell cell;
    cell.index = notebook.cells_.size();
    size_t first = from, last = to;
    while (first < to && IsBlank(Content(text, lines[first]))) ++first;
    while (last > first && IsBlank(Content(text, lines[last - 1]))) --last;
    cell.first_line = static_cast<uint32_t>(first + 1);
    if (first == last) {
      cell.first_line = static_cast<uint32_t>(from + 1);
      cell.start = cell.end = from < to ? lines[from].begin : empty_offset;
    } else {
      cell.start = lines[first].begin;
      cell.end = lines[last - 1].next;
      cell.line_count = static_cast<uint32_t>(last - first);
      size_t magic_line = first;
      while (magic_line + 1 < last &&
             Content(text, lines[magic_line]).starts_with(kTitle)) {
        ++magic_line;
      }
      cell.magic = MagicWord(Content(text, lines[magic_line]));
      cell.python = cell.magic.empty() || cell.magic == "python";
    }
    notebook.cells_.push_back(std::move(cell));
  };
  size_t from = 1;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (TrimRight(Content(text, lines[i])) == kSeparator) {
      add_cell(from, i, lines[i].begin);
      from = i + 1;
    }
  }
  add_cell(from, lines.size(), static_cast<uint32_t>(text.size()));
  return notebook;
}

std::vector<uint32_t> DatabricksNotebook::CandidateLines(
    uint32_t cell_line) const {
  std::vector<uint32_t> found;
  if (cell_line == 0) return found;
  for (const DatabricksCell& cell : cells_) {
    if (cell.python && cell.line_count >= cell_line)
      found.push_back(cell.first_line + cell_line - 1);
  }
  return found;
}

const DatabricksCell* DatabricksNotebook::PythonCellAt(uint32_t line) const {
  for (const DatabricksCell& cell : cells_) {
    if (cell.python && line >= cell.first_line &&
        line < cell.first_line + cell.line_count) {
      return &cell;
    }
  }
  return nullptr;
}

const DatabricksCell* DatabricksNotebook::FirstPythonCell() const {
  for (const DatabricksCell& cell : cells_) {
    if (cell.python && cell.magic.empty()) return &cell;
  }
  return nullptr;
}

std::vector<DatabricksNotebook::SqlCell> DatabricksNotebook::SqlCells() const {
  std::vector<SqlCell> found;
  std::vector<Line> lines = SplitLines(text_);
  for (const DatabricksCell& cell : cells_) {
    if (cell.magic != "sql") continue;
    SqlCell sql{cell.index, "", {}, cell.first_line};
    size_t row = cell.first_line - 1, last = row + cell.line_count;
    while (row + 1 < last && Content(text_, lines[row]).starts_with(kTitle))
      ++row;
    // The rest of the `%sql` line, when not blank, is the first SQL line.
    std::string_view magic_line = Content(text_, lines[row]);
    size_t after = magic_line.find('%') + 1;
    while (after < magic_line.size() && magic_line[after] != ' ') ++after;
    while (after < magic_line.size() && magic_line[after] == ' ') ++after;
    std::vector<std::pair<uint32_t, uint32_t>> pieces;  // file [begin, end)
    if (!IsBlank(magic_line.substr(after))) {
      pieces.emplace_back(lines[row].begin + after, lines[row].content_end);
    }
    bool prefixed = true;
    for (++row; row < last && prefixed; ++row) {
      std::string_view content = Content(text_, lines[row]);
      prefixed =
          content.starts_with(kMagic) &&
          (content.size() == kMagic.size() || content[kMagic.size()] == ' ');
      uint32_t skip = std::min<uint32_t>(content.size(), kMagic.size() + 1);
      pieces.emplace_back(lines[row].begin + skip, lines[row].content_end);
    }
    if (!prefixed) continue;
    for (const auto& [begin, end] : pieces) {
      if (!sql.file_offset.empty())
        sql.sql += '\n';  // its offset is pushed below
      for (uint32_t at = begin; at < end; ++at) {
        sql.sql += text_[at];
        sql.file_offset.push_back(at);
      }
      sql.file_offset.push_back(end);
    }
    if (pieces.empty()) sql.file_offset.push_back(lines[row - 1].content_end);
    found.push_back(std::move(sql));
  }
  return found;
}

Result<std::vector<Edit>> DatabricksNotebook::ToFileEdits(
    const SqlCell& cell, const std::vector<Edit>& sql_edits) const {
  std::vector<Edit> edits;
  if (cell.file_offset.size() != cell.sql.size() + 1) {
    return Fail(ErrorCode::kInternal,
                "the SQL of cell {} has {} offsets for {} bytes", cell.cell,
                cell.file_offset.size(), cell.sql.size());
  }
  for (const Edit& edit : sql_edits) {
    if (edit.start > edit.end || edit.end > cell.sql.size()) {
      return Fail(ErrorCode::kInvalidArgument,
          "the edit [{}, {}) lies outside the {} bytes of the SQL of the cell "
          "at line {}",
          edit.start, edit.end, cell.sql.size(), cell.first_line);
    }
    std::string_view replaced =
        std::string_view(cell.sql).substr(edit.start, edit.end - edit.start);
    if (replaced.find('\n') != std::string_view::npos) {
      return Fail(ErrorCode::kInvalidArgument,
          "the edit [{}, {}) spans a line break of the SQL of the cell at line "
          "{}; refused",
          edit.start, edit.end, cell.first_line);
    }
    if (edit.text.find_first_of("\r\n") != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument,
          "the edit at {} inserts a line break into the SQL of the cell at "
          "line {}; refused",
          edit.start, cell.first_line);
    }
    uint32_t start = cell.file_offset[edit.start];
    uint32_t end = start + (edit.end - edit.start);
    std::string text = edit.text;
    // A bare `# MAGIC` line needs the space that separates the prefix.
    bool bare =
        start >= kMagic.size() &&
        std::string_view(text_).substr(start - kMagic.size(), kMagic.size()) ==
            kMagic &&
        (start == kMagic.size() || text_[start - kMagic.size() - 1] == '\n');
    if (bare && !text.empty()) text.insert(0, " ");
    edits.push_back(Edit{start, end, std::move(text)});
  }
  return edits;
}

Result<FixPlan> PlanNotebookSqlBroadcastFix(const DatabricksNotebook& notebook,
                                            std::string_view file_text,
                                            std::string_view table) {
  if (file_text != notebook.text())
    return Fail(ErrorCode::kInvalidArgument,
                "the notebook was parsed from another text");
  std::vector<DatabricksNotebook::SqlCell> cells = notebook.SqlCells();
  struct Placed {
    const DatabricksNotebook::SqlCell* cell;
    SqlHintPlacement placement;
  };
  std::vector<Placed> placed;
  std::vector<std::string> refused;
  for (const auto& cell : cells) {
    if (!NamesTable(cell.sql, table)) continue;
    auto placement = PlaceBroadcastHint(cell.sql, table);
    if (placement) {
      placed.push_back(Placed{&cell, std::move(*placement)});
    } else {
      refused.push_back(fmt::format("line {}: {}", cell.first_line,
                                    placement.error().message));
    }
  }
  std::string others;
  for (const std::string& reason : refused) others += "; " + reason;
  if (placed.empty()) {
    if (refused.empty())
      return Fail(ErrorCode::kNotFound,
                  "none of the {} %sql cells reads {}", cells.size(), table);
    return Fail(ErrorCode::kNotFound,
                "no %sql cell naming {} can take the hint{}", table, others);
  }
  if (placed.size() > 1) {
    std::vector<uint32_t> at;
    for (const Placed& p : placed) at.push_back(p.cell->first_line);
    return Fail(ErrorCode::kInvalidArgument,
                "{} is joined in the %sql cells at lines {}; ambiguous", table,
                JoinLines(at));
  }
  const Placed& only = placed[0];
  if (!others.empty()) others = " (other cells naming it" + others + ")";
  FixPlan plan;
  if (only.placement.edits.empty()) {
    plan.note =
        fmt::format("%sql cell at line {}: the SQL already broadcasts {}{}",
                    only.cell->first_line, only.placement.name, others);
    return plan;
  }
  PROM_ASSIGN_OR_RETURN(plan.edits,
                        notebook.ToFileEdits(*only.cell, only.placement.edits));
  // The separators and cell lines must come out as they were.
  PROM_ASSIGN_OR_RETURN(std::string after, ApplyEdits(file_text, plan.edits));
  PROM_ASSIGN_OR_RETURN(DatabricksNotebook reparsed,
                        DatabricksNotebook::Parse(after));
  bool same = reparsed.cells().size() == notebook.cells().size();
  for (size_t i = 0; same && i < reparsed.cells().size(); ++i) {
    same = reparsed.cells()[i].first_line == notebook.cells()[i].first_line &&
           reparsed.cells()[i].line_count == notebook.cells()[i].line_count &&
           reparsed.cells()[i].magic == notebook.cells()[i].magic;
  }
  if (!same) return Fail(ErrorCode::kInvalidArgument,
                         "the hint would change the notebook's cells; refused");
  plan.note = fmt::format("%sql cell at line {}: BROADCAST({}) hint added{}",
                          only.cell->first_line, only.placement.name, others);
  return plan;
}

Result<FixPlan> PlanNotebookConfFix(const DatabricksNotebook& notebook,
                                    const PythonSource& source,
                                    std::string_view key,
                                    std::string_view value) {
  const std::string& text = notebook.text();
  if (source.text() != text)
    return Fail(ErrorCode::kInvalidArgument,
                "the Python source is not the notebook's text");
  std::vector<uint32_t> lines = ConfSettingLines(source, key);
  std::vector<std::string> sql_values;
  std::vector<uint32_t> sql_lines;
  for (const auto& cell : notebook.SqlCells()) {
    for (SqlSet& set : FindSqlSets(cell.sql, key)) {
      // The file line of the SET: the cell's SQL starts on the file line of
      // its first byte, and each "\n" of the SQL is one file line.
      uint32_t first = cell.file_offset[0];
      uint32_t line = 1 +
                      static_cast<uint32_t>(std::count(
                          text.begin(), text.begin() + first, '\n')) +
                      set.line;
      sql_values.push_back(std::move(set.value));
      sql_lines.push_back(line);
      lines.push_back(line);
    }
  }
  if (lines.size() > 1) return SetTooOften(key, std::move(lines));
  if (sql_lines.size() == 1) {
    if (SqlSetSays(sql_values[0], value)) {
      return FixPlan{
          {},
          fmt::format("{} is already {} (line {}, SET in a %sql cell)", key,
                      value, sql_lines[0])};
    }
    return Fail(ErrorCode::kInvalidArgument,
        "line {}: a %sql cell sets {} to {} with SET; SQL SET statements are "
        "not edited, change it to {} by hand",
        sql_lines[0], key, sql_values[0], value);
  }
  const DatabricksCell* cell = notebook.FirstPythonCell();
  if (cell == nullptr && lines.empty())
    return Fail(ErrorCode::kNotFound, "the notebook has no plain Python cell");
  return PlanConfFixInCell(source, key, value,
                           cell == nullptr ? 0 : cell->start,
                           cell == nullptr ? 0 : cell->end);
}

}  // namespace prometheus::rewrite

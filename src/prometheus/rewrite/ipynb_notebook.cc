#include "prometheus/rewrite/ipynb_notebook.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "prometheus/rewrite/ipynb_json.h"

namespace prometheus::rewrite {
namespace {

using ipynb::IsValidUtf8;
using ipynb::JsonDocument;
using ipynb::JsonMember;
using ipynb::JsonPosition;
using ipynb::JsonQuote;
using ipynb::JsonValue;
using ipynb::ParseJson;
using ipynb::SplitLinesKeepEnds;

constexpr std::string_view kDatabricksNotebook =
    "application/vnd.databricks.v1+notebook";
constexpr std::string_view kDatabricksCell =
    "application/vnd.databricks.v1+cell";

const JsonValue* Path(const JsonValue* value,
                      std::initializer_list<std::string_view> keys) {
  for (std::string_view key : keys) {
    if (value == nullptr || value->kind != JsonValue::Kind::kObject)
      return nullptr;
    value = value->Find(key);
  }
  return value;
}

// The first language the metadata states: Databricks' own field (the one its
// CLI reads), then the kernel's, then language_info's.
std::string NotebookLanguage(const JsonValue& root) {
  const JsonValue* metadata = root.Find("metadata");
  for (const JsonValue* value :
       {Path(metadata, {kDatabricksNotebook, "language"}),
        Path(metadata, {"kernelspec", "language"}),
        Path(metadata, {"language_info", "name"})}) {
    if (value == nullptr || !value->IsString() || value->string.empty())
      continue;
    std::string language = value->string;
    for (char& c : language)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return language;
  }
  return "";
}

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// The magic on a cell's first non-blank line: `%word` or `%%word`.
struct FirstLineMagic {
  std::string_view word;
  bool cell_magic = false;
  uint32_t rest = 0;       // after the word and the blanks following it
  uint32_t next_line = 0;  // after the line's '\n', or the source's end
  bool rest_blank = false;
};

std::optional<FirstLineMagic> FindMagic(std::string_view source) {
  size_t at = 0;
  while (true) {
    size_t eol = std::min(source.find('\n', at), source.size());
    size_t first = at;
    while (first < eol && IsBlank(source[first])) ++first;
    if (first < eol) {
      if (source[first] != '%') return std::nullopt;
      FirstLineMagic magic;
      magic.cell_magic = source.substr(first, 2) == "%%";
      size_t word = first + (magic.cell_magic ? 2 : 1), i = word;
      while (i < eol && (std::isalnum(static_cast<unsigned char>(source[i])) ||
                         source[i] == '_'))
        ++i;
      if (i == word) return std::nullopt;
      magic.word = source.substr(word, i - word);
      while (i < eol && IsBlank(source[i])) ++i;
      magic.rest = i;
      magic.rest_blank = i == eol;
      magic.next_line = std::min(eol + 1, source.size());
      return magic;
    }
    if (eol == source.size()) return std::nullopt;
    at = eol + 1;
  }
}

// Sets `python` and `sql` of a code cell from its magic and the language;
// returns the length of a `%python` first line (with its '\n'), else 0.
uint32_t Classify(NotebookCell& cell, std::string_view language,
                  bool databricks) {
  if (cell.cell_type != "code") return 0;
  auto set_sql = [&](uint32_t offset) {
    cell.sql = cell.source.substr(offset);
    cell.sql_offset = offset;
  };
  if (auto magic = FindMagic(cell.source)) {
    if (magic->cell_magic) {
      if (magic->word == "sql") set_sql(magic->next_line);
      return 0;
    }
    std::string_view word = magic->word;
    if (word == "sql") {
      set_sql(magic->rest_blank ? magic->next_line : magic->rest);
      return 0;
    }
    if (word == "python") {
      cell.python = true;
      return magic->next_line;
    }
    if (word == "md" || word == "sh" || word == "scala" || word == "r")
      return 0;
    // Outside Databricks, %pip and %run are IPython line magics in a Python
    // cell.
    if ((word == "pip" || word == "run") && databricks) return 0;
  }
  if (language == "sql") {
    set_sql(0);
  } else {
    cell.python = language.empty() || language.starts_with("python");
  }
  return 0;
}

// For `files = !ls` or `rows = %sql ...` (IPython's assignment forms), the
// offset of the `!` or `%`; else npos.
size_t AssignedMagic(std::string_view line) {
  size_t eq = line.find('=');
  if (eq == std::string_view::npos || eq == 0) return std::string_view::npos;
  bool word = false;
  for (char c : line.substr(0, eq)) {
    bool name = std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    if (!name && c != '.' && c != ',' && !IsBlank(c))
      return std::string_view::npos;
    word = word || name;
  }
  size_t at = eq + 1;
  while (at < line.size() && IsBlank(line[at])) ++at;
  bool magic = at < line.size() && (line[at] == '!' || line[at] == '%');
  return word && magic ? at : std::string_view::npos;
}

// Masks IPython syntax in `masked` with bytes of the same count, recording
// each masked line's [begin, end) without its '\n': magic, shell and help
// lines (`%`, `!` or `?` first, or `name?`) become comments, the right side
// of `x = !cmd` becomes an identifier of underscores, and the lines a
// masked line continues with a trailing backslash become comments.
std::vector<std::pair<uint32_t, uint32_t>> MaskMagics(std::string& masked) {
  std::vector<std::pair<uint32_t, uint32_t>> lines;
  bool continued = false;
  for (size_t begin = 0; begin <= masked.size();) {
    size_t end = std::min(masked.find('\n', begin), masked.size());
    size_t first = begin, last = end;
    while (first < end && IsBlank(masked[first])) ++first;
    while (last > first && IsBlank(masked[last - 1])) --last;
    std::string_view line(masked.data() + first, last - first);
    size_t assigned = AssignedMagic(line);
    bool escaped =
        !line.empty() && (line[0] == '%' || line[0] == '!' || line[0] == '?');
    std::string_view object = line.substr(0, line.find_last_not_of('?') + 1);
    bool help = object.size() < line.size() && !object.empty() &&
                std::all_of(object.begin(), object.end(), [](char c) {
                  return std::isalnum(static_cast<unsigned char>(c)) ||
                         c == '_' || c == '.';
                });
    bool continues = !line.empty() && line.back() == '\\';
    if (continued || escaped || help) {
      if (!line.empty()) masked[first] = '#';
    } else if (assigned != std::string_view::npos) {
      std::fill(masked.begin() + first + assigned, masked.begin() + last, '_');
    } else {
      continued = false;
      begin = end + 1;
      continue;
    }
    lines.emplace_back(begin, end);
    continued = continues;
    begin = end + 1;
  }
  return lines;
}

// Whether an edit [start, end) -> text alters the masked line [begin, stop]
// or glues another line onto it.
bool TouchesMaskedLine(uint32_t start, uint32_t end, std::string_view text,
                       uint32_t begin, uint32_t stop) {
  if (end < begin || start > stop) return false;
  if (start == end && text.empty()) return false;
  if (end == begin) return text.empty() || text.back() != '\n';
  if (start == stop) return text.empty() || text.front() != '\n';
  return true;
}

// The whitespace of a source list: after '[', between elements, before ']'.
struct ArraySpacing {
  std::string lead, separator, trail;
};

ArraySpacing SpacingOf(std::string_view text, const JsonValue& cell,
                       const JsonMember& source) {
  auto slice = [&](uint32_t from, uint32_t to) {
    return std::string(text.substr(from, to - from));
  };
  const std::vector<JsonValue>& items = source.value.items;
  ArraySpacing spacing;
  if (!items.empty()) {
    spacing.lead = slice(source.value.begin + 1, items.front().begin);
    spacing.trail = slice(items.back().end, source.value.end - 1);
    spacing.separator = items.size() > 1 ? slice(items[0].end, items[1].begin)
                                         : "," + spacing.lead;
    return spacing;
  }
  // An empty list: new lines go one indent unit deeper than the key, where
  // the unit is how much deeper the key sits than the cell's '{'.
  uint32_t key = source.key_begin, ws = key;
  while (ws > 0 && std::isspace(static_cast<unsigned char>(text[ws - 1]))) --ws;
  std::string before_key = slice(ws, key);
  if (before_key.find('\n') != std::string::npos) {
    size_t key_indent = before_key.size() - before_key.rfind('\n') - 1;
    uint32_t line = cell.begin;
    while (line > 0 && (text[line - 1] == ' ' || text[line - 1] == '\t')) {
      --line;
    }
    size_t cell_indent = cell.begin - line;
    size_t unit = key_indent > cell_indent ? key_indent - cell_indent : 1;
    char space = before_key.back() == '\t' ? '\t' : ' ';
    spacing.lead = before_key + std::string(unit, space);
    spacing.trail = before_key;
  }
  spacing.separator = "," + (spacing.lead.empty() ? before_key : spacing.lead);
  return spacing;
}

uint32_t Murmur2(std::string_view data, uint32_t seed) {
  constexpr uint32_t m = 0x5BD1E995;
  auto byte = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(data[i]));
  };
  uint32_t h = seed ^ static_cast<uint32_t>(data.size());
  size_t whole = data.size() & ~size_t{3};
  for (size_t i = 0; i < whole; i += 4) {
    uint32_t k =
        byte(i) | byte(i + 1) << 8 | byte(i + 2) << 16 | byte(i + 3) << 24;
    k *= m;
    k ^= k >> 24;
    k *= m;
    h = (h * m) ^ k;
  }
  size_t tail = data.size() & 3;
  if (tail > 0) {
    uint32_t k = 0;
    for (size_t i = tail; i-- > 0;) k = (k << 8) | byte(whole + i);
    h = (h ^ k) * m;
  }
  h ^= h >> 13;
  h *= m;
  h ^= h >> 15;
  return h;
}

}  // namespace

Result<IpynbNotebook> IpynbNotebook::Parse(std::string text) {
  PROM_ASSIGN_OR_RETURN(JsonDocument document, ParseJson(text));
  const JsonValue& root = document.root;
  auto where = [&](const JsonValue& value) {
    return JsonPosition(text, value.begin);
  };
  if (root.kind != JsonValue::Kind::kObject) {
    return Fail("{}: expected a notebook object at the top level", where(root));
  }
  const JsonValue* version = root.Find("nbformat");
  std::string_view version_text =
      version == nullptr ? "nothing"
                         : std::string_view(text).substr(
                               version->begin, version->end - version->begin);
  if (version_text != "4") {
    return Fail("nbformat: expected 4, found {} (only nbformat 4 is supported)",
                version_text);
  }
  const JsonValue* cells = root.Find("cells");
  if (cells == nullptr || cells->kind != JsonValue::Kind::kArray) {
    return Fail("cells: expected an array of cells");
  }

  IpynbNotebook notebook;
  notebook.language_ = NotebookLanguage(root);
  notebook.ensure_ascii_ =
      document.escaped_non_ascii && !document.raw_non_ascii;
  bool databricks_notebook =
      Path(root.Find("metadata"), {kDatabricksNotebook}) != nullptr;
  uint32_t lines = 0;  // in the virtual module, counting the next joiner
  for (size_t i = 0; i < cells->items.size(); ++i) {
    const JsonValue& object = cells->items[i];
    if (object.kind != JsonValue::Kind::kObject) {
      return Fail("cells[{}]: expected an object ({})", i, where(object));
    }
    const JsonValue* type = object.Find("cell_type");
    if (type == nullptr || !type->IsString()) {
      return Fail("cells[{}].cell_type: expected a string ({})", i,
                  where(object));
    }
    const JsonMember* member = nullptr;
    for (const JsonMember& m : object.members) {
      if (m.key == "source") member = &m;
    }
    const JsonValue* source = member ? &member->value : nullptr;
    bool strings =
        source != nullptr &&
        (source->IsString() || source->kind == JsonValue::Kind::kArray);
    for (size_t j = 0;
         strings && !source->IsString() && j < source->items.size(); ++j) {
      strings = source->items[j].IsString();
    }
    if (!strings) {
      return Fail(
          "cells[{}].source: expected a string or an array of strings ({})", i,
          where(source ? *source : object));
    }

    NotebookCell cell;
    cell.index = i;
    cell.cell_type = type->string;
    cell.json_begin = source->begin;
    cell.json_end = source->end;
    SourceLayout layout;
    if (source->IsString()) {
      cell.source = source->string;
    } else {
      layout.list = true;
      for (const JsonValue& item : source->items) {
        cell.source += item.string;
        layout.tokens.emplace_back(item.begin, item.end);
        layout.lines.push_back(item.string);
      }
      ArraySpacing spacing = SpacingOf(text, object, *member);
      layout.lead = std::move(spacing.lead);
      layout.separator = std::move(spacing.separator);
      layout.trail = std::move(spacing.trail);
    }
    const JsonValue* cell_metadata = object.Find("metadata");
    bool databricks = databricks_notebook ||
                      Path(cell_metadata, {kDatabricksCell}) != nullptr;
    layout.pinned_head = Classify(cell, notebook.language_, databricks);
    if (cell.python) {
      std::string masked = cell.source;
      layout.masked = MaskMagics(masked);
      if (!notebook.python_cells_.empty()) notebook.virtual_module_ += '\n';
      cell.virtual_start = notebook.virtual_module_.size();
      cell.first_line = lines + 1;
      lines += std::count(masked.begin(), masked.end(), '\n') + 1;
      notebook.virtual_module_ += masked;
      notebook.python_cells_.push_back(i);
    }
    notebook.cells_.push_back(std::move(cell));
    notebook.layouts_.push_back(std::move(layout));
  }
  notebook.text_ = std::move(text);
  return notebook;
}

std::optional<size_t> IpynbNotebook::CellAtVirtualOffset(
    uint32_t offset) const {
  auto after = std::upper_bound(python_cells_.begin(), python_cells_.end(),
                                offset, [&](uint32_t at, size_t cell) {
                                  return at < cells_[cell].virtual_start;
                                });
  if (after == python_cells_.begin()) return std::nullopt;
  const NotebookCell& cell = cells_[*(after - 1)];
  if (offset > cell.virtual_start + cell.source.size()) return std::nullopt;
  return cell.index;
}

Result<std::vector<CellEdit>> IpynbNotebook::ToCellEdits(
    const std::vector<Edit>& virtual_edits) const {
  std::vector<CellEdit> out;
  for (const Edit& edit : virtual_edits) {
    if (edit.start > edit.end) {
      return Fail("edit [{}, {}) ends before it starts", edit.start, edit.end);
    }
    std::optional<size_t> index = CellAtVirtualOffset(edit.start);
    if (!index) {
      return Fail("edit [{}, {}) lies outside the {}-byte virtual module",
                  edit.start, edit.end, virtual_module_.size());
    }
    const NotebookCell& cell = cells_[*index];
    uint32_t start = edit.start - cell.virtual_start,
             end = edit.end - cell.virtual_start;
    if (end > cell.source.size()) {
      return Fail(
          "edit [{}, {}) spans the end of cell {} and the line joining it to "
          "the next cell",
          edit.start, edit.end, cell.index);
    }
    if (start < layouts_[*index].pinned_head) {
      return Fail(
          "edit [{}, {}) is not after the %python line that must stay first "
          "in cell {}",
          edit.start, edit.end, cell.index);
    }
    for (auto [begin, stop] : layouts_[*index].masked) {
      if (TouchesMaskedLine(start, end, edit.text, begin, stop)) {
        return Fail(
            "edit [{}, {}) touches the magic line {} of cell {} ({})",
            edit.start, edit.end,
            cell.first_line + std::count(cell.source.begin(),
                                         cell.source.begin() + begin, '\n'),
            cell.index, cell.source.substr(begin, stop - begin));
      }
    }
    out.push_back(CellEdit{cell.index, Edit{start, end, edit.text}});
  }
  return out;
}

std::string IpynbNotebook::EncodeSource(size_t cell,
                                        std::string_view source) const {
  const SourceLayout& layout = layouts_[cell];
  if (!layout.list) return JsonQuote(source, ensure_ascii_);
  std::vector<std::string_view> lines = SplitLinesKeepEnds(source);
  size_t n = layout.lines.size(), m = lines.size(), kept = 0, kept_tail = 0;
  while (kept < n && kept < m && layout.lines[kept] == lines[kept]) ++kept;
  while (kept_tail < n - kept && kept_tail < m - kept &&
         layout.lines[n - 1 - kept_tail] == lines[m - 1 - kept_tail]) {
    ++kept_tail;
  }
  if (m == 0) return "[]";
  auto raw = [&](std::pair<uint32_t, uint32_t> span) {
    return std::string_view(text_).substr(span.first, span.second - span.first);
  };
  // Two copied elements that were neighbours keep the whitespace between
  // them; any other pair gets the list's usual separator.
  std::string out = "[" + layout.lead;
  std::optional<size_t> previous_raw;
  bool first = true;
  auto put_raw = [&](size_t i) {
    if (previous_raw && *previous_raw + 1 == i) {
      out += raw({layout.tokens[i - 1].second, layout.tokens[i].first});
    } else if (!first) {
      out += layout.separator;
    }
    out += raw(layout.tokens[i]);
    previous_raw = i;
    first = false;
  };
  for (size_t i = 0; i < kept; ++i) put_raw(i);
  for (size_t i = kept; i < m - kept_tail; ++i) {
    if (!first) out += layout.separator;
    out += JsonQuote(lines[i], ensure_ascii_);
    previous_raw.reset();
    first = false;
  }
  for (size_t i = n - kept_tail; i < n; ++i) put_raw(i);
  return out + layout.trail + "]";
}

Result<std::string> IpynbNotebook::Apply(
    const std::vector<CellEdit>& edits) const {
  std::map<size_t, std::vector<Edit>> by_cell;
  for (const CellEdit& edit : edits) {
    if (edit.cell >= cells_.size()) {
      return Fail("an edit names cell {}, but the notebook has {} cells",
                  edit.cell, cells_.size());
    }
    by_cell[edit.cell].push_back(edit.edit);
  }
  std::string out;
  uint32_t copied = 0;
  std::vector<std::pair<size_t, std::string>> changed;
  for (auto& [index, cell_edits] : by_cell) {
    const NotebookCell& cell = cells_[index];
    auto source = ApplyEdits(cell.source, std::move(cell_edits));
    if (!source) return Fail("cells[{}]: {}", index, source.error().message);
    if (*source == cell.source) continue;
    if (!IsValidUtf8(*source))
      return Fail("cells[{}]: the edited source is not valid UTF-8", index);
    out.append(text_, copied, cell.json_begin - copied);
    out += EncodeSource(index, *source);
    copied = cell.json_end;
    changed.emplace_back(index, std::move(*source));
  }
  if (changed.empty()) return text_;
  out.append(text_, copied);
  // The re-encoding is checked by reading the result back.
  auto again = Parse(out);
  if (!again)
    return Fail("internal error: the edited notebook does not parse: {}",
                again.error().message);
  for (const auto& [index, source] : changed) {
    if (again->cells_.size() != cells_.size() ||
        again->cells_[index].source != source) {
      return Fail(
          "internal error: cells[{}] did not re-encode to its edited source",
          index);
    }
  }
  return out;
}

std::string IpynbNotebook::IpykernelCellName(std::string_view source) {
  return std::to_string(Murmur2(source, 0xC70F6907)) + ".py";
}

std::optional<size_t> IpynbNotebook::CellForIpykernelFile(
    std::string_view file) const {
  size_t slash = file.find_last_of("/\\");
  std::string_view base =
      slash == std::string_view::npos ? file : file.substr(slash + 1);
  std::optional<size_t> found;
  for (const NotebookCell& cell : cells_) {
    if (cell.cell_type != "code" || IpykernelCellName(cell.source) != base) {
      continue;
    }
    if (found) return std::nullopt;  // two cells share the name
    found = cell.index;
  }
  return found;
}

}  // namespace prometheus::rewrite

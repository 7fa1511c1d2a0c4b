// The .ipynb notebook: parsing cells with their JSON spans, building the
// virtual module, routing its edits to cells, and re-encoding edited sources.
#include "prometheus/rewrite/ipynb_notebook.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "prometheus/rewrite/ipynb_cells.h"
#include "prometheus/rewrite/ipynb_json.h"

namespace prometheus::rewrite {
namespace {

using ipynb::Classify;
using ipynb::IsDatabricksCell;
using ipynb::IsDatabricksNotebook;
using ipynb::IsValidUtf8;
using ipynb::JsonDocument;
using ipynb::JsonMember;
using ipynb::JsonPosition;
using ipynb::JsonQuote;
using ipynb::JsonValue;
using ipynb::MaskMagics;
using ipynb::NotebookLanguage;
using ipynb::ParseJson;
using ipynb::SplitLinesKeepEnds;
using ipynb::TouchesMaskedLine;

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
    return Fail(ErrorCode::kCorrupt,
                "{}: expected a notebook object at the top level", where(root));
  }
  const JsonValue* version = root.Find("nbformat");
  std::string_view version_text =
      version == nullptr ? "nothing"
                         : std::string_view(text).substr(
                               version->begin, version->end - version->begin);
  if (version_text != "4") {
    return Fail(ErrorCode::kCorrupt,
                "nbformat: expected 4, found {} (only nbformat 4 is supported)",
                version_text);
  }
  const JsonValue* cells = root.Find("cells");
  if (cells == nullptr || cells->kind != JsonValue::Kind::kArray) {
    return Fail(ErrorCode::kCorrupt, "cells: expected an array of cells");
  }

  IpynbNotebook notebook;
  notebook.language_ = NotebookLanguage(root);
  notebook.ensure_ascii_ =
      document.escaped_non_ascii && !document.raw_non_ascii;
  bool databricks_notebook = IsDatabricksNotebook(root);
  uint32_t lines = 0;  // in the virtual module, counting the next joiner
  for (size_t i = 0; i < cells->items.size(); ++i) {
    const JsonValue& object = cells->items[i];
    if (object.kind != JsonValue::Kind::kObject) {
      return Fail(ErrorCode::kCorrupt,
                  "cells[{}]: expected an object ({})", i, where(object));
    }
    const JsonValue* type = object.Find("cell_type");
    if (type == nullptr || !type->IsString()) {
      return Fail(ErrorCode::kCorrupt,
                  "cells[{}].cell_type: expected a string ({})", i,
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
      return Fail(ErrorCode::kCorrupt,
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
    bool databricks = databricks_notebook || IsDatabricksCell(object);
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
      return Fail(ErrorCode::kInvalidArgument,
                  "edit [{}, {}) ends before it starts", edit.start, edit.end);
    }
    std::optional<size_t> index = CellAtVirtualOffset(edit.start);
    if (!index) {
      return Fail(ErrorCode::kInvalidArgument,
                  "edit [{}, {}) lies outside the {}-byte virtual module",
                  edit.start, edit.end, virtual_module_.size());
    }
    const NotebookCell& cell = cells_[*index];
    uint32_t start = edit.start - cell.virtual_start,
             end = edit.end - cell.virtual_start;
    if (end > cell.source.size()) {
      return Fail(ErrorCode::kInvalidArgument,
          "edit [{}, {}) spans the end of cell {} and the line joining it to "
          "the next cell",
          edit.start, edit.end, cell.index);
    }
    if (start < layouts_[*index].pinned_head) {
      return Fail(ErrorCode::kInvalidArgument,
          "edit [{}, {}) is not after the %python line that must stay first "
          "in cell {}",
          edit.start, edit.end, cell.index);
    }
    for (auto [begin, stop] : layouts_[*index].masked) {
      if (TouchesMaskedLine(start, end, edit.text, begin, stop)) {
        return Fail(ErrorCode::kInvalidArgument,
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
      return Fail(ErrorCode::kInvalidArgument,
                  "an edit names cell {}, but the notebook has {} cells",
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
    if (!source) return Wrap(fmt::format("cells[{}]", index), source.error());
    if (*source == cell.source) continue;
    if (!IsValidUtf8(*source))
      return Fail(ErrorCode::kInvalidArgument,
                  "cells[{}]: the edited source is not valid UTF-8", index);
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
    return Fail(ErrorCode::kInternal,
                "internal error: the edited notebook does not parse: {}",
                again.error().message);
  for (const auto& [index, source] : changed) {
    if (again->cells_.size() != cells_.size() ||
        again->cells_[index].source != source) {
      return Fail(ErrorCode::kInternal,
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

// Reading .ipynb cells: language and Databricks metadata, Python and SQL cell
// classification by magic, and the masking of IPython syntax.
#include "prometheus/rewrite/ipynb_cells.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>

namespace prometheus::rewrite::ipynb {
namespace {

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

}  // namespace

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

bool IsDatabricksNotebook(const JsonValue& root) {
  return Path(root.Find("metadata"), {kDatabricksNotebook}) != nullptr;
}

bool IsDatabricksCell(const JsonValue& cell) {
  return Path(cell.Find("metadata"), {kDatabricksCell}) != nullptr;
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

}  // namespace prometheus::rewrite::ipynb

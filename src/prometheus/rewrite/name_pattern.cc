#include "prometheus/rewrite/name_pattern.h"

#include <algorithm>
#include <cctype>

namespace prometheus::rewrite {
namespace {

constexpr int kMaxDepth = 4;
constexpr char kHole = '\x01';  // stands for a hole while text is normalised

void Append(TextPattern& to, const TextPattern& from) {
  for (const TextPattern::Part& part : from.parts) {
    if (!to.parts.empty() && to.parts.back().hole == part.hole) {
      if (!part.hole) to.parts.back().text += part.text;
      continue;  // adjacent holes are one
    }
    to.parts.push_back(part);
  }
}

TextPattern Literal(std::string text) { return {{{std::move(text), false}}}; }
TextPattern Hole() { return {{{"", true}}}; }

std::optional<TextPattern> Resolve(const PythonSource& source, TSNode node,
                                   int depth);

// A value inside a template: what it resolves to, else a hole.
TextPattern ValueOf(const PythonSource& source, TSNode node, int depth) {
  auto value = Resolve(source, node, depth + 1);
  return value ? *value : Hole();
}

std::optional<TextPattern> StringPattern(const PythonSource& source,
                                         TSNode node, int depth) {
  TextPattern out;
  bool raw = false;
  for (uint32_t i = 0; i < ts_node_child_count(node); ++i) {
    TSNode part = ts_node_child(node, i);
    if (IsType(part, "string_start")) {
      std::string prefix;
      for (char c : source.Text(part))
        if (std::isalpha(static_cast<unsigned char>(c)))
          prefix += static_cast<char>(std::tolower(c));
      if (prefix.find('b') != std::string::npos) return std::nullopt;
      raw = prefix.find('r') != std::string::npos;
    } else if (IsType(part, "string_content")) {
      if (!raw && ts_node_named_child_count(part) > 0) {
        // Escape sequences: only `\\` is common in paths; others refuse.
        std::string text(source.Text(part));
        for (size_t at = text.find('\\'); at != std::string::npos;
             at = text.find('\\', at + 1)) {
          if (at + 1 >= text.size() || text[at + 1] != '\\')
            return std::nullopt;
          text.erase(at, 1);
        }
        Append(out, Literal(text));
      } else {
        Append(out, Literal(std::string(source.Text(part))));
      }
    } else if (IsType(part, "interpolation")) {
      TSNode expression = ts_node_named_child(part, 0);
      bool plain = ts_node_named_child_count(part) == 1;  // no !r, no :spec
      Append(out, plain ? ValueOf(source, expression, depth) : Hole());
    } else if (IsType(part, "escape_sequence")) {
      return std::nullopt;
    }
  }
  return out;
}

// `"<template>".format(args...)`: `{}`, `{0}` and `{name}` fields.
std::optional<TextPattern> FormatPattern(const PythonSource& source,
                                         TSNode call, int depth) {
  auto format = Resolve(source, Field(Field(call, "function"), "object"),
                        depth + 1);
  if (!format || !format->IsLiteral()) return std::nullopt;
  std::string text = format->parts.empty() ? "" : format->parts[0].text;
  std::vector<TSNode> positional;
  std::vector<std::pair<std::string, TSNode>> named;
  TSNode args = Field(call, "arguments");
  for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
    TSNode arg = ts_node_named_child(args, i);
    if (IsType(arg, "comment")) continue;
    if (IsType(arg, "keyword_argument")) {
      named.emplace_back(std::string(source.Text(Field(arg, "name"))),
                         Field(arg, "value"));
    } else {
      positional.push_back(arg);
    }
  }
  TextPattern out;
  size_t next_index = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((text[i] == '{' || text[i] == '}') && i + 1 < text.size() &&
        text[i + 1] == text[i]) {
      Append(out, Literal(std::string(1, text[i])));
      ++i;
      continue;
    }
    if (text[i] != '{') {
      Append(out, Literal(std::string(1, text[i])));
      continue;
    }
    size_t close = text.find('}', i);
    if (close == std::string::npos) return std::nullopt;
    std::string field = text.substr(i + 1, close - i - 1);
    i = close;
    TSNode value{};
    bool simple = field.find_first_of(".[!:") == std::string::npos;
    if (simple && field.empty() && next_index < positional.size()) {
      value = positional[next_index++];
    } else if (simple && !field.empty() &&
               std::all_of(field.begin(), field.end(), ::isdigit)) {
      size_t index = std::stoul(field);
      if (index < positional.size()) value = positional[index];
    } else if (simple) {
      for (const auto& [name, node] : named)
        if (name == field) value = node;
    }
    Append(out, ts_node_is_null(value) ? Hole() : ValueOf(source, value, depth));
  }
  return out;
}

bool IsPathJoin(std::string_view function) {
  return function == "os.path.join" || function == "path.join" ||
         function == "posixpath.join";
}

// `os.path.join(a, b, ...)`: the parts joined by `/`; an argument that is
// an absolute literal starts the path anew, as Python's does.
std::optional<TextPattern> PathJoinPattern(const PythonSource& source,
                                           TSNode call, int depth) {
  TextPattern out;
  TSNode args = Field(call, "arguments");
  bool first = true;
  for (uint32_t i = 0; i < ts_node_named_child_count(args); ++i) {
    TSNode arg = ts_node_named_child(args, i);
    if (IsType(arg, "comment")) continue;
    if (!IsType(arg, "string") && !IsType(arg, "identifier") &&
        !IsType(arg, "call") && !IsType(arg, "attribute") &&
        !IsType(arg, "binary_operator"))
      return std::nullopt;  // *args, keywords
    TextPattern part = ValueOf(source, arg, depth);
    bool absolute = !part.parts.empty() && !part.parts[0].hole &&
                    part.parts[0].text.starts_with('/');
    if (absolute) out.parts.clear();
    if (!first && !absolute) Append(out, Literal("/"));
    Append(out, part);
    first = false;
  }
  if (first) return std::nullopt;
  return out;
}

// The right side of the one `name = <expr>` of the file; null otherwise.
TSNode OnlyAssignment(const PythonSource& source, std::string_view name) {
  TSNode only{};
  int count = 0;
  Walk(source.root(), [&](TSNode node) {
    if (count > 1) return false;
    if (IsType(node, "assignment") || IsType(node, "augmented_assignment")) {
      TSNode left = Field(node, "left");
      if (IsType(left, "identifier") && source.Text(left) == name) {
        ++count;
        only = IsType(node, "assignment") ? Field(node, "right") : TSNode{};
      }
    }
    return true;
  });
  return count == 1 ? only : TSNode{};
}

std::optional<TextPattern> Resolve(const PythonSource& source, TSNode node,
                                   int depth) {
  if (ts_node_is_null(node) || depth > kMaxDepth) return std::nullopt;
  if (IsType(node, "string")) return StringPattern(source, node, depth);
  if (IsType(node, "parenthesized_expression"))
    return Resolve(source, ts_node_named_child(node, 0), depth);
  if (IsType(node, "concatenated_string") || IsType(node, "binary_operator")) {
    if (IsType(node, "binary_operator") &&
        source.Text(Field(node, "operator")) != "+")
      return std::nullopt;
    TextPattern out;
    for (uint32_t i = 0; i < ts_node_named_child_count(node); ++i) {
      TSNode part = ts_node_named_child(node, i);
      if (IsType(part, "comment")) continue;
      // An operand of `+` not known in the file is a hole; the parts of
      // an implicit concatenation are literals.
      if (IsType(node, "binary_operator")) {
        Append(out, ValueOf(source, part, depth));
        continue;
      }
      auto resolved = Resolve(source, part, depth + 1);
      if (!resolved) return std::nullopt;
      Append(out, *resolved);
    }
    return out;
  }
  if (MethodName(source, node) == "format")
    return FormatPattern(source, node, depth);
  if (IsType(node, "call") && IsPathJoin(source.Text(Field(node, "function"))))
    return PathJoinPattern(source, node, depth);
  if (IsType(node, "identifier")) {
    TSNode value = OnlyAssignment(source, source.Text(node));
    if (ts_node_is_null(value)) return std::nullopt;
    return Resolve(source, value, depth + 1);
  }
  return std::nullopt;
}

std::string Upper(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '`') out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// The pattern as text with kHole for each hole.
std::string Flat(const TextPattern& pattern) {
  std::string out;
  for (const TextPattern::Part& part : pattern.parts)
    out += part.hole ? std::string(1, kHole) : part.text;
  return out;
}

// True when `pattern` (kHole standing for one or more characters) matches
// all of `text`.
bool Matches(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return text.empty();
  if (pattern[0] != kHole) {
    return !text.empty() && pattern[0] == text[0] &&
           Matches(pattern.substr(1), text.substr(1));
  }
  for (size_t taken = 1; taken <= text.size(); ++taken) {
    if (Matches(pattern.substr(1), text.substr(taken))) return true;
  }
  return false;
}

// True when a template's last component is written out whole: no hole, or
// a separator between the last hole and a non-empty end.
bool LastComponentWritten(std::string_view pattern, char separator) {
  size_t hole = pattern.rfind(kHole);
  if (hole == std::string_view::npos) return !pattern.empty();
  size_t cut = pattern.rfind(separator);
  return cut != std::string_view::npos && cut > hole &&
         cut + 1 < pattern.size();
}

// True when `pattern` matches `text` or one of its `separator`-suffixes.
bool MatchesFromTheEnd(std::string_view pattern, std::string_view text,
                       char separator) {
  if (Matches(pattern, text)) return true;
  for (size_t cut = text.find(separator); cut != std::string_view::npos;
       cut = text.find(separator, cut + 1)) {
    if (Matches(pattern, text.substr(cut + 1))) return true;
  }
  return false;
}

bool IsGlob(std::string_view component) {
  return component.find_first_of("*?[{") != std::string_view::npos;
}

}  // namespace

bool TextPattern::IsLiteral() const {
  return std::none_of(parts.begin(), parts.end(),
                      [](const Part& part) { return part.hole; });
}

std::optional<TextPattern> PatternOf(const PythonSource& source,
                                     TSNode expression) {
  return Resolve(source, expression, 0);
}

bool TableMatches(const TextPattern& written, std::string_view concrete) {
  std::string pattern = Upper(Flat(written));
  return LastComponentWritten(pattern, '.') &&
         MatchesFromTheEnd(pattern, Upper(concrete), '.');
}

std::string NormalisedPath(std::string_view path) {
  std::string p(path);
  std::replace(p.begin(), p.end(), '\\', '/');
  // A scheme is two or more characters before ':' (one is a drive).
  size_t colon = p.find(':');
  if (colon != std::string::npos && colon >= 2 &&
      std::all_of(p.begin(), p.begin() + colon, [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '+' ||
               c == '.' || c == '-';
      })) {
    p.erase(0, colon + 1);
    if (p.starts_with("//")) {
      size_t slash = p.find('/', 2);
      p.erase(0, slash == std::string::npos ? p.size() : slash);
    }
  }
  // A drive, with or without the leading slash of a URI.
  size_t drive = p.starts_with('/') ? 1 : 0;
  if (p.size() >= drive + 2 && std::isalpha(static_cast<unsigned char>(p[drive])) &&
      p[drive + 1] == ':' && (p.size() == drive + 2 || p[drive + 2] == '/')) {
    p.erase(0, drive + 2);
    if (!p.starts_with('/')) p.insert(0, "/");
  }
  if (p == "/dbfs" || p.starts_with("/dbfs/")) p.erase(0, 5);
  // Components: no empty ones, no `.`, no trailing globs.
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= p.size()) {
    size_t slash = p.find('/', start);
    if (slash == std::string::npos) slash = p.size();
    std::string part = p.substr(start, slash - start);
    if (!part.empty() && part != ".") parts.push_back(part);
    start = slash + 1;
  }
  while (!parts.empty() && IsGlob(parts.back())) parts.pop_back();
  std::string out = p.starts_with('/') ? "/" : "";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  return out;
}

bool PathMatches(const TextPattern& written, std::string_view concrete) {
  std::string pattern = NormalisedPath(Flat(written));
  std::string location = NormalisedPath(concrete);
  if (pattern.empty() || !LastComponentWritten(pattern, '/')) return false;
  if (pattern.starts_with('/') && written.IsLiteral())
    return pattern == location;
  if (pattern.starts_with('/')) return Matches(pattern, location);
  return MatchesFromTheEnd(pattern, location, '/');
}

}  // namespace prometheus::rewrite

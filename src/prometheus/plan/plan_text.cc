#include "prometheus/plan/internal/plan_text.h"

#include <algorithm>
#include <cctype>

namespace prometheus::plan::internal {
namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

bool StartsWithUpper(std::string_view text, std::string_view prefix) {
  return text.size() > prefix.size() && text.starts_with(prefix) &&
         std::isupper(static_cast<unsigned char>(text[prefix.size()]));
}

// The location's first path: "InMemoryFileIndex(1 paths)[file:/a, file:/b]"
// gives "file:/a". Metadata values may be cut short without the "]".
std::string FirstPath(std::string_view location) {
  size_t open = location.find('[');
  if (open == std::string_view::npos) return std::string(Trim(location));
  std::string_view paths = location.substr(open + 1);
  paths = paths.substr(0, std::min(paths.find(']'), paths.find(", ")));
  return std::string(Trim(paths));
}

}  // namespace

std::string_view Trim(std::string_view text) {
  while (!text.empty() &&
         std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() &&
         std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string StripExprIds(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '#' && i + 1 < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      size_t j = i + 1;
      while (j < text.size() &&
             std::isdigit(static_cast<unsigned char>(text[j])))
        ++j;
      // A long literal's id ends in "L" ("id#1L"), unless a word goes on.
      if (j < text.size() && text[j] == 'L' &&
          (j + 1 == text.size() || !IsWordChar(text[j + 1]))) {
        ++j;
      }
      i = j - 1;
      continue;
    }
    out += text[i];
  }
  return out;
}

std::vector<std::string_view> SplitTopLevel(std::string_view text,
                                            char separator) {
  std::vector<std::string_view> parts;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : separator;
    if (c == '(' || c == '[' || c == '{') ++depth;
    if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    if ((c == separator && depth == 0) || i == text.size()) {
      std::string_view part = Trim(text.substr(start, i - start));
      if (!part.empty()) parts.push_back(part);
      start = i + 1;
    }
  }
  return parts;
}

std::vector<std::string_view> ListElements(std::string_view text) {
  text = Trim(text);
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return {};
  return SplitTopLevel(text.substr(1, text.size() - 2));
}

std::string_view BaseName(std::string_view node_name) {
  if (StartsWithUpper(node_name, "Photon")) node_name.remove_prefix(6);
  if (StartsWithUpper(node_name, "Gpu")) node_name.remove_prefix(3);
  if (node_name.starts_with("Execute ")) node_name.remove_prefix(8);
  return node_name.substr(0, node_name.find_first_of(" (["));
}

std::string_view Arguments(const model::PlanNode& node) {
  std::string_view text = node.simple_string;
  if (text.starts_with('!')) text.remove_prefix(1);
  std::string_view name = Trim(node.node_name);
  if (!name.empty() && text.starts_with(name))
    return Trim(text.substr(name.size()));
  size_t space = text.find(' ');
  return space == std::string_view::npos ? std::string_view()
                                         : Trim(text.substr(space));
}

std::optional<int64_t> Metric(const model::PlanNode& node,
                              std::string_view name) {
  for (const auto& metric : node.metrics) {
    if (metric.name == name && metric.value) return metric.value;
  }
  return std::nullopt;
}

std::string Detail(const model::PlanNode& node, std::string_view key) {
  for (const auto& [name, value] : node.metadata) {
    if (name == key) return value;
  }
  std::string marker = std::string(key) + ": ";
  std::string_view text = node.simple_string;
  size_t at = text.find(marker);
  if (at == std::string_view::npos) return "";
  std::vector<std::string_view> rest =
      SplitTopLevel(text.substr(at + marker.size()));
  return rest.empty() ? "" : std::string(rest.front());
}

bool IsScan(const model::PlanNode& node) {
  std::string_view base = BaseName(node.node_name);
  if (base == "Scan") return node.node_name.find(' ') != std::string::npos;
  return base == "FileScan" || base == "BatchScan";
}

TableRef ScanTable(const model::PlanNode& node) {
  TableRef ref;
  // "FileScan parquet db.table[cols] ..." or "Scan parquet db.table".
  std::string_view text = node.simple_string;
  size_t scan = text.find("Scan ");
  if (scan != std::string_view::npos) {
    std::string_view rest = text.substr(scan + 5);
    size_t end = rest.find_first_of(" [");
    ref.format = Lower(rest.substr(0, end));
    if (end != std::string_view::npos && rest[end] == ' ') {
      std::string_view table = rest.substr(end + 1);
      table = Trim(table.substr(0, table.find('[')));
      if (table.find(' ') == std::string_view::npos) ref.table = table;
    }
  }
  if (ref.format.empty() || ref.format.starts_with('[')) {
    ref.format = Lower(Detail(node, "Format"));
  }
  std::string location = Detail(node, "Location");
  if (!location.empty()) ref.path = FirstPath(location);
  return ref;
}

std::optional<TableRef> FirstScanBelow(const model::PlanNode& node) {
  if (IsScan(node)) return ScanTable(node);
  for (const auto& child : node.children) {
    if (auto found = FirstScanBelow(child)) return found;
  }
  return std::nullopt;
}

bool IsShuffleExchange(const model::PlanNode& node) {
  std::string_view base = BaseName(node.node_name);
  return base == "Exchange" || base == "ShuffleExchange" ||
         base == "ColumnarExchange" || base.starts_with("ShuffleExchange");
}

bool IsStageBoundary(const model::PlanNode& node) {
  std::string_view base = BaseName(node.node_name);
  return IsShuffleExchange(node) || base == "BroadcastExchange" ||
         base.starts_with("Reused") ||
         base.find("Subquery") != std::string_view::npos ||
         base == "BroadcastQueryStage" || base == "TableCacheQueryStage";
}

}  // namespace prometheus::plan::internal

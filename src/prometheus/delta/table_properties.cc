#include "prometheus/delta/table_properties.h"

#include <cctype>
#include <charconv>
#include <map>

namespace prometheus::delta {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<int64_t> ParseIntervalMs(std::string_view text) {
  text = Trim(text);
  if (text.starts_with("interval ")) text = Trim(text.substr(9));
  int64_t amount = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), amount);
  if (ec != std::errc() || ptr == text.data() || amount < 0) return std::nullopt;
  std::string_view unit = Trim(std::string_view(ptr, text.data() + text.size() - ptr));
  if (unit.ends_with('s')) unit.remove_suffix(1);
  static const std::map<std::string_view, int64_t> kUnits = {
      {"millisecond", 1},        {"second", 1000},           {"minute", 60'000},
      {"hour", 3'600'000},       {"day", 86'400'000},        {"week", 604'800'000}};
  auto it = kUnits.find(unit);
  if (it == kUnits.end()) return std::nullopt;
  return amount * it->second;
}

int64_t PropertyDurationMs(const Metadata& metadata, const std::string& key, int64_t fallback) {
  auto it = metadata.configuration.find(key);
  if (it == metadata.configuration.end()) return fallback;
  return ParseIntervalMs(it->second).value_or(fallback);
}

}  // namespace prometheus::delta

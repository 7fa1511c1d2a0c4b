#include "prometheus/rules/thresholds.h"

#include <charconv>

namespace prometheus::rules {

Status Thresholds::Add(std::string_view assignment) {
  size_t dot = assignment.find('.');
  size_t eq = assignment.find('=');
  if (dot == std::string_view::npos || eq == std::string_view::npos || dot > eq || dot == 0 ||
      eq == dot + 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "--threshold {}: expected RULE.NAME=VALUE, as in idle_cores.idle_ratio=0.6",
                assignment);
  }
  std::string_view text = assignment.substr(eq + 1);
  double value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) {
    return Fail(ErrorCode::kInvalidArgument,
                "--threshold {}: expected a number after '=', found \"{}\"", assignment, text);
  }
  values_[std::string(assignment.substr(0, dot))]
         [std::string(assignment.substr(dot + 1, eq - dot - 1))] = value;
  return Ok();
}

double Thresholds::Get(std::string_view rule, std::string_view name, double fallback) const {
  auto r = values_.find(std::string(rule));
  if (r == values_.end()) return fallback;
  auto n = r->second.find(std::string(name));
  return n == r->second.end() ? fallback : n->second;
}

std::map<std::string, double> Thresholds::For(std::string_view rule) const {
  auto r = values_.find(std::string(rule));
  return r == values_.end() ? std::map<std::string, double>{} : r->second;
}

}  // namespace prometheus::rules

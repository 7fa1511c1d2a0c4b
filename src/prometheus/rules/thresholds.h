// Threshold overrides from the command line (--threshold RULE.NAME=VALUE),
// for native and declarative rules alike.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "prometheus/base/result.h"

namespace prometheus::rules {

class Thresholds {
 public:
  // Parses "RULE.NAME=VALUE"; VALUE is a number (units as in rule files are
  // not accepted here).
  Status Add(std::string_view assignment);

  // Sets `rule`.`name` unless it is already set (a rule file's value gives
  // way to the command line's).
  void SetIfAbsent(const std::string& rule, const std::string& name,
                   double value) {
    values_[rule].try_emplace(name, value);
  }

  // The override of `rule`.`name`, else `fallback`.
  double Get(std::string_view rule, std::string_view name,
             double fallback) const;

  // Overrides of one rule, by name.
  std::map<std::string, double> For(std::string_view rule) const;

  bool empty() const { return values_.empty(); }
  const std::map<std::string, std::map<std::string, double>>& all() const {
    return values_;
  }

 private:
  std::map<std::string, std::map<std::string, double>> values_;
};

}  // namespace prometheus::rules

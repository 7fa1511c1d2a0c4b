// The names a rule expression can read: a stage's KPI row with its
// application's context, or an application's figures.
#pragma once

#include <initializer_list>
#include <string>
#include <unordered_map>

#include "prometheus/kpi/analysis.h"
#include "prometheus/rules/expression.h"

namespace prometheus::rules {

class MapScope : public Scope {
 public:
  MapScope() = default;
  MapScope(
      std::initializer_list<std::pair<const std::string, ExprValue>> values)
      : values_(values) {}
  std::optional<ExprValue> Lookup(std::string_view name) const override {
    auto it = values_.find(std::string(name));
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  void Set(std::string name, ExprValue value) {
    values_[std::move(name)] = std::move(value);
  }

 private:
  std::unordered_map<std::string, ExprValue> values_;
};

// app_* names (docs/RULES.md lists them), shuffle_partitions and
// aqe_enabled.
MapScope ApplicationScope(const kpi::Analysis& analysis);

// Every KPI column of `stage` plus task_read_bytes_max/p50 and the
// application's names.
MapScope StageScope(const kpi::Analysis& analysis, const kpi::StageKpis& stage);
// The same over an ApplicationScope already made, so that a rule run over
// many stages makes the application's names once.
MapScope StageScope(const MapScope& application, const kpi::StageKpis& stage);

}  // namespace prometheus::rules

// A scope of a few names of its own over a parent scope, whose names they
// shadow: a rule's thresholds, values and evidence over a KPI row.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "prometheus/rules/expression.h"

namespace prometheus::rules::internal {

class LayeredScope : public Scope {
 public:
  // `parent` must outlive this scope.
  explicit LayeredScope(const Scope& parent) : parent_(parent) {}

  void Set(std::string name, ExprValue value) {
    own_.insert_or_assign(std::move(name), std::move(value));
  }

  std::optional<ExprValue> Lookup(std::string_view name) const override {
    auto it = own_.find(name);
    if (it != own_.end()) return it->second;
    return parent_.Lookup(name);
  }

 private:
  const Scope& parent_;
  std::map<std::string, ExprValue, std::less<>> own_;
};

}  // namespace prometheus::rules::internal

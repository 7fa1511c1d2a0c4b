// One row per typed fix kind: its name, safety class, JSON read and write,
// and label. Row i describes the i-th alternative of fix::Kind; OtherKind,
// the last, has no row.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/fix/fix.h"

namespace prometheus::fix::internal {

struct KindRow {
  std::string_view name;
  Safety safety;
  // The kind's parameters from a record whose "kind" is `name`.
  Result<Kind> (*read)(const Json& record);
  // Appends the kind's parameters, in the contract's order, to a record
  // that holds "kind".
  void (*write)(const Kind& kind, Json& record);
  // The label; nullptr when it is the name.
  std::string (*label)(const Kind& kind);
  // The kind with no parameters, labelled when a record does not read.
  Kind (*blank)();
  // A parameter that stays a string even when its text is a number, or "".
  std::string_view text_parameter;
};

std::span<const KindRow> KindRows();
// nullptr for a kind this version does not know.
const KindRow* RowNamed(std::string_view name);

}  // namespace prometheus::fix::internal

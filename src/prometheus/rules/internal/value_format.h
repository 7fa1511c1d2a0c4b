// Values as message text: "{name:bytes}" and the other placeholder formats.
#pragma once

#include <string>
#include <string_view>

#include "prometheus/base/result.h"
#include "prometheus/rules/expression.h"

namespace prometheus::rules::internal {

// A number without a format: whole numbers without decimals ("1234"), others
// with about three significant digits ("12.35", "0.0123").
std::string FormatNumber(double value);

// Whether `format` is "", bytes, duration, pct, int, or .Nf with N in 0-9.
bool IsValueFormat(std::string_view format);

// `value` in `format` (see IsValueFormat). Null reads "n/a" in every format;
// a string or boolean with a numeric format is an error.
Result<std::string> FormatValue(const ExprValue& value,
                                std::string_view format);

}  // namespace prometheus::rules::internal

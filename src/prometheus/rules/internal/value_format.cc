#include "prometheus/rules/internal/value_format.h"

#include <fmt/format.h>

#include <cmath>

#include "prometheus/base/units.h"

namespace prometheus::rules::internal {
namespace {

// The N of ".Nf", or -1.
int Precision(std::string_view format) {
  if (format.size() == 3 && format[0] == '.' && format[1] >= '0' &&
      format[1] <= '9' && format[2] == 'f') {
    return format[1] - '0';
  }
  return -1;
}

}  // namespace

std::string FormatNumber(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return fmt::format("{:.0f}", value);
  }
  double magnitude = std::fabs(value);
  std::string text;
  if (magnitude >= 100) {
    text = fmt::format("{:.0f}", value);
  } else if (magnitude >= 1) {
    text = fmt::format("{:.2f}", value);
  } else {
    text = fmt::format("{:.3g}", value);
  }
  // "12.30" reads "12.3", "4.00" reads "4".
  if (text.find('.') != std::string::npos &&
      text.find('e') == std::string::npos) {
    while (text.back() == '0') text.pop_back();
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

bool IsValueFormat(std::string_view format) {
  return format.empty() || format == "bytes" || format == "duration" ||
         format == "pct" || format == "int" || Precision(format) >= 0;
}

Result<std::string> FormatValue(const ExprValue& value,
                                std::string_view format) {
  if (std::holds_alternative<std::monostate>(value)) return std::string("n/a");
  const double* number = std::get_if<double>(&value);
  if (format.empty()) {
    if (number != nullptr) return FormatNumber(*number);
    if (const bool* b = std::get_if<bool>(&value)) {
      return std::string(*b ? "true" : "false");
    }
    return std::get<std::string>(value);
  }
  if (number == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "format '{}' needs a number, found {}", format,
                std::holds_alternative<bool>(value) ? "boolean" : "string");
  }
  if (format == "bytes") return FormatBytes(*number);
  if (format == "duration") return FormatDuration(*number);
  if (format == "pct")
    return FormatNumber(std::round(*number * 1000) / 10) + "%";
  if (format == "int") return fmt::format("{:.0f}", std::round(*number) + 0.0);
  int precision = Precision(format);
  if (precision < 0) return Fail(ErrorCode::kInvalidArgument,
                                 "unknown format '{}'", format);
  return fmt::format("{:.{}f}", *number, precision);
}

}  // namespace prometheus::rules::internal

#include "prometheus/report/messages.h"

namespace prometheus::report {

constexpr std::string_view kErrorPrefix = "prometheus: ";

std::string ErrorText(std::string_view message) {
  std::string out(kErrorPrefix);
  for (char c : message) {
    out += c;
    if (c == '\n') out += kErrorPrefix;
  }
  // A message that ends its own last line gets no empty prefixed line.
  if (message.ends_with('\n')) out.resize(out.size() - kErrorPrefix.size());
  return out + "\n";
}

std::string WarningText(const std::vector<std::string>& warnings) {
  std::string out;
  for (const auto& warning : warnings) out += "warning: " + warning + "\n";
  return out;
}

}  // namespace prometheus::report

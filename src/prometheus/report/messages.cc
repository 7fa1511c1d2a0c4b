#include "prometheus/report/messages.h"

namespace prometheus::report {

std::string ErrorText(std::string_view message) {
  std::string out;
  while (true) {
    size_t end = message.find('\n');
    out += "prometheus: ";
    out += message.substr(0, end);
    out += '\n';
    if (end == std::string_view::npos) return out;
    message.remove_prefix(end + 1);
  }
}

std::string WarningText(const std::vector<std::string>& warnings) {
  std::string out;
  for (const auto& warning : warnings) out += "warning: " + warning + "\n";
  return out;
}

}  // namespace prometheus::report

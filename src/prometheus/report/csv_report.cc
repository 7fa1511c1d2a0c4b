#include "prometheus/report/csv_report.h"

#include "prometheus/report/json_report.h"

namespace prometheus::report {
namespace {

void AppendField(std::string& out, const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string CellText(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

}  // namespace

std::string RenderCsv(const std::vector<kpi::Analysis>& analyses) {
  const auto& columns = kpi::StageKpiColumns();
  std::string out;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) out += ',';
    out += columns[i];
  }
  out += '\n';
  for (const auto& analysis : analyses) {
    for (const auto& stage : analysis.stages) {
      // The JSON form holds the one definition of each column's text.
      nlohmann::ordered_json row = StageKpisToJson(stage);
      for (size_t i = 0; i < columns.size(); ++i) {
        if (i > 0) out += ',';
        AppendField(out, CellText(row[columns[i]]));
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace prometheus::report

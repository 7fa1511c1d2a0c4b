#include "prometheus/cli/report_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/pipeline/load_logs.h"
#include "prometheus/report/html_input.h"
#include "prometheus/report/html_report.h"
#include "prometheus/report/format.h"

namespace prometheus::cli {
namespace {

struct ReportOptions {
  std::string store = "prometheus-lake";
  std::string out = "prometheus-report.html";
  std::optional<double> core_hour_price;
};

int RunReport(const ReportOptions& options) {
  auto input = report::InputFromLake(options.store, pipeline::NowMs(), options.core_hour_price);
  if (!input) return ExitWith(input.error());
  std::string page = report::RenderHtml(report::BuildReportData(*input));
  auto written = WriteReportFile(options.out, page);
  if (!written) return ExitWith(written.error());
  Write(Err(), "wrote " + options.out + " (" + FormatBytes(static_cast<double>(page.size())) + ", " +
                    std::to_string(input->applications.size()) + " runs)\n");
  return kExitOk;
}

}  // namespace

Result<void> WriteReportFile(const std::filesystem::path& path, std::string_view page) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (file) file.write(page.data(), static_cast<std::streamsize>(page.size()));
  if (file) file.close();
  if (!file) {
    return Fail(ErrorCode::kIo, "{}: cannot write the report: {}", path.string(), std::strerror(errno));
  }
  return {};
}

void AddReportCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report", "Write the lake's HTML report: one self-contained file (no network when opened).");
  cmd->footer(
      "Sections: jobs ranked by cost and by time with their trends over runs; recommendations "
      "by impact with evidence and fix; drill-downs of the latest run of the costliest jobs "
      "(stage timeline, task durations per stage, what-if curve when the log still reads).\n\n"
      "Exit codes: 0 done; 1 the lake or the file could not be read or written; 2 bad "
      "arguments or an empty lake.");
  cmd->add_option("--store", options->store, "The lake folder")->capture_default_str();
  cmd->add_option("-o,--out", options->out, "The HTML file to write")->capture_default_str();
  cmd->add_option("--core-hour-price", options->core_hour_price,
                  "Price of one core for one hour; adds costs")
      ->check(CLI::PositiveNumber);
  cmd->callback([options, &exit_code] { exit_code = RunReport(*options); });
}

}  // namespace prometheus::cli

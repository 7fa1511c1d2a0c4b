#include "prometheus/cli/report_command.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <string>

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/fix_input.h"
#include "prometheus/cli/report_loop.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/forge/remote.h"
#include "prometheus/git/repository.h"
#include "prometheus/http/curl_transport.h"
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
  std::string repo;  // the jobs' repository: the loop's pull requests from its forge
  std::string remote = "origin";
  std::string forge;  // --forge, "" to guess
};

// The loop's pull requests into `input`, or why there are none in
// input.loop_note (also a warning when the forge could not be read: the
// report is written without them).
void AddLoopPulls(const ReportOptions& options, report::ReportInput& input) {
  if (!options.repo.empty()) {
    // What fix would do, for the recommendations no pull request carries.
    if (auto records = RecommendationsFromStore(options.store)) {
      input.would_fix = WouldFixDiffs(options.repo, *records);
    }
  }
  if (options.repo.empty()) {
    input.loop_note = "Not read: `prometheus report --repo DIR` reads the closed loop's pull "
                      "requests from the forge of the jobs' repository.";
    return;
  }
  auto fail = [&](const Error& error) {
    input.loop_note = "Not read: " + error.message;
    Write(Err(), "prometheus: warning: the loop's pull requests were not read: " + error.message +
                     "\n");
  };
  auto repo = git::Repository::Open(options.repo);
  if (!repo) return fail(repo.error());
  auto config = forge::ResolveForge(repo->RemoteUrl(options.remote).value_or(""), options.forge,
                                    forge::ProcessEnvironment());
  if (!config) return fail(config.error());
  auto transport = http::CurlTransport();
  auto client = forge::Connect(*config, *transport);
  auto pulls = LoopPulls(*client, &*repo, input.applications, input.recommendations);
  if (!pulls) return fail(pulls.error());
  input.pulls = std::move(*pulls);
  if (input.pulls.empty()) input.loop_note = "No Prometheus pull request on the forge yet.";
}

int RunReport(const ReportOptions& options) {
  auto input = report::InputFromLake(options.store, pipeline::NowMs(), options.core_hour_price);
  if (!input) return ExitWith(input.error());
  AddLoopPulls(options, *input);
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
      "(stage timeline, task durations per stage, what-if curve when the log still reads); "
      "with --repo, the loop's merged fixes on the trends, their diffs and realised savings.\n\n"
      "Exit codes: 0 done; 1 the lake or the file could not be read or written; 2 bad "
      "arguments or an empty lake.");
  cmd->add_option("--store", options->store, "The lake folder")->capture_default_str();
  cmd->add_option("-o,--out", options->out, "The HTML file to write")->capture_default_str();
  cmd->add_option("--core-hour-price", options->core_hour_price,
                  "Price of one core for one hour; adds costs")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--repo", options->repo,
                  "The jobs' repository: marks the loop's merged fixes and their measured "
                  "savings, from its forge (the token as for propose)");
  cmd->add_option("--remote", options->remote, "The remote whose forge holds the pull requests")
      ->capture_default_str();
  cmd->add_option("--forge", options->forge, "github, gitlab or azure (guessed from the remote)");
  cmd->callback([options, &exit_code] { exit_code = RunReport(*options); });
}

}  // namespace prometheus::cli

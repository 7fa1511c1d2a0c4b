#include "prometheus/cli/cli.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <exception>
#include <sstream>

#include "prometheus/cli/analyze_command.h"
#include "prometheus/cli/fix_command.h"
#include "prometheus/cli/loop_command.h"
#include "prometheus/cli/maintenance_command.h"
#include "prometheus/cli/observe_command.h"
#include "prometheus/cli/recommend_command.h"
#include "prometheus/cli/report_command.h"
#include "prometheus/cli/show_command.h"
#include "prometheus/cli/whatif_command.h"

namespace prometheus::cli {

int Run(int argc, char** argv) {
  CLI::App app(
      "Prometheus reads Spark and Databricks event logs, computes per-stage "
      "KPIs and tells you what to tune.",
      "prometheus");
  app.set_version_flag("--version", "prometheus 0.1.0");
  app.require_subcommand(1);
  int exit_code = kExitOk;
  AddAnalyzeCommand(app, exit_code);
  AddObserveCommand(app, exit_code);
  AddShowCommand(app, exit_code);
  AddRecommendCommand(app, exit_code);
  AddFixCommand(app, exit_code);
  AddWhatIfCommand(app, exit_code);
  AddReportCommand(app, exit_code);
  AddLoopCommands(app, exit_code);
  AddOptimizeCommand(app, exit_code);
  AddVacuumCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream out, err;
    int code = app.exit(e, out, err);
    Write(Out(), out.str());
    Write(Err(), err.str());
    return code == 0 ? kExitOk : ExitCode(ErrorCode::kInvalidArgument);
  }
  return exit_code;
}

int Main(int argc, char** argv, Streams streams) {
  StreamsScope scope(streams);
  int exit_code;
  try {
    exit_code = Run(argc, argv);
  } catch (const std::exception& e) {
    exit_code = ExitWith({ErrorCode::kInternal, e.what()});
  }
  // A full disk must not pass for a finished report.
  if (std::fflush(streams.out) != 0 || std::ferror(streams.out)) {
    int error = errno;
    return ExitWith({ErrorCode::kIo, fmt::format("cannot write the output to stdout: {}",
                                                 std::strerror(error))});
  }
  return exit_code;
}

}  // namespace prometheus::cli

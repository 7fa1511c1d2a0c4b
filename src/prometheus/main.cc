#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

#include "prometheus/cli/cli.h"

int main(int argc, char** argv) {
  using prometheus::ErrorCode;
  using prometheus::cli::ExitWith;
  int exit_code;
  try {
    exit_code = prometheus::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    exit_code = ExitWith({ErrorCode::kInternal, e.what()});
  }
  // Output that did not reach stdout is a failure whatever the command made
  // of it: a full disk must not pass for a finished report.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    int error = errno;
    return ExitWith({ErrorCode::kIo, fmt::format("cannot write the output to stdout: {}",
                                                 std::strerror(error))});
  }
  return exit_code;
}

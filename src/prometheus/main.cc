#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

#include "prometheus/cli/cli.h"

int main(int argc, char** argv) {
  int exit_code = prometheus::cli::kExitFailure;
  try {
    exit_code = prometheus::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prometheus: %s\n", e.what());
  }
  // Output that did not reach stdout is a failure whatever the command made
  // of it: a full disk must not pass for a finished report.
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    std::fprintf(stderr, "prometheus: cannot write the output to stdout: %s\n",
                 std::strerror(errno));
    return prometheus::cli::kExitFailure;
  }
  return exit_code;
}

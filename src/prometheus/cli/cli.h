// The command line: argument parsing and wiring only; the work is in the
// library (pipeline/), the text in report/, exit codes in exit_codes.h.
#pragma once

#include "prometheus/cli/exit_codes.h"

namespace prometheus::cli {

// Runs `prometheus` with its arguments and returns the exit code.
int Run(int argc, char** argv);

}  // namespace prometheus::cli

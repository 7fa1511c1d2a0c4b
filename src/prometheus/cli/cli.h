// The command line: argument parsing and wiring only; the work is in the
// library (pipeline/), the text in report/, exit codes in exit_codes.h.
#pragma once

#include <cstdio>

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/terminal.h"

namespace prometheus::cli {

// Runs `prometheus` with its arguments on the current streams (terminal.h)
// and returns the exit code.
int Run(int argc, char** argv);

// The program's entry, for main() and the Python module (python/): Run with
// `streams` current; an escaped exception is an internal error, and output
// that did not reach `streams.out` a failure whatever the command made of it.
// One call at a time per process unless the streams are stdout and stderr.
int Main(int argc, char** argv, Streams streams);

}  // namespace prometheus::cli

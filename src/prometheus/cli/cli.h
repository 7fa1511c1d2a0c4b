// The command line: argument parsing only; the work is in the library.
#pragma once

namespace prometheus::cli {

// Exit codes.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   // an internal or I/O failure
inline constexpr int kExitBadInput = 2;  // bad arguments or nothing readable

// Runs `prometheus` with its arguments and returns the exit code.
int Run(int argc, char** argv);

}  // namespace prometheus::cli

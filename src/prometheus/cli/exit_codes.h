// The one place where an error becomes the program's exit code: from the
// error's code, never from which call failed.
//
//   0  done
//   1  an I/O failure, of the store or of a file to write (kIo, kConflict,
//      kUnavailable, kInternal)
//   2  bad arguments, or nothing readable (kInvalidArgument, kNotFound,
//      kCorrupt)
#pragma once

#include "prometheus/base/result.h"

namespace prometheus::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitBadInput = 2;

int ExitCode(ErrorCode code);

// Prints `error` on Err() (stderr unless a caller chose another stream), each line after "prometheus: ", and returns its
// exit code.
int ExitWith(const Error& error);

}  // namespace prometheus::cli

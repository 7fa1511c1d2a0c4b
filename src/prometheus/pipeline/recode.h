// Where a step's contract groups failures by what failed rather than why, it
// gives them one code: the caller (the command line's exit code, a Python
// exception class) sees what it can act on.
#pragma once

#include <expected>
#include <utility>

#include "prometheus/base/result.h"

namespace prometheus::pipeline {

// `error` with `code` in place of its own; the message is kept.
inline std::unexpected<Error> Recode(ErrorCode code, Error error) {
  error.code = code;
  return std::unexpected(std::move(error));
}

// A lake that cannot be read or written is the store failing (kIo), whatever
// went wrong below it, except a commit lost to another writer (kConflict).
inline std::unexpected<Error> LakeFailure(Error error) {
  return Recode(error.code == ErrorCode::kConflict ? ErrorCode::kConflict : ErrorCode::kIo,
                std::move(error));
}

}  // namespace prometheus::pipeline

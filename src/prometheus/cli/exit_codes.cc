#include "prometheus/cli/exit_codes.h"

#include <cstdio>
#include <string>

#include "prometheus/cli/terminal.h"
#include "prometheus/report/messages.h"

namespace prometheus::cli {

int ExitCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound:
    case ErrorCode::kCorrupt:
      return kExitBadInput;
    case ErrorCode::kIo:
    case ErrorCode::kConflict:
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal:
      return kExitFailure;
  }
  return kExitFailure;
}

int ExitWith(const Error& error) {
  std::string text = report::ErrorText(error.message);
  Write(Err(), text);
  return ExitCode(error.code);
}

}  // namespace prometheus::cli

#include <exception>

#include "prometheus/cli/cli.h"

int main(int argc, char** argv) {
  try {
    return prometheus::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    return prometheus::cli::ExitWith({prometheus::ErrorCode::kInternal, e.what()});
  }
}

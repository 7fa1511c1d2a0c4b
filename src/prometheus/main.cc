#include <cstdio>
#include <exception>

#include "prometheus/cli/cli.h"

int main(int argc, char** argv) {
  try {
    return prometheus::cli::Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "prometheus: %s\n", e.what());
    return prometheus::cli::kExitFailure;
  }
}

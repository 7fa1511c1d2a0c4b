// `prometheus fix`: apply the conf and broadcast_hint recommendations of a
// recommendations JSON to the PySpark sources of a repository.
#pragma once

#include <CLI/CLI.hpp>

namespace prometheus::cli {

void AddFixCommand(CLI::App& app, int& exit_code);

}  // namespace prometheus::cli

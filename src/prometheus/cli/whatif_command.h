// `prometheus whatif`: each application's wall time, core time and cost
// estimated at other executor counts (docs/WHATIF.md).
#pragma once

#include <CLI/CLI.hpp>

namespace prometheus::cli {

void AddWhatIfCommand(CLI::App& app, int& exit_code);

}  // namespace prometheus::cli

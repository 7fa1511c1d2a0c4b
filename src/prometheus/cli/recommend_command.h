// `prometheus recommend`: run the rules on the applications in the lake
// that have no recommendations yet, and append what they find.
#pragma once

#include <CLI/CLI.hpp>

namespace prometheus::cli {

void AddRecommendCommand(CLI::App& app, int& exit_code);

}  // namespace prometheus::cli

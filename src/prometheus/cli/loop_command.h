// The closed loop's commands (issue 14, docs/LOOP.md): `propose` (branches
// and pull requests of the lake's safe fixes), `verify` (measured deltas on
// merged pull requests, reverts when worse) and `run` (observe, recommend,
// propose, verify: the nightly job).
#pragma once

#include <CLI/CLI.hpp>

namespace prometheus::cli {

void AddLoopCommands(CLI::App& app, int& exit_code);

}  // namespace prometheus::cli

// `prometheus show TABLE`: read a lake table back, for people without DuckDB.
#pragma once

#include <CLI/CLI.hpp>

namespace prometheus::cli {

void AddShowCommand(CLI::App& app, int& exit_code);

}  // namespace prometheus::cli

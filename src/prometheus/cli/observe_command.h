// `prometheus observe`: analyse what is new in event-log folders and append
// it to the local lake's Delta tables.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <optional>
#include <string_view>

namespace prometheus::cli {

// Adds the subcommand to `app`; `exit_code` receives its result.
void AddObserveCommand(CLI::App& app, int& exit_code);

// "24h", "7d", "90m", "3600s" or "2w" in milliseconds, or nullopt.
std::optional<int64_t> ParseDurationMs(std::string_view text);

}  // namespace prometheus::cli

// `prometheus optimize` and `prometheus vacuum`: keeping a lake that is
// observed night after night small and fast to read.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <CLI/CLI.hpp>

namespace prometheus::cli {

void AddOptimizeCommand(CLI::App& app, int& exit_code);
void AddVacuumCommand(CLI::App& app, int& exit_code);

// Bytes of a size such as 128MB, 1GB, 512KB or 1048576 (units of 1024);
// nullopt when it is not of that form or not positive.
std::optional<int64_t> ParseByteSize(std::string_view text);

}  // namespace prometheus::cli

// `prometheus report --store STORE --out FILE`: the self-contained HTML
// report of a lake; and the file writing `analyze --html` shares with it.
#pragma once

#include <filesystem>
#include <string_view>

#include <CLI/CLI.hpp>

#include "prometheus/base/result.h"

namespace prometheus::cli {

void AddReportCommand(CLI::App& app, int& exit_code);

// Writes `page` to `path` whole; fails with kIo naming the file.
Result<void> WriteReportFile(const std::filesystem::path& path, std::string_view page);

}  // namespace prometheus::cli

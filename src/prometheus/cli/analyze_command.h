// `prometheus analyze PATH...`: KPIs of event logs, for people or machines.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace prometheus::cli {

struct AnalyzeOptions {
  std::vector<std::string> paths;
  std::string format = "text";
  int threads = 0;  // 0: one per core
  size_t top = 5;
  bool progress = true;
  std::string color = "auto";
  std::vector<std::string> rule_folders;  // empty: ./rules when it exists
  std::vector<std::string> disabled_rules;
  std::vector<std::string> thresholds;  // RULE.NAME=VALUE
  std::string html;  // also write the HTML report here
  std::optional<double> core_hour_price;
};

// Adds the subcommand to `app`; `exit_code` receives its result.
void AddAnalyzeCommand(CLI::App& app, int& exit_code);

int RunAnalyze(const AnalyzeOptions& options);

}  // namespace prometheus::cli

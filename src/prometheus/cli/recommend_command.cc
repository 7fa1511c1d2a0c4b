#include "prometheus/cli/recommend_command.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prometheus/cli/cli.h"
#include "prometheus/cli/load_logs.h"
#include "prometheus/report/text_report.h"
#include "prometheus/lake/lake.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"

namespace prometheus::cli {
namespace {

struct RecommendOptions {
  std::string store = "prometheus-lake";
  std::vector<std::string> rule_folders;
  std::vector<std::string> disabled_rules;
  std::vector<std::string> thresholds;
  std::string format = "text";
  bool all = false;
  int threads = 0;
};

// The log an applications row was read from: the part itself for a single
// file, else the folder that holds the parts.
std::filesystem::path SourceOf(const lake::StoredApplication& app) {
  std::filesystem::path first = app.source_paths.substr(0, app.source_paths.find('\n'));
  if (app.source_layout == "file") return first;
  return first.parent_path();
}

int RunRecommend(const RecommendOptions& options) {
  lake::Lake lake(options.store);
  auto apps = lake::ReadApplications(lake);
  if (!apps) {
    std::fprintf(stderr, "prometheus: %s\n", apps.error().message.c_str());
    return kExitFailure;
  }
  if (apps->version < 0) {
    std::fprintf(stderr, "prometheus: %s holds no applications yet: run `prometheus observe` first\n",
                 options.store.c_str());
    return kExitBadInput;
  }
  auto done = lake.Ingested(lake::kRecommendationsTable);
  if (!done) {
    std::fprintf(stderr, "prometheus: %s\n", done.error().message.c_str());
    return kExitFailure;
  }
  std::vector<std::string> warnings;
  std::vector<io::EventLogInput> inputs;
  std::map<std::string, std::string> fingerprints;  // by application key
  for (const lake::StoredApplication& app : apps->rows) {
    std::string key = lake::AppKey(app.app_id, app.app_attempt_id.value_or(""));
    if (!options.all && done->contains(key)) continue;
    std::filesystem::path source = SourceOf(app);
    auto found = io::FindEventLogs({source});
    if (!found || found->inputs.size() != 1) {
      warnings.push_back(fmt::format(
          "{}: the log of application {} is no longer there; its recommendations need it",
          source.string(), key));
      continue;
    }
    inputs.push_back(std::move(found->inputs.front()));
    fingerprints[key] = app.fingerprint;
  }
  Analyses analyzed = AnalyzeLoaded(LoadLogs(inputs, options.threads, true), NowMs());
  warnings.insert(warnings.end(), analyzed.warnings.begin(), analyzed.warnings.end());
  auto engine_options =
      RuleEngineOptions(options.rule_folders, options.disabled_rules, options.thresholds);
  if (!engine_options) {
    std::fprintf(stderr, "prometheus: %s\n", engine_options.error().message.c_str());
    return kExitBadInput;
  }
  rules::RuleEngine engine(*engine_options);
  warnings.insert(warnings.end(), engine.errors().begin(), engine.errors().end());
  std::vector<std::vector<rules::Recommendation>> found(analyzed.analyses.size());
  std::vector<lake::AppRecommendations> batch;
  for (size_t i = 0; i < analyzed.analyses.size(); ++i) {
    found[i] = engine.Evaluate(analyzed.analyses[i], warnings);
    const model::Application& app = analyzed.analyses[i].log.application;
    batch.push_back({&analyzed.analyses[i], &found[i],
                     fingerprints[lake::AppKey(app.app_id, app.attempt_id)]});
  }
  auto stats = lake.IngestRecommendations(batch, options.all, NowMs());
  for (const auto& warning : warnings) std::fprintf(stderr, "warning: %s\n", warning.c_str());
  if (!stats) {
    std::fprintf(stderr, "prometheus: %s\n", stats.error().message.c_str());
    return kExitFailure;
  }
  if (options.format == "json") {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const auto& recommendations : found) {
      for (const auto& r : recommendations) list.push_back(rules::ToJson(r));
    }
    std::puts(nlohmann::ordered_json{{"recommendations", list}}.dump(2).c_str());
  } else {
    std::string text = report::RenderText(analyzed.analyses, {}, {false, 5}, &found);
    std::fputs(text.c_str(), stdout);
    std::printf("%s: recommendations stored for %lld application attempt(s)%s\n",
                options.store.c_str(),
                static_cast<long long>(stats->appended + stats->replaced),
                stats->replaced > 0 ? fmt::format(" ({} replaced)", stats->replaced).c_str() : "");
  }
  return kExitOk;
}

}  // namespace

void AddRecommendCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<RecommendOptions>();
  CLI::App* cmd = app.add_subcommand(
      "recommend",
      "Run the rules on the lake's applications that have no recommendations "
      "yet and append what they find to prometheus_recommendations.");
  cmd->footer(
      "Each application's logs are read again from where `observe` found them, "
      "so that plan-based rules see the queries. --all re-evaluates every "
      "application and replaces its recommendations (never duplicates them)."
      "\n\nExit codes: 0 done; 1 the store could not be read or written; 2 bad "
      "arguments or an empty store.");
  cmd->add_option("--store", options->store, "The lake folder")->capture_default_str();
  cmd->add_option("--rules", options->rule_folders,
                  "Folder of rule files read after the built-in rules (default ./rules)");
  cmd->add_option("--disable", options->disabled_rules, "Switch a rule off by id; repeatable");
  cmd->add_option("--threshold", options->thresholds,
                  "Change a rule's threshold, RULE.NAME=VALUE; repeatable");
  cmd->add_flag("--all", options->all, "Re-evaluate every application, replacing");
  cmd->add_option("-j,--threads", options->threads, "Logs read at once (0: one per core)");
  cmd->add_option("-f,--format", options->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([options, &exit_code] { exit_code = RunRecommend(*options); });
}

}  // namespace prometheus::cli

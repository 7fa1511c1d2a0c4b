#include "prometheus/cli/fix_command.h"

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/fix_input.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/report/fix_report.h"
#include "prometheus/report/messages.h"
#include "prometheus/rewrite/fix_batch.h"
#include "prometheus/rewrite/fix_request.h"
#include "prometheus/rewrite/fix_runner.h"

namespace prometheus::cli {
namespace {

using nlohmann::json;

struct FixOptions {
  std::string recommendations;
  std::string store;
  std::string repo;
  std::string app;
  std::vector<std::string> kinds;  // empty: every kind
  std::string color = "auto";
  std::string format = "text";
  bool apply = false;
  bool diff = false;  // the default; only excludes --apply
};

// Writes every changed file; a fix whose file was not written was not
// applied: it becomes skipped, saying why. Returns why each file that could
// not be written was not, by path.
report::FixWriteFailures WriteChanged(rewrite::SourceTree& tree,
                                      std::vector<report::FixResult>& done) {
  report::FixWriteFailures failures;
  for (const auto* file : tree.Changed()) {
    if (auto status = tree.Write(*file); !status)
      failures.emplace(file->path(), status.error().message);
  }
  for (auto& [request, outcome, ids] : done) {
    auto failure = failures.find(outcome.file);
    if (failure == failures.end() ||
        outcome.status != rewrite::FixStatus::kApplied) {
      continue;
    }
    outcome.status = rewrite::FixStatus::kSkipped;
    outcome.note = fmt::format("not applied: the file was not written ({})",
                               failure->second);
  }
  return failures;
}

bool UseColor(const std::string& color) {
  if (color == "always") return true;
  if (color == "never") return false;
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr &&
         !(term && std::string_view(term) == "dumb");
}

// The recommendations' fixes on the tree (rewrite::FixBatch), the writing,
// then the report.
int RunFixCommand(const FixOptions& options) {
  auto recommendations = options.store.empty()
                             ? RecommendationsFromFile(options.recommendations)
                             : RecommendationsFromStore(options.store);
  if (!recommendations) return ExitWith(recommendations.error());
  rewrite::SourceTree tree(options.repo);
  // The selected requests, or why a record's fix does not read.
  std::vector<std::pair<rewrite::FixRequest, std::string>> selected;
  std::set<std::string> apps_seen, kinds_seen;  // for --app and --kind typos
  for (const json& record : *recommendations) {
    if (!record.is_object() || !record.contains("fix")) continue;
    const json& scope = record.value("scope", json::object());
    const std::string app_id = scope.is_object() ? scope.value("app_id", "") : "";
    apps_seen.insert(app_id);
    if (!options.app.empty() && app_id != options.app) continue;
    auto request = rewrite::ReadFixRequest(record);
    if (request) kinds_seen.insert(std::string(fix::KindName(request->fix)));
    if (request && !options.kinds.empty() &&
        std::none_of(options.kinds.begin(), options.kinds.end(),
                     [&](const std::string& kind) {
                       return fix::HasKind(request->fix, kind);
                     })) {
      continue;
    }
    if (!request) {
      selected.emplace_back(rewrite::UnreadableRequest(record),
                            request.error().message);
    } else {
      selected.emplace_back(std::move(*request), "");
    }
  }
  std::vector<std::string> typos;
  if (!options.app.empty() && !apps_seen.contains(options.app)) {
    typos.push_back(fmt::format("--app {}: no recommendation is for this application ({} are)",
                                options.app, fmt::join(apps_seen, ", ")));
  }
  for (const std::string& kind : options.kinds) {
    if (!kinds_seen.contains(kind)) {
      typos.push_back(fmt::format("--kind {}: no recommendation{} has this kind (kinds here: {})",
                                  kind, options.app.empty() ? "" : " of the application",
                                  fmt::join(kinds_seen, ", ")));
    }
  }
  Write(Err(), report::WarningText(typos));
  rewrite::FixBatch batch(tree);
  for (const auto& [request, unread] : selected) {
    if (unread.empty()) batch.Expect(request);
  }
  for (const auto& [request, unread] : selected) {
    if (unread.empty())
      batch.Run(request);
    else
      batch.Skip(request, unread);
  }
  std::vector<report::FixResult>& done = batch.items();
  report::FixWriteFailures failures;
  if (options.apply) failures = WriteChanged(tree, done);
  if (options.format == "json") {
    Write(Out(), report::RenderFixJson(done, tree, options.apply, failures));
  } else {
    if (!options.apply) Write(Out(), report::RenderFixDiff(tree, UseColor(options.color)));
    std::fflush(Out());
    // The summary goes to stderr so that the diff on stdout stays a patch.
    Write(Err(), report::RenderFixSummary(done, tree.unreadable(),
                                           options.apply, tree.outside(),
                                           failures));
  }
  return failures.empty() ? kExitOk : ExitCode(ErrorCode::kIo);
}

}  // namespace

void AddFixCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FixOptions>();
  CLI::App* fix =
      app.add_subcommand("fix",
                         "Carry the Oracle's fixes into the job's sources: .py "
                         "scripts, Databricks notebook source "
                         "and .ipynb notebooks, with SQL in spark.sql strings, "
                         "%sql cells and .sql files.\n"
                         "Safe fixes (conf, broadcast_hint, repartition, "
                         "cache) are applied with minimal edits; "
                         "unsafe ones (salting) are described with a code "
                         "sketch; the rest are listed as advice. "
                         "Prints a unified diff on stdout and a summary on "
                         "stderr; an ambiguous place changes "
                         "nothing and says why.");
  // Exactly one source of recommendations.
  CLI::Option_group* input =
      fix->add_option_group("input", "Where the recommendations come from");
  input
      ->add_option(
          "--recommendations", options->recommendations,
          "JSON from `analyze --format json` or `recommend --format json`")
      ->check(CLI::ExistingFile);
  input
      ->add_option("--store", options->store,
                   "A lake whose prometheus_recommendations table to read, or "
                   "uc:CATALOG.SCHEMA (the warehouse from DATABRICKS_WAREHOUSE_ID)")
      ->check(CLI::ExistingDirectory | CLI::Validator(
                  [](std::string& value) {
                    return value.starts_with("uc:") ? std::string() : std::string("not uc:");
                  },
                  "uc:CATALOG.SCHEMA"));
  input->require_option(1);
  fix->add_option("--repo", options->repo, "The repository holding the sources")
      ->required()
      ->check(CLI::ExistingDirectory);
  fix->add_option("--kind", options->kinds,
                  "Only fixes of this kind (conf, broadcast_hint, repartition, "
                  "cache, salting, ...); "
                  "repeatable");
  fix->add_option("--app", options->app,
                  "Only the recommendations of this application id");
  auto* diff = fix->add_flag("--diff", options->diff,
                             "Print a unified diff (the default)");
  fix->add_flag("--apply", options->apply, "Write the changed files")
      ->excludes(diff);
  fix->add_option("--color", options->color,
                  "Colour the diff: auto (on a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  fix->add_option("--format", options->format,
                  "text (diff on stdout, summary on stderr) or json (both as "
                  "one object on stdout)")
      ->check(CLI::IsMember({"text", "json"}));
  fix->footer(
      "Recommendations without a usable call site are placed by the data the "
      "plan names (the one "
      "join or query in the repository that reads it). docs/FIXES.md has the "
      "details.\n\n"
      "Files whose real path is outside --repo (symbolic links, `..`) are "
      "never read or written; the summary names them.\n\n"
      "Exit codes: 0 done (skipped fixes are reported, not failures); 1 a file "
      "could not be "
      "written (the summary names it and its fixes count as skipped; no "
      "temporary file is left); 2 bad arguments or unreadable "
      "recommendations.");
  fix->callback([options, &exit_code] { exit_code = RunFixCommand(*options); });
}

}  // namespace prometheus::cli

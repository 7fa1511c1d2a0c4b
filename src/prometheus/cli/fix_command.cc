#include "prometheus/cli/fix_command.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "prometheus/cli/cli.h"
#include "prometheus/cli/fix_input.h"
#include "prometheus/rewrite/fix_batch.h"
#include "prometheus/rewrite/fix_request.h"
#include "prometheus/rewrite/fix_runner.h"
#include "prometheus/rewrite/unified_diff.h"

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

using Done = rewrite::BatchItem;

// Why each changed file could not be written, by path; empty when all were.
using WriteFailures = std::map<std::string, std::string>;

// Writes every changed file; a fix whose file was not written was not
// applied: it becomes skipped, saying why.
WriteFailures WriteChanged(rewrite::SourceTree& tree, std::vector<Done>& done) {
  WriteFailures failures;
  for (const auto* file : tree.Changed()) {
    if (auto status = tree.Write(*file); !status)
      failures.emplace(file->path(), status.error().message);
  }
  for (auto& [request, ids, outcome] : done) {
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

// How many fixes ended in each status, indexed by FixStatus.
std::array<int, 4> CountByStatus(const std::vector<Done>& done) {
  std::array<int, 4> counts{};
  for (const auto& item : done)
    ++counts[static_cast<size_t>(item.outcome.status)];
  return counts;
}

int CountOf(const std::array<int, 4>& counts, rewrite::FixStatus status) {
  return counts[static_cast<size_t>(status)];
}

bool UseColor(const std::string& color) {
  if (color == "always") return true;
  if (color == "never") return false;
  const char* term = std::getenv("TERM");
  return ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr &&
         !(term && std::string_view(term) == "dumb");
}

void PrintSummary(const std::vector<Done>& done,
                  const rewrite::SourceTree& tree,
                  const WriteFailures& failures, bool apply) {
  for (const auto& problem : tree.unreadable()) {
    std::fprintf(stderr, "unreadable %s; the file was not considered\n",
                 problem.c_str());
  }
  for (const auto& problem : tree.outside()) {
    std::fprintf(stderr, "outside the repository %s\n", problem.c_str());
  }
  for (const auto& [path, error] : failures) {
    std::fprintf(stderr, "not written %s: %s\n", path.c_str(), error.c_str());
  }
  // Grouped by status, in the order of the counts below.
  std::vector<const Done*> ordered;
  for (const auto& item : done) ordered.push_back(&item);
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Done* a, const Done* b) {
                     return a->outcome.status < b->outcome.status;
                   });
  for (const Done* item : ordered) {
    const auto& [request, ids, outcome] = *item;
    std::string safety =
        outcome.safety == fix::Safety::kSafe
            ? ""
            : fmt::format(" ({})", fix::SafetyName(outcome.safety));
    std::string asked =
        ids.size() > 1 ? fmt::format(" (for {} recommendations)", ids.size())
                       : "";
    std::fprintf(stderr, "%s %s %s%s%s: %s\n",
                 std::string(FixStatusName(outcome.status)).c_str(),
                 request.id.substr(0, 8).c_str(),
                 fix::Label(request.fix).c_str(), safety.c_str(),
                 asked.c_str(), outcome.note.c_str());
    std::string_view sketch = outcome.sketch;
    while (!sketch.empty()) {
      size_t end = sketch.find('\n');
      std::fprintf(stderr, "    %.*s\n",
                   static_cast<int>(sketch.substr(0, end).size()),
                   sketch.data());
      sketch = end == std::string_view::npos ? "" : sketch.substr(end + 1);
    }
  }
  std::array<int, 4> counts = CountByStatus(done);
  std::fprintf(
      stderr,
      "fix: %d applied, %d already present, %d described, %d skipped%s\n",
      CountOf(counts, rewrite::FixStatus::kApplied),
      CountOf(counts, rewrite::FixStatus::kPresent),
      CountOf(counts, rewrite::FixStatus::kDescribed),
      CountOf(counts, rewrite::FixStatus::kSkipped),
      apply ? "" : " (dry run; --apply writes the files)");
}

json SummaryJson(const std::vector<Done>& done, const rewrite::SourceTree& tree,
                 const WriteFailures& failures, bool apply) {
  std::vector<const rewrite::SourceFile*> changed = tree.Changed();
  json files = json::array(), fixes = json::array();
  for (const auto* file : changed) {
    auto failure = failures.find(file->path());
    bool written = apply && failure == failures.end();
    files.push_back(
        {{"path", file->path()},
         {"kind", rewrite::SourceKindName(file->kind())},
         {"applied", written},
         {"error", failure == failures.end() ? json() : json(failure->second)},
         {"diff",
          rewrite::UnifiedDiff(file->path(), file->original(), file->text())}});
  }
  std::array<int, 4> by_status = CountByStatus(done);
  json counts = json::object();
  for (auto status :
       {rewrite::FixStatus::kApplied, rewrite::FixStatus::kPresent,
        rewrite::FixStatus::kDescribed, rewrite::FixStatus::kSkipped}) {
    counts[std::string(FixStatusName(status))] = CountOf(by_status, status);
  }
  for (const auto& [request, ids, outcome] : done) {
    std::string status(FixStatusName(outcome.status));
    fixes.push_back(
        {{"id", request.id},
         {"ids", ids},
         {"rule", request.rule},
         {"kind", fix::KindName(request.fix)},
         {"label", fix::Label(request.fix)},
         {"safety", fix::SafetyName(outcome.safety)},
         {"status", status},
         {"file", outcome.file.empty() ? json() : json(outcome.file)},
         {"line", outcome.line == 0 ? json() : json(outcome.line)},
         {"note", outcome.note},
         {"sketch", outcome.sketch.empty() ? json() : json(outcome.sketch)}});
  }
  return {{"applied", apply && failures.empty()},
          {"counts", counts},
          {"fixes", fixes},
          {"files", files},
          {"unreadable", tree.unreadable()},
          {"outside", tree.outside()}};
}

int RunFix(const FixOptions& options) {
  auto recommendations = options.store.empty()
                             ? RecommendationsFromFile(options.recommendations)
                             : RecommendationsFromStore(options.store);
  if (!recommendations) {
    std::fprintf(stderr, "prometheus: %s\n",
                 recommendations.error().message.c_str());
    return kExitBadInput;
  }
  rewrite::SourceTree tree(options.repo);
  rewrite::FixBatch batch(tree);
  for (const json& record : *recommendations) {
    if (!record.is_object() || !record.contains("fix")) continue;
    if (!options.app.empty()) {
      const json& scope = record.value("scope", json::object());
      if (!scope.is_object() || scope.value("app_id", "") != options.app)
        continue;
    }
    auto request = rewrite::ReadFixRequest(record);
    if (request && !options.kinds.empty() &&
        std::none_of(options.kinds.begin(), options.kinds.end(),
                     [&](const std::string& kind) {
                       return fix::HasKind(request->fix, kind);
                     })) {
      continue;
    }
    if (!request) {
      batch.Skip(rewrite::UnreadableRequest(record), request.error().message);
      continue;
    }
    batch.Run(*request);
  }
  std::vector<Done>& done = batch.items();
  std::vector<const rewrite::SourceFile*> changed = tree.Changed();
  WriteFailures failures;
  if (options.apply) failures = WriteChanged(tree, done);
  if (options.format == "json") {
    std::fputs(
        (SummaryJson(done, tree, failures, options.apply).dump(2) + "\n")
            .c_str(),
        stdout);
  } else {
    bool color = UseColor(options.color);
    for (const auto* file : changed) {
      if (options.apply) continue;
      std::string diff =
          rewrite::UnifiedDiff(file->path(), file->original(), file->text());
      std::fputs((color ? rewrite::ColorDiff(diff) : diff).c_str(), stdout);
    }
    std::fflush(stdout);
    // The summary goes to stderr so that the diff on stdout stays a patch.
    PrintSummary(done, tree, failures, options.apply);
  }
  return failures.empty() ? kExitOk : kExitFailure;
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
                   "A lake whose prometheus_recommendations table to read")
      ->check(CLI::ExistingDirectory);
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
  fix->callback([options, &exit_code] { exit_code = RunFix(*options); });
}

}  // namespace prometheus::cli

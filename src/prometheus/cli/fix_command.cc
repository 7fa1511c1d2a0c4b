#include "prometheus/cli/fix_command.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "prometheus/cli/cli.h"
#include "prometheus/rewrite/broadcast_fix.h"
#include "prometheus/rewrite/conf_fix.h"
#include "prometheus/rewrite/unified_diff.h"

namespace prometheus::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct FixOptions {
  std::string recommendations;
  std::string repo;
  bool apply = false;
  bool diff = false;  // the default; only excludes --apply
};

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail("{}: cannot read", path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The recommendations of `analyze --format json` or `recommend --format json`.
Result<std::vector<json>> LoadRecommendations(const std::string& path) {
  PROM_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return Fail("{}: not a JSON object", path);
  std::vector<json> out;
  if (doc.contains("recommendations") && doc["recommendations"].is_array()) {
    for (const auto& r : doc["recommendations"]) out.push_back(r);
  } else if (doc.contains("applications") && doc["applications"].is_array()) {
    for (const auto& app : doc["applications"]) {
      if (!app.contains("recommendations")) continue;
      for (const auto& r : app["recommendations"]) out.push_back(r);
    }
  } else {
    return Fail("{}: neither recommendations[] nor applications[].recommendations[]", path);
  }
  return out;
}

std::string StringOr(const json& object, const char* key, std::string fallback = "") {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

// The files being fixed. Every fix is planned on a file's original text, so
// call-site lines keep their meaning, and all of a file's edits go in one
// list (an edit two fixes both want, like an import, is kept once).
class Workspace {
 public:
  explicit Workspace(fs::path repo) : repo_(std::move(repo)) {
    std::error_code error;
    for (auto it = fs::recursive_directory_iterator(
             repo_, fs::directory_options::skip_permission_denied, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (it->is_directory() && it->path().filename().string().starts_with(".")) {
        it.disable_recursion_pending();
      } else if (it->is_regular_file() && it->path().extension() == ".py") {
        files_.push_back(fs::relative(it->path(), repo_).generic_string());
      }
    }
    std::sort(files_.begin(), files_.end());
  }

  const std::vector<std::string>& files() const { return files_; }

  // The file's original text, parsed; valid while the workspace lives.
  Result<const rewrite::PythonSource*> Source(const std::string& file) {
    auto it = states_.find(file);
    if (it == states_.end()) {
      PROM_ASSIGN_OR_RETURN(std::string text, ReadFile(repo_ / file));
      PROM_ASSIGN_OR_RETURN(rewrite::PythonSource source, rewrite::PythonSource::Parse(text));
      it = states_.emplace(file, State{std::move(source), {}, std::move(text)}).first;
    }
    return &it->second.source;
  }

  // Adds `edits` to the file's list when the whole list still applies and
  // parses; else fails and keeps the list as it was.
  Status AddEdits(const std::string& file, const std::vector<rewrite::Edit>& edits) {
    State& state = states_.at(file);
    std::vector<rewrite::Edit> all = state.edits;
    for (const auto& edit : edits) {
      bool known = std::any_of(all.begin(), all.end(), [&](const rewrite::Edit& e) {
        return e.start == edit.start && e.end == edit.end && e.text == edit.text;
      });
      if (!known) all.push_back(edit);
    }
    PROM_ASSIGN_OR_RETURN(std::string text, rewrite::ApplyChecked(state.source, all));
    state.edits = std::move(all);
    state.text = std::move(text);
    return Ok();
  }

  // Changed files: path, original text, new text.
  template <typename Visit>
  void ForEachChanged(Visit visit) const {
    for (const auto& [file, state] : states_) {
      if (state.text != state.source.text()) visit(file, state.source.text(), state.text);
    }
  }

  // The call site's file: the path under the repository, else the one .py
  // file with its base name.
  Result<std::string> Resolve(const std::string& call_site_file) const {
    std::string relative = fs::path(call_site_file).relative_path().generic_string();
    for (const auto& file : files_) {
      if (file == call_site_file || file == relative) return file;
    }
    std::string base = fs::path(call_site_file).filename().string();
    std::vector<std::string> named;
    for (const auto& file : files_) {
      if (fs::path(file).filename() == base) named.push_back(file);
    }
    if (named.size() == 1) return named[0];
    return Fail("{} .py files under the repository are named {}", named.size(), base);
  }

  const fs::path& repo() const { return repo_; }

 private:
  struct State {
    rewrite::PythonSource source;
    std::vector<rewrite::Edit> edits;
    std::string text;  // after the edits
  };
  fs::path repo_;
  std::vector<std::string> files_;
  std::map<std::string, State> states_;
};

// What a fix did to a file: its note, and whether it changed anything.
struct FixDone {
  std::string note;
  bool changed = false;
};

// Plans and adds one fix on one file; returns what it did or the reason.
Result<FixDone> FixFile(Workspace& workspace, const std::string& file, const json& fix) {
  PROM_ASSIGN_OR_RETURN(const rewrite::PythonSource* found, workspace.Source(file));
  const rewrite::PythonSource& source = *found;
  PROM_TRY(rewrite::RequireCleanSyntax(source, file));
  Result<rewrite::FixPlan> plan = Fail("unknown fix");
  if (StringOr(fix, "kind") == "conf") {
    plan = rewrite::PlanConfFix(source, StringOr(fix, "key"), StringOr(fix, "value"));
  } else {
    rewrite::BroadcastTarget target;
    if (fix.contains("table") && fix["table"].is_string()) target.table = fix["table"];
    if (fix.contains("path") && fix["path"].is_string()) target.path = fix["path"];
    json line = fix["call_site"].value("line", json());
    if (!line.is_number_unsigned() || line.get<uint64_t>() == 0) {
      return Fail("call_site.line is not a line number");
    }
    target.line = line.get<uint32_t>();
    plan = rewrite::PlanBroadcastFix(source, target);
  }
  if (!plan) return Fail("{}: {}", file, plan.error().message);
  if (auto added = workspace.AddEdits(file, plan->edits); !added) {
    return Fail("{}: {}", file, added.error().message);
  }
  return FixDone{fmt::format("{}: {}", file, plan->note), !plan->edits.empty()};
}

// The file a recommendation's fix goes to, or why there is none.
Result<std::string> TargetFile(Workspace& workspace, const json& fix) {
  if (StringOr(fix, "kind") == "broadcast_hint") {
    if (!fix.contains("call_site") || !fix["call_site"].is_object()) {
      return Fail("the event log names no call site for this join");
    }
    return workspace.Resolve(StringOr(fix["call_site"], "file"));
  }
  std::vector<std::string> creators;
  for (const auto& file : workspace.files()) {
    auto source = workspace.Source(file);
    if (source && rewrite::CreatesSparkSession(**source)) creators.push_back(file);
  }
  if (creators.size() == 1) return creators[0];
  return Fail("{} .py files create a SparkSession; the conf fix needs exactly one", creators.size());
}

int RunFix(const FixOptions& options) {
  auto recommendations = LoadRecommendations(options.recommendations);
  if (!recommendations) {
    std::fprintf(stderr, "prometheus: %s\n", recommendations.error().message.c_str());
    return kExitBadInput;
  }
  if (!fs::is_directory(options.repo)) {
    std::fprintf(stderr, "prometheus: %s: not a directory\n", options.repo.c_str());
    return kExitBadInput;
  }
  Workspace workspace(options.repo);
  std::vector<std::string> summary;
  int applied = 0, present = 0, skipped = 0;
  for (const json& r : *recommendations) {
    if (!r.contains("fix") || !r["fix"].is_object()) continue;
    const json& fix = r["fix"];
    std::string kind = StringOr(fix, "kind");
    if (kind != "conf" && kind != "broadcast_hint") continue;
    std::string label = kind == "conf"
                            ? fmt::format("conf {}={}", StringOr(fix, "key"), StringOr(fix, "value"))
                            : fmt::format("broadcast_hint {}", StringOr(fix, "table", StringOr(fix, "path")));
    std::string id = StringOr(r, "id").substr(0, 8);
    auto file = TargetFile(workspace, fix);
    auto done = file ? FixFile(workspace, *file, fix) : Result<FixDone>(std::unexpected(file.error()));
    const char* status = !done ? "skipped" : done->changed ? "applied" : "present";
    summary.push_back(fmt::format("{} {} {}: {}", status, id, label,
                                  done ? done->note : done.error().message));
    ++(!done ? skipped : done->changed ? applied : present);
  }
  bool written = true;
  workspace.ForEachChanged([&](const std::string& file, const std::string& before,
                               const std::string& after) {
    if (!options.apply) {
      std::fputs(rewrite::UnifiedDiff(file, before, after).c_str(), stdout);
      return;
    }
    std::ofstream out(workspace.repo() / file, std::ios::binary | std::ios::trunc);
    out << after;
    if (!out.flush()) {
      std::fprintf(stderr, "prometheus: %s: cannot write\n", file.c_str());
      written = false;
    }
  });
  if (!written) return kExitFailure;
  std::fflush(stdout);
  // The summary goes to stderr so that the diff on stdout stays a patch.
  for (const auto& line : summary) std::fprintf(stderr, "%s\n", line.c_str());
  std::fprintf(stderr, "fix: %d applied, %d already present, %d skipped%s\n", applied, present, skipped,
               options.apply ? "" : " (dry run; --apply writes the files)");
  return kExitOk;
}

}  // namespace

void AddFixCommand(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<FixOptions>();
  CLI::App* fix = app.add_subcommand(
      "fix", "Apply conf and broadcast_hint recommendations to the PySpark sources of a repository");
  fix->add_option("--recommendations", options->recommendations,
                  "JSON from `analyze --format json` or `recommend --format json`")
      ->required()->check(CLI::ExistingFile);
  fix->add_option("--repo", options->repo, "The repository holding the .py sources")
      ->required()->check(CLI::ExistingDirectory);
  auto* diff = fix->add_flag("--diff", options->diff, "Print a unified diff (the default)");
  fix->add_flag("--apply", options->apply, "Write the changed files")->excludes(diff);
  fix->callback([options, &exit_code] { exit_code = RunFix(*options); });
}

}  // namespace prometheus::cli

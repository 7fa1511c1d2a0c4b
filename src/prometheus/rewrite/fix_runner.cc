#include "prometheus/rewrite/fix_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <regex>

#include "prometheus/rewrite/broadcast_fix.h"
#include "prometheus/rewrite/name_pattern.h"
#include "prometheus/rewrite/builder_config_fix.h"
#include "prometheus/rewrite/cache_fix.h"
#include "prometheus/rewrite/conf_fix.h"
#include "prometheus/rewrite/conf_settings.h"
#include "prometheus/rewrite/databricks_notebook.h"
#include "prometheus/rewrite/repartition_fix.h"
#include "prometheus/rewrite/salting_sketch.h"

namespace prometheus::rewrite {
namespace {

// A planned fix at one place of one file.
struct Candidate {
  SourceFile* file = nullptr;
  uint32_t line = 0;
  DocumentPlan plan;
};

// A plan on the module: its edits are module edits.
Candidate OnModule(SourceFile* file, uint32_t line, FixPlan plan) {
  return Candidate{file, line,
                   DocumentPlan{{std::move(plan.edits), {}},
                                std::move(plan.note)}};
}

// "file:line", or "file" when the line is unknown.
std::string SiteText(const fix::CallSite& site) {
  return site.line ? fmt::format("{}:{}", site.file, *site.line) : site.file;
}

bool SameEdits(const DocumentEdits& a, const DocumentEdits& b) {
  auto same = [](const Edit& x, const Edit& y) {
    return x.start == y.start && x.end == y.end && x.text == y.text;
  };
  return std::equal(a.module.begin(), a.module.end(), b.module.begin(),
                    b.module.end(), same) &&
         std::equal(a.sql.begin(), a.sql.end(), b.sql.begin(), b.sql.end(),
                    [&](const SqlEdit& x, const SqlEdit& y) {
                      return x.place == y.place && same(x.edit, y.edit);
                    });
}

// Plans at each place; exactly one must work. Places whose plans make the
// same edits to the same file are one place: a Databricks call site names
// a line of every cell, and the action's cell and the join's lead to the
// same join. The reasons of the places that failed explain an empty result.
//
// Several places in different files are one when exactly one of them is in
// the job's own files (`preferred`: its entry point's): a Databricks call
// site names a cell of any notebook, and the job's notebook holds its join.
template <typename PlanAt>
Result<Candidate> ExactlyOne(const std::vector<Location>& places,
                             PlanAt plan_at,
                             const std::vector<SourceFile*>& preferred = {}) {
  std::vector<Candidate> found;
  std::vector<std::string> reasons;
  for (const Location& place : places) {
    if (auto syntax = place.file->RequireCleanSyntax(); !syntax) {
      reasons.push_back(syntax.error().message);
      continue;
    }
    Result<Candidate> candidate = plan_at(place);
    if (candidate) {
      if (!place.how.empty()) {
        candidate->plan.note =
            fmt::format("{} ({})", candidate->plan.note, place.how);
      }
      bool seen = std::any_of(found.begin(), found.end(), [&](const Candidate& c) {
        return c.file == candidate->file &&
               SameEdits(c.plan.edits, candidate->plan.edits);
      });
      if (!seen) found.push_back(std::move(*candidate));
    } else {
      reasons.push_back(
          fmt::format("{}: {}", place.file->path(), candidate.error().message));
    }
  }
  if (found.size() == 1) return std::move(found[0]);
  if (found.size() > 1 && !preferred.empty()) {
    std::vector<Candidate*> own;
    for (Candidate& c : found) {
      if (std::find(preferred.begin(), preferred.end(), c.file) !=
          preferred.end())
        own.push_back(&c);
    }
    if (own.size() == 1) {
      own[0]->plan.note += fmt::format(
          " (of {} places that fit, the one in the job's file)", found.size());
      return std::move(*own[0]);
    }
  }
  if (found.size() > 1) {
    std::vector<std::string> where;
    for (const auto& c : found)
      where.push_back(fmt::format("{}:{}", c.file->path(), c.line));
    return Fail(ErrorCode::kInvalidArgument,
                "{} places fit ({}); ambiguous, nothing changed", found.size(),
                fmt::join(where, ", "));
  }
  if (reasons.size() == 1) return Fail(ErrorCode::kNotFound, "{}", reasons[0]);
  return Fail(ErrorCode::kNotFound, "none of {} places fits: {}",
              reasons.size(), fmt::join(reasons, "; "));
}

// True when `text` holds one of `words`, ASCII case aside. A cheap test
// that spares parsing the files no fix can be about: every place a plan
// finds spells its table, path or call in the file's text.
bool MentionsAny(std::string_view text, const std::vector<std::string>& words) {
  auto same = [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  };
  return std::any_of(words.begin(), words.end(), [&](const std::string& word) {
    return std::search(text.begin(), text.end(), word.begin(), word.end(),
                       same) != text.end();
  });
}

// The words a file must mention to read the data: the table's last name
// (SameTableName matches `db.t` with `t`, backticks aside) or the path.
std::vector<std::string> DataWords(const std::optional<std::string>& table,
                                   const std::optional<std::string>& path) {
  std::vector<std::string> words;
  if (table) {
    std::string_view name = *table;
    if (size_t dot = name.rfind('.'); dot != std::string_view::npos)
      name.remove_prefix(dot + 1);
    while (!name.empty() && name.front() == '`') name.remove_prefix(1);
    while (!name.empty() && name.back() == '`') name.remove_suffix(1);
    words.emplace_back(name);
  }
  // A built path (`f"{root}/races"`) spells its last component only.
  if (path) {
    std::string normal = NormalisedPath(*path);
    words.push_back(normal.substr(normal.rfind('/') + 1));
  }
  return words;
}

// The loadable files of the tree that mention one of `words` (every file
// when there are none), and every .ipynb: its JSON may spell a word with
// escapes. Files that cannot be loaded are left to SourceTree::unreadable().
std::vector<SourceFile*> FilesMentioning(SourceTree& tree,
                                         const std::vector<std::string>& words) {
  return tree.FilesWhere([&](std::string_view path, std::string_view text) {
    return words.empty() || path.ends_with(".ipynb") ||
           MentionsAny(text, words);
  });
}

// The Python modules (scripts, notebooks) of the files mentioning one of
// `words`, as places with no line.
std::vector<Location> ModulesMentioning(SourceTree& tree,
                                        const std::vector<std::string>& words) {
  std::vector<Location> places;
  for (SourceFile* file : FilesMentioning(tree, words)) {
    if (file->module()) places.push_back({file, 0, ""});
  }
  return places;
}

Result<Candidate> PlanBroadcastAt(
    const Location& place, const fix::BroadcastHint& hint,
    std::optional<JoinType> only_type = std::nullopt) {
  BroadcastTarget target;
  target.table = hint.table;
  target.path = hint.path;
  target.line = place.line;
  target.side = hint.side;
  target.join_keys = hint.join_keys;
  target.only_join_type = only_type;
  PROM_ASSIGN_OR_RETURN(FixPlan plan,
                        PlanBroadcastFix(*place.file->module(), target));
  return OnModule(place.file, place.line, std::move(plan));
}

std::vector<SourceFile*> AnchorFiles(SourceTree& tree,
                                     const JobAnchors& anchors);

Result<Candidate> PlanBroadcast(SourceTree& tree,
                                const fix::BroadcastHint& hint,
                                const std::optional<fix::CallSite>& site,
                                const JobAnchors& job) {
  std::string unresolved;
  if (site) {
    auto places = tree.Locate(*site);
    if (places) {
      std::vector<SourceFile*> own;
      if (places->size() > 1) own = AnchorFiles(tree, {job.entry_point, {}});
      auto at_line = ExactlyOne(
          *places,
          [&](const Location& p) { return PlanBroadcastAt(p, hint); }, own);
      // Joins that fit alike may differ in type, which the plan gives;
      // keeping only that type's joins removes candidates, never adds one.
      std::optional<JoinType> type =
          hint.join_type ? JoinTypeNamed(*hint.join_type) : std::nullopt;
      if (!at_line && type) {
        auto typed = ExactlyOne(
            *places,
            [&](const Location& p) { return PlanBroadcastAt(p, hint, type); },
            own);
        if (typed) {
          typed->plan.note += fmt::format(
              " (the one {} join of those that fit, as the plan says)",
              JoinTypeName(*type));
          return typed;
        }
      }
      if (at_line || places->size() != 1) return at_line;
      // The reported line is often the action's (collect) rather than the
      // join's.
      Location whole_file{(*places)[0].file, 0, ""};
      auto in_file = ExactlyOne({whole_file}, [&](const Location& p) {
        return PlanBroadcastAt(p, hint);
      });
      if (!in_file) return at_line;
      in_file->plan.note += fmt::format(
          " (found by its data: line {} of the call site holds no such join)",
          site->line.value_or(0));
      return in_file;
    }
    unresolved = fmt::format(" (call site {}: {})", SiteText(*site),
                             places.error().message);
  }
  if (!hint.table && !hint.path) {
    return Fail(ErrorCode::kNotFound,
                "the small side reads no named table or path, so only the call "
                "site can lead to its join{}",
                unresolved.empty() ? " (the log names none)" : unresolved);
  }
  std::vector<Candidate> found;
  std::vector<std::string> words = DataWords(hint.table, hint.path);
  for (const Location& place : ModulesMentioning(tree, words)) {
    if (!place.file->RequireCleanSyntax()) continue;
    if (auto c = PlanBroadcastAt(place, hint)) found.push_back(std::move(*c));
  }
  if (hint.table) {
    for (SourceFile* file : FilesMentioning(tree, words)) {
      if (auto plan = file->document().PlanSqlBroadcast(*hint.table))
        found.push_back(Candidate{file, 0, std::move(*plan)});
    }
  }
  std::string what =
      hint.table ? "table " + *hint.table : "path " + hint.path.value_or("");
  if (found.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no join under the repository reads {} through a simple read{}",
                what, unresolved);
  }
  if (found.size() > 1) {
    std::vector<std::string> where;
    for (const auto& c : found) where.push_back(c.file->path());
    return Fail(ErrorCode::kInvalidArgument,
                "{} joins read {} ({}); ambiguous, nothing changed{}",
                found.size(), what, fmt::join(where, ", "), unresolved);
  }
  found[0].plan.note += unresolved.empty()
                            ? " (found by its data: the log names no call site)"
                            : unresolved;
  return std::move(found[0]);
}

// The files a job's anchors name: its entry point (a script, or a
// Databricks notebook path, which has no extension) and the files of its
// call sites that resolve to one file, matched by path components from
// the end (SourceTree::Locate).
std::vector<SourceFile*> AnchorFiles(SourceTree& tree,
                                     const JobAnchors& anchors) {
  std::vector<SourceFile*> files;
  auto add = [&](const fix::CallSite& site) {
    auto places = tree.Locate(site);
    if (!places || places->empty()) return false;
    SourceFile* file = (*places)[0].file;
    for (const Location& place : *places) {
      if (place.file != file) return false;  // a command line of many cells
    }
    if (std::find(files.begin(), files.end(), file) == files.end())
      files.push_back(file);
    return true;
  };
  if (!anchors.entry_point.empty()) {
    const std::string& entry = anchors.entry_point;
    if (!add({entry, std::nullopt}) && !entry.ends_with(".py"))
      add({entry + ".py", std::nullopt});
  }
  for (const fix::CallSite& site : anchors.call_sites) add(site);
  return files;
}

// The module name a file is imported by: its file name without `.py`.
std::string ModuleStem(const SourceFile& file) {
  std::filesystem::path path(file.path());
  return path.extension() == ".py" ? path.stem().string() : std::string();
}

// True when the text of `importer` imports the module `stem` (`import
// stem`, `import pkg.stem`, `from pkg.stem import`, `from pkg import stem`).
bool Imports(const SourceFile& importer, const std::string& stem) {
  if (stem.empty()) return false;
  std::regex import("(^|\\n)[ \\t]*(import[ \\t]+([\\w.]+\\.)?" + stem +
                        "\\b|from[ \\t]+([\\w.]+\\.)?" + stem +
                        "[ \\t]+import\\b|from[ \\t]+[\\w.]+[ \\t]+import[^\\n]*\\b" +
                        stem + "\\b)");
  return std::regex_search(importer.original(), import);
}

// The files among `candidates` that are anchors or that an anchor imports.
std::vector<SourceFile*> Anchored(const std::vector<SourceFile*>& candidates,
                                  const std::vector<SourceFile*>& anchors) {
  std::vector<SourceFile*> kept;
  for (SourceFile* file : candidates) {
    bool is_anchor =
        std::find(anchors.begin(), anchors.end(), file) != anchors.end();
    bool imported = std::any_of(anchors.begin(), anchors.end(),
                                [&](const SourceFile* anchor) {
                                  return Imports(*anchor, ModuleStem(*file));
                                });
    if (is_anchor || imported) kept.push_back(file);
  }
  return kept;
}

std::string Paths(const std::vector<SourceFile*>& files) {
  std::vector<std::string> paths;
  for (const SourceFile* file : files) paths.push_back(file->path());
  return fmt::format("{}", fmt::join(paths, ", "));
}

// The files that create a SparkSession, and the notebooks, whose session
// exists before their first cell. When several could take a setting, only
// the job's own (Anchored) count; `all_*` keep how many there were.
struct SessionFiles {
  std::vector<SourceFile*> creators;
  std::vector<SourceFile*> notebooks;
  std::vector<SourceFile*> all_creators;
  std::vector<SourceFile*> all_notebooks;
  std::vector<SourceFile*> anchors;
};

// For a startup setting, a file given its session (a Databricks notebook)
// creates none: its builder returns the session that runs.
SessionFiles FindSessionFiles(SourceTree& tree, fix::Applies applies,
                              const JobAnchors& job) {
  SessionFiles files;
  // A creation spells SparkSession (SessionCreations); a notebook takes
  // the setting without one: other files are not parsed.
  auto concerns = [](std::string_view path, std::string_view text) {
    return text.find("SparkSession") != std::string_view::npos ||
           path.ends_with(".ipynb") ||
           (path.ends_with(".py") && IsDatabricksNotebookSource(text));
  };
  for (SourceFile* file : tree.FilesWhere(concerns)) {
    if (!file->module()) continue;
    const Document& document = file->document();
    bool builder_ignored =
        applies == fix::Applies::kStartup && document.SessionIsGiven();
    if (CreatesSparkSession(*file->module()) && !builder_ignored)
      files.creators.push_back(file);
    if (document.TakesSessionlessConf()) files.notebooks.push_back(file);
  }
  files.all_creators = files.creators;
  files.all_notebooks = files.notebooks;
  if (files.creators.size() > 1 || files.notebooks.size() > 1)
    files.anchors = AnchorFiles(tree, job);
  if (files.creators.size() > 1)
    files.creators = Anchored(files.creators, files.anchors);
  if (files.notebooks.size() > 1)
    files.notebooks = Anchored(files.notebooks, files.anchors);
  return files;
}

// Why the job's own file among several was not found.
std::string Unanchored(const std::vector<SourceFile*>& all,
                       const std::vector<SourceFile*>& kept,
                       const std::vector<SourceFile*>& anchors) {
  if (anchors.empty()) {
    return fmt::format(
        "the log names none of them as the job's (no entry point or call "
        "site in the repository): {}",
        Paths(all));
  }
  if (kept.empty()) {
    return fmt::format("none of them ({}) is the job's ({}) or imported by it",
                       Paths(all), Paths(anchors));
  }
  return fmt::format("{} of them are the job's ({}) or imported by it: {}",
                     kept.size(), Paths(anchors), Paths(kept));
}

// In the one file that creates the SparkSession: a runtime setting after
// the creation, a startup one on its builder. Else, when no file creates
// one, a runtime setting at the top of the one notebook.
Result<Candidate> PlanConf(SourceTree& tree, const fix::Conf& conf,
                           const JobAnchors& job) {
  SessionFiles files = FindSessionFiles(tree, conf.applies, job);
  if (files.all_creators.size() > 1 && files.creators.size() != 1) {
    return Fail(ErrorCode::kInvalidArgument,
                "{} files create a SparkSession and the setting needs the "
                "job's one: {}",
                files.all_creators.size(),
                Unanchored(files.all_creators, files.creators, files.anchors));
  }
  bool startup = conf.applies == fix::Applies::kStartup;
  if (files.creators.size() == 1) {
    return ExactlyOne(
        {{files.creators[0], 0, ""}},
        [&](const Location& p) -> Result<Candidate> {
          const PythonSource& module = *p.file->module();
          PROM_ASSIGN_OR_RETURN(
              FixPlan plan,
              startup ? PlanBuilderConfigFix(module, conf.key, conf.value)
                      : PlanConfFix(module, conf.key, conf.value));
          return OnModule(p.file, 0, std::move(plan));
        });
  }
  if (startup) {
    return Fail(ErrorCode::kInternal,
                "a startup setting without a session creation is described");
  }
  if (files.all_notebooks.empty()) {
    return Fail(ErrorCode::kNotFound,
                "no file creates a SparkSession and no notebook could take "
                "the setting");
  }
  if (files.notebooks.size() != 1) {
    return Fail(ErrorCode::kNotFound,
                "no file creates a SparkSession and {} notebooks could take "
                "the setting; it needs the job's one: {}",
                files.all_notebooks.size(),
                Unanchored(files.all_notebooks, files.notebooks,
                           files.anchors));
  }
  return ExactlyOne(
      {{files.notebooks[0], 0, ""}},
      [&](const Location& p) -> Result<Candidate> {
        PROM_ASSIGN_OR_RETURN(
            DocumentPlan plan,
            p.file->document().PlanSessionlessConf(conf.key, conf.value));
        return Candidate{p.file, 0, std::move(plan)};
      });
}

// When no file creates the session the way conf_settings recognises it (a
// session factory builds it from a variable, a platform gives it) but one
// place in the repository sets the key to a value already (`conf.set`, a
// builder `.config`, a `"key": v` entry of a dict literal such as one passed
// to a session factory), the job takes the setting from there: that value
// is changed in place. nullopt when no file sets the key so; several places
// are refused, named.
std::optional<Result<Candidate>> PlanSettingInPlace(SourceTree& tree,
                                                    const fix::Conf& conf,
                                                    const JobAnchors& job) {
  if (!FindSessionFiles(tree, conf.applies, job).all_creators.empty())
    return std::nullopt;
  struct Place {
    SourceFile* file;
    ConfSetting setting;
  };
  std::vector<Place> places;
  for (SourceFile* file : FilesMentioning(tree, {conf.key})) {
    if (!file->module() || !file->RequireCleanSyntax()) continue;
    for (auto* find : {&FindConfSettings, &DictEntrySettings}) {
      for (ConfSetting& setting : (*find)(*file->module(), conf.key)) {
        if (setting.kind != ConfSetting::kSqlSet)
          places.push_back({file, std::move(setting)});
      }
    }
  }
  if (places.empty()) return std::nullopt;
  if (places.size() > 1) {
    std::vector<std::string> where;
    for (const Place& place : places)
      where.push_back(
          fmt::format("{}:{}", place.file->path(), place.setting.line));
    return Result<Candidate>(Fail(
        ErrorCode::kInvalidArgument,
        "no file creates the session, and {} is set in {} places ({}): "
        "which one applies depends on the flow, so nothing changes",
        conf.key, places.size(), fmt::join(where, ", ")));
  }
  const Place& place = places[0];
  Result<FixPlan> plan = PlanValueInPlace(*place.file->module(), place.setting,
                                          conf.key, conf.value);
  if (!plan) return Result<Candidate>(std::unexpected(plan.error()));
  plan->note += " (no file creates the session: the job's own setting)";
  return OnModule(place.file, place.setting.line, std::move(*plan));
}

// A startup setting when no file creates the session (a notebook is given
// one, or the job's code is elsewhere): Spark would refuse it in
// spark.conf.set, so it is described with where it goes.
std::optional<FixOutcome> DescribeSessionlessStartup(SourceTree& tree,
                                                     const fix::Conf& conf,
                                                     const JobAnchors& job,
                                                     FixOutcome outcome) {
  if (conf.applies != fix::Applies::kStartup) return std::nullopt;
  SessionFiles files = FindSessionFiles(tree, conf.applies, job);
  if (!files.all_creators.empty()) return std::nullopt;
  std::string why = "no file creates the session";
  std::string place = JobSparkConfig(conf.key, conf.value);
  if (files.notebooks.size() == 1) {
    const SourceFile& notebook = *files.notebooks[0];
    outcome.file = notebook.path();
    why = fmt::format("{} is given its session", notebook.path());
    place = notebook.document().StartupSettingPlace(conf.key, conf.value);
  }
  outcome.status = FixStatus::kDescribed;
  outcome.note = fmt::format(
      "{} is a startup setting, which Spark refuses in spark.conf.set or SQL "
      "SET once the session runs, and {}: set it in {}",
      conf.key, why, place);
  return outcome;
}

Result<std::vector<Location>> CallSitePlaces(
    SourceTree& tree, const std::optional<fix::CallSite>& site) {
  if (!site) {
    return Fail(ErrorCode::kNotFound,
                "the event log names no call site for these stages");
  }
  return tree.Locate(*site);
}

Result<Candidate> PlanRepartition(SourceTree& tree,
                                  const fix::Repartition& repartition,
                                  const std::optional<fix::CallSite>& site) {
  PROM_ASSIGN_OR_RETURN(std::vector<Location> places,
                        CallSitePlaces(tree, site));
  return ExactlyOne(places, [&](const Location& p) -> Result<Candidate> {
    RepartitionTarget target{repartition.partitions, repartition.key, p.line};
    PROM_ASSIGN_OR_RETURN(FixPlan plan,
                          PlanRepartitionFix(*p.file->module(), target));
    return OnModule(p.file, p.line, std::move(plan));
  });
}

Result<Candidate> PlanCache(SourceTree& tree, const fix::Cache& cache,
                            const std::optional<fix::CallSite>& site) {
  std::vector<Location> places;
  if (site) {
    // The call site is the action that read the data, not the read: the
    // whole file is searched.
    PROM_ASSIGN_OR_RETURN(std::vector<Location> sites, tree.Locate(*site));
    for (const Location& at : sites) {
      if (places.empty() || places.back().file != at.file)
        places.push_back({at.file, 0, ""});
    }
  } else {
    places = ModulesMentioning(tree, DataWords(cache.table, cache.path));
    if (places.empty()) {
      return Fail(ErrorCode::kNotFound,
                  "the log names no call site, and no file names {} {}",
                  cache.table ? "table" : "path",
                  cache.table.value_or(cache.path.value_or("")));
    }
  }
  return ExactlyOne(places, [&](const Location& p) -> Result<Candidate> {
    CacheTarget target;
    target.table = cache.table;
    target.path = cache.path;
    target.line = p.line;
    PROM_ASSIGN_OR_RETURN(FixPlan plan,
                          PlanCacheFix(*p.file->module(), target));
    return OnModule(p.file, p.line, std::move(plan));
  });
}

// Salting is unsafe: a sketch at the call site, never an edit.
FixOutcome DescribeSalting(SourceTree& tree, const fix::Salting& salting,
                           const std::optional<fix::CallSite>& site,
                           FixOutcome outcome) {
  outcome.status = FixStatus::kDescribed;
  SaltingTarget target{salting.key, salting.buckets, 0};
  const PythonSource* source = nullptr;
  if (auto places = CallSitePlaces(tree, site);
      places && places->size() == 1) {
    const Location& place = (*places)[0];
    if (place.file->module() && place.file->RequireCleanSyntax()) {
      source = place.file->module();
      target.line = place.line;
      outcome.file = place.file->path();
      outcome.line = place.line;
    }
  }
  outcome.sketch = SaltingSketch(source, target);
  outcome.note = fmt::format(
      "unsafe, so not applied: salting changes how rows meet; review and adapt "
      "the sketch{}",
      source ? ""
             : " (no call site in the repository: names are placeholders)");
  return outcome;
}

// The plan of a safe kind.
Result<Candidate> PlanSafe(SourceTree& tree, const fix::Fix& wanted,
                           const JobAnchors& job) {
  const auto& site = wanted.call_site;
  if (const auto* conf = std::get_if<fix::Conf>(&wanted.kind))
    return PlanConf(tree, *conf, job);
  if (const auto* hint = std::get_if<fix::BroadcastHint>(&wanted.kind))
    return PlanBroadcast(tree, *hint, site, job);
  if (const auto* repartition = std::get_if<fix::Repartition>(&wanted.kind))
    return PlanRepartition(tree, *repartition, site);
  if (const auto* cache = std::get_if<fix::Cache>(&wanted.kind))
    return PlanCache(tree, *cache, site);
  return Fail(ErrorCode::kInternal, "no plan for the safe fix kind {}",
              fix::KindName(wanted));
}

}  // namespace

std::string_view FixStatusName(FixStatus status) {
  switch (status) {
    case FixStatus::kApplied:
      return "applied";
    case FixStatus::kPresent:
      return "present";
    case FixStatus::kDescribed:
      return "described";
    case FixStatus::kSkipped:
      return "skipped";
  }
  return "?";
}

FixOutcome RunFix(SourceTree& tree, const fix::Fix& wanted,
                  const JobAnchors& job) {
  FixOutcome outcome;
  outcome.safety = fix::SafetyOf(wanted);
  if (const auto* salting = std::get_if<fix::Salting>(&wanted.kind)) {
    return DescribeSalting(tree, *salting, wanted.call_site,
                           std::move(outcome));
  }
  if (outcome.safety != fix::Safety::kSafe) {
    outcome.status = FixStatus::kDescribed;
    outcome.note = fix::Advice(wanted);
    return outcome;
  }
  std::optional<Result<Candidate>> in_place;
  if (const auto* conf = std::get_if<fix::Conf>(&wanted.kind)) {
    in_place = PlanSettingInPlace(tree, *conf, job);
    if (!in_place) {
      if (auto described =
              DescribeSessionlessStartup(tree, *conf, job, outcome))
        return std::move(*described);
    }
  }
  Result<Candidate> candidate =
      in_place ? std::move(*in_place) : PlanSafe(tree, wanted, job);
  if (!candidate) {
    outcome.note = candidate.error().message;
    return outcome;
  }
  outcome.file = candidate->file->path();
  outcome.line = candidate->line;
  if (auto added = candidate->file->AddEdits(candidate->plan.edits,
                                             fix::Label(wanted));
      !added) {
    outcome.note = fmt::format("{}: {}", outcome.file, added.error().message);
    return outcome;
  }
  outcome.status = candidate->plan.edits.empty() ? FixStatus::kPresent
                                                 : FixStatus::kApplied;
  outcome.note = fmt::format("{}: {}", outcome.file, candidate->plan.note);
  return outcome;
}

}  // namespace prometheus::rewrite

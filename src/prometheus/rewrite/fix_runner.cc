#include "prometheus/rewrite/fix_runner.h"

#include <fmt/format.h>

#include <algorithm>

#include "prometheus/rewrite/broadcast_fix.h"
#include "prometheus/rewrite/cache_fix.h"
#include "prometheus/rewrite/conf_fix.h"
#include "prometheus/rewrite/repartition_fix.h"
#include "prometheus/rewrite/salting_sketch.h"
#include "prometheus/rewrite/sql_hint.h"

namespace prometheus::rewrite {
namespace {

// A planned fix at one place: edits in the coordinates each Add* expects.
struct Candidate {
  SourceFile* file = nullptr;
  uint32_t line = 0;
  std::vector<Edit> module_edits;
  std::vector<CellEdit> cell_edits;
  std::vector<Edit> sql_edits;
  std::string note;

  bool NoEdits() const {
    return module_edits.empty() && cell_edits.empty() && sql_edits.empty();
  }
};

Candidate FromPlan(SourceFile* file, uint32_t line, FixPlan plan) {
  return Candidate{file, line, std::move(plan.edits),
                   {},   {},   std::move(plan.note)};
}

// Plans at each place; exactly one must work. The reasons of the places
// that failed explain an empty result.
template <typename PlanAt>
Result<Candidate> ExactlyOne(const std::vector<Location>& places,
                             PlanAt plan_at) {
  std::vector<Candidate> found;
  std::vector<std::string> reasons;
  for (const Location& place : places) {
    if (auto syntax = place.file->RequireCleanSyntax(); !syntax) {
      reasons.push_back(syntax.error().message);
      continue;
    }
    Result<Candidate> candidate = plan_at(place);
    if (candidate) {
      if (!place.how.empty())
        candidate->note = fmt::format("{} ({})", candidate->note, place.how);
      found.push_back(std::move(*candidate));
    } else {
      reasons.push_back(
          fmt::format("{}: {}", place.file->path(), candidate.error().message));
    }
  }
  if (found.size() == 1) return std::move(found[0]);
  if (found.size() > 1) {
    std::vector<std::string> where;
    for (const auto& c : found)
      where.push_back(fmt::format("{}:{}", c.file->path(), c.line));
    return Fail("{} places fit ({}); ambiguous, nothing changed", found.size(),
                fmt::join(where, ", "));
  }
  if (reasons.size() == 1) return Fail("{}", reasons[0]);
  return Fail("none of {} places fits: {}", reasons.size(),
              fmt::join(reasons, "; "));
}

// Every Python module of the tree (scripts, notebooks) as a place with no
// line; files that cannot be loaded are left to SourceTree::unreadable().
std::vector<Location> EveryModule(SourceTree& tree) {
  std::vector<Location> places;
  for (const auto& path : tree.files()) {
    auto file = tree.File(path);
    if (file && (*file)->module()) places.push_back({*file, 0, ""});
  }
  return places;
}

Result<Candidate> PlanBroadcastAt(const Location& place,
                                  const ReadTarget& data) {
  BroadcastTarget target;
  target.table = data.table;
  target.path = data.path;
  target.line = place.line;
  PROM_ASSIGN_OR_RETURN(FixPlan plan,
                        PlanBroadcastFix(*place.file->module(), target));
  return FromPlan(place.file, place.line, std::move(plan));
}

// The SQL places of a file that are not Python: %sql cells and .sql files.
Result<Candidate> PlanSqlBroadcastAt(SourceFile* file,
                                     const std::string& table) {
  if (const DatabricksNotebook* notebook = file->databricks()) {
    PROM_ASSIGN_OR_RETURN(
        FixPlan plan,
        PlanNotebookSqlBroadcastFix(*notebook, file->original(), table));
    return FromPlan(file, 0, std::move(plan));
  }
  if (file->kind() == SourceKind::kSql) {
    PROM_ASSIGN_OR_RETURN(SqlHintPlacement placement,
                          PlaceBroadcastHint(file->original(), table));
    Candidate c{file, 0, {}, {}, std::move(placement.edits), ""};
    c.note = c.NoEdits()
                 ? fmt::format("{} is already hinted", table)
                 : fmt::format("/*+ BROADCAST({}) */ added", placement.name);
    return c;
  }
  const IpynbNotebook* notebook = file->ipynb();
  if (!notebook) return Fail("no SQL outside Python here");
  std::vector<Candidate> found;
  for (const NotebookCell& cell : notebook->cells()) {
    if (!cell.sql) continue;
    auto placement = PlaceBroadcastHint(*cell.sql, table);
    if (!placement) continue;
    Candidate c{file, 0, {}, {}, {}, ""};
    for (Edit edit : placement->edits) {
      edit.start += cell.sql_offset;
      edit.end += cell.sql_offset;
      c.cell_edits.push_back({cell.index, std::move(edit)});
    }
    c.note = c.NoEdits() ? fmt::format("cell {}: {} is already hinted",
                                       cell.index + 1, table)
                         : fmt::format("cell {}: /*+ BROADCAST({}) */ added",
                                       cell.index + 1, placement->name);
    found.push_back(std::move(c));
  }
  if (found.size() != 1)
    return Fail("{} SQL cells read {}", found.size(), table);
  return std::move(found[0]);
}

Result<Candidate> PlanBroadcast(SourceTree& tree, const FixRequest& request) {
  std::string unresolved;
  if (request.call_site) {
    auto places = tree.Locate(*request.call_site);
    if (places) {
      auto at_line = ExactlyOne(*places, [&](const Location& p) {
        return PlanBroadcastAt(p, request.data);
      });
      if (at_line || places->size() != 1) return at_line;
      // The reported line is often the action's (collect) rather than the
      // join's.
      Location whole_file{(*places)[0].file, 0, ""};
      auto in_file = ExactlyOne({whole_file}, [&](const Location& p) {
        return PlanBroadcastAt(p, request.data);
      });
      if (!in_file) return at_line;
      in_file->note += fmt::format(
          " (found by its data: line {} of the call site holds no such join)",
          request.call_site->line);
      return in_file;
    }
    unresolved = fmt::format(" (call site {}:{}: {})", request.call_site->file,
                             request.call_site->line, places.error().message);
  }
  std::vector<Candidate> found;
  for (const Location& place : EveryModule(tree)) {
    if (!place.file->RequireCleanSyntax()) continue;
    if (auto c = PlanBroadcastAt(place, request.data))
      found.push_back(std::move(*c));
  }
  for (const auto& path : tree.files()) {
    auto file = tree.File(path);
    if (!file || !request.data.table) continue;
    if ((*file)->module() && !(*file)->databricks() && !(*file)->ipynb())
      continue;
    if (auto c = PlanSqlBroadcastAt(*file, *request.data.table))
      found.push_back(std::move(*c));
  }
  std::string what = request.data.table ? "table " + *request.data.table
                                        : "path " + *request.data.path;
  if (found.empty()) {
    return Fail("no join under the repository reads {} through a simple read{}",
                what, unresolved);
  }
  if (found.size() > 1) {
    std::vector<std::string> where;
    for (const auto& c : found) where.push_back(c.file->path());
    return Fail("{} joins read {} ({}); ambiguous, nothing changed{}",
                found.size(), what, fmt::join(where, ", "), unresolved);
  }
  found[0].note += unresolved.empty()
                       ? " (found by its data: the log names no call site)"
                       : unresolved;
  return std::move(found[0]);
}

Result<Candidate> PlanConf(SourceTree& tree, const FixRequest& request) {
  std::vector<SourceFile*> creators, notebooks;
  for (const auto& path : tree.files()) {
    auto file = tree.File(path);
    if (!file || !(*file)->module()) continue;
    if (CreatesSparkSession(*(*file)->module())) creators.push_back(*file);
    if ((*file)->databricks() || (*file)->ipynb()) notebooks.push_back(*file);
  }
  if (creators.size() > 1) {
    return Fail(
        "{} files create a SparkSession; the conf fix needs exactly one",
        creators.size());
  }
  if (creators.size() == 1) {
    return ExactlyOne(
        {{creators[0], 0, ""}}, [&](const Location& p) -> Result<Candidate> {
          PROM_ASSIGN_OR_RETURN(
              FixPlan plan,
              PlanConfFix(*p.file->module(), request.key, request.value));
          return FromPlan(p.file, 0, std::move(plan));
        });
  }
  if (notebooks.size() != 1) {
    return Fail(
        "no file creates a SparkSession and {} notebooks could take the "
        "setting; it needs one",
        notebooks.size());
  }
  return ExactlyOne(
      {{notebooks[0], 0, ""}}, [&](const Location& p) -> Result<Candidate> {
        if (const DatabricksNotebook* notebook = p.file->databricks()) {
          PROM_ASSIGN_OR_RETURN(
              FixPlan plan, PlanNotebookConfFix(*notebook, *p.file->module(),
                                                request.key, request.value));
          return FromPlan(p.file, 0, std::move(plan));
        }
        const auto& cells = p.file->ipynb()->cells();
        auto first =
            std::find_if(cells.begin(), cells.end(),
                         [](const NotebookCell& c) { return c.python; });
        if (first == cells.end())
          return Fail("the notebook has no Python cell");
        uint32_t start = first->virtual_start;
        uint32_t end = start + static_cast<uint32_t>(first->source.size());
        PROM_ASSIGN_OR_RETURN(FixPlan plan,
                              PlanConfFixInCell(*p.file->module(), request.key,
                                                request.value, start, end));
        return FromPlan(p.file, 0, std::move(plan));
      });
}

Result<std::vector<Location>> CallSitePlaces(SourceTree& tree,
                                             const FixRequest& request) {
  if (!request.call_site)
    return Fail("the event log names no call site for these stages");
  return tree.Locate(*request.call_site);
}

Result<Candidate> PlanRepartition(SourceTree& tree, const FixRequest& request) {
  PROM_ASSIGN_OR_RETURN(std::vector<Location> places,
                        CallSitePlaces(tree, request));
  return ExactlyOne(places, [&](const Location& p) -> Result<Candidate> {
    RepartitionTarget target{request.partitions, request.column, p.line};
    PROM_ASSIGN_OR_RETURN(FixPlan plan,
                          PlanRepartitionFix(*p.file->module(), target));
    return FromPlan(p.file, p.line, std::move(plan));
  });
}

Result<Candidate> PlanCache(SourceTree& tree, const FixRequest& request) {
  std::vector<Location> places;
  if (request.call_site) {
    // The call site is the action that read the data, not the read: the
    // whole file is searched.
    PROM_ASSIGN_OR_RETURN(std::vector<Location> sites,
                          tree.Locate(*request.call_site));
    for (const Location& site : sites) {
      if (places.empty() || places.back().file != site.file)
        places.push_back({site.file, 0, ""});
    }
  } else {
    places = EveryModule(tree);
  }
  return ExactlyOne(places, [&](const Location& p) -> Result<Candidate> {
    CacheTarget target;
    target.table = request.data.table;
    target.path = request.data.path;
    target.line = p.line;
    PROM_ASSIGN_OR_RETURN(FixPlan plan,
                          PlanCacheFix(*p.file->module(), target));
    return FromPlan(p.file, p.line, std::move(plan));
  });
}

Status AddCandidate(const Candidate& c) {
  if (!c.module_edits.empty()) PROM_TRY(c.file->AddModuleEdits(c.module_edits));
  if (!c.cell_edits.empty()) PROM_TRY(c.file->AddCellEdits(c.cell_edits));
  if (!c.sql_edits.empty()) PROM_TRY(c.file->AddSqlEdits(c.sql_edits));
  return Ok();
}

FixOutcome Describe(SourceTree& tree, const FixRequest& request,
                    FixOutcome outcome) {
  outcome.status = FixStatus::kDescribed;
  if (request.kind != "salting") {
    outcome.note = request.advice;
    return outcome;
  }
  SaltingTarget target{request.column, request.buckets, 0};
  const PythonSource* source = nullptr;
  if (auto places = CallSitePlaces(tree, request);
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

FixOutcome RunFix(SourceTree& tree, const FixRequest& request) {
  FixOutcome outcome;
  outcome.safety = SafetyOf(request.kind);
  if (outcome.safety != Safety::kSafe)
    return Describe(tree, request, std::move(outcome));
  Result<Candidate> candidate = Fail("unknown fix kind {}", request.kind);
  if (request.kind == "conf") {
    candidate = PlanConf(tree, request);
  } else if (request.kind == "broadcast_hint") {
    candidate = PlanBroadcast(tree, request);
  } else if (request.kind == "repartition") {
    candidate = PlanRepartition(tree, request);
  } else if (request.kind == "cache") {
    candidate = PlanCache(tree, request);
  }
  if (!candidate) {
    outcome.note = candidate.error().message;
    return outcome;
  }
  outcome.file = candidate->file->path();
  outcome.line = candidate->line;
  if (auto added = AddCandidate(*candidate); !added) {
    outcome.note = fmt::format("{}: {}", outcome.file, added.error().message);
    return outcome;
  }
  outcome.status =
      candidate->NoEdits() ? FixStatus::kPresent : FixStatus::kApplied;
  outcome.note = fmt::format("{}: {}", outcome.file, candidate->note);
  return outcome;
}

}  // namespace prometheus::rewrite

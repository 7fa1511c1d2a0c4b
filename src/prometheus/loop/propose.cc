#include "prometheus/loop/propose.h"

#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "prometheus/base/fnv1a.h"
#include "prometheus/fix/fix.h"
#include "prometheus/lake/lake.h"
#include "prometheus/lake/readers.h"
#include "prometheus/lake/tables.h"
#include "prometheus/loop/jobs.h"
#include "prometheus/loop/marker.h"
#include "prometheus/loop/pr_text.h"
#include "prometheus/loop/store.h"
#include "prometheus/rewrite/fix_batch.h"
#include "prometheus/rewrite/fix_request.h"
#include "prometheus/rules/severity.h"

namespace prometheus::loop {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Candidate {
  const lake::StoredRecommendation* recommendation;
  rewrite::FixRequest request;
  std::string finding;  // FindingId: the same on every run of the job
};

// A folder removed when it goes out of scope.
struct ScratchFolder {
  fs::path path;
  explicit ScratchFolder(const std::string& name)
      : path(fs::temp_directory_path() / fmt::format("prometheus-{}-{}", name, ::getpid())) {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  ~ScratchFolder() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

// Of the job's set of findings (sorted, each once): the same fixes make the
// same branch whatever runs they were found on.
std::string ShortId(const std::vector<Candidate>& fixes) {
  std::set<std::string> findings;
  for (const Candidate& c : fixes) findings.insert(c.finding);
  uint64_t hash = kFnv1aOffsetBasis;
  for (const std::string& finding : findings) hash = Fnv1a(hash, finding + "\n");
  return fmt::format("{:016x}", hash).substr(0, 8);
}

// A closed pull request's findings stay suppressed while their expected
// impact stays within a factor of two of what it was when proposed.
bool SameEvidence(double then, double now) {
  if (then <= 0 || now <= 0) return then == now;
  return now <= 2 * then && now >= then / 2;
}

std::string HighestSeverity(const std::vector<Candidate>& fixes) {
  static const std::vector<std::string> kOrder = {"low", "medium", "high", "critical"};
  size_t best = 0;
  for (const Candidate& c : fixes) {
    auto it = std::find(kOrder.begin(), kOrder.end(), c.recommendation->severity);
    if (it != kOrder.end()) best = std::max(best, static_cast<size_t>(it - kOrder.begin()));
  }
  return kOrder[best];
}

struct Built {
  std::string tip;
  std::vector<std::string> summaries;
  std::vector<std::string> ids;
  std::vector<FixText> texts;
  std::vector<std::string> notes;
};

// One commit per fix that changes a file, on `base`, in id order.
Result<Built> BuildCommits(git::Repository& repo, const std::string& base, const JobKey& job,
                           std::vector<Candidate>& fixes, const git::Identity& identity) {
  ScratchFolder scratch("propose-" + job.slug);
  PROM_TRY(repo.Materialise(base, scratch.path));
  PROM_ASSIGN_OR_RETURN(git::CommitInfo base_info, repo.Commit(base));
  rewrite::SourceTree tree(scratch.path);
  rewrite::FixBatch batch(tree);
  for (const Candidate& c : fixes) batch.Expect(c.request);
  Built built{base};
  std::map<std::string, std::string> committed;
  for (const Candidate& c : fixes) {
    size_t before = batch.items().size();
    batch.Run(c.request);
    if (batch.items().size() == before) {
      built.notes.push_back(fmt::format("not applied: {}: the same fix as another recommendation's",
                                        c.recommendation->recommendation_id));
      continue;
    }
    const rewrite::BatchItem& item = batch.items().back();
    if (item.outcome.status != rewrite::FixStatus::kApplied) {
      built.notes.push_back(fmt::format("not applied: {}: {} ({})", c.recommendation->recommendation_id,
                                        rewrite::FixStatusName(item.outcome.status), item.outcome.note));
      continue;
    }
    std::map<std::string, std::string> files;
    for (const rewrite::SourceFile* file : tree.Changed()) {
      std::string& last = committed[file->path()];
      if (last != file->text()) files[file->path()] = last = file->text();
    }
    if (files.empty()) continue;
    FixText text{c.recommendation, fix::Label(c.request.fix),
                 std::string(fix::SafetyName(fix::SafetyOf(c.request.fix))),
                 item.outcome.line ? fmt::format("{}:{}", item.outcome.file, item.outcome.line)
                                   : item.outcome.file};
    // The base's time keeps the commits reproducible: rebuilt on the same
    // base, the branch is the same commits.
    PROM_ASSIGN_OR_RETURN(built.tip, repo.CommitFiles(built.tip, files, CommitMessage(text, job),
                                                      identity, base_info.time));
    built.summaries.push_back(fmt::format("Prometheus: {}", text.label));
    built.ids.push_back(c.recommendation->recommendation_id);
    built.texts.push_back(std::move(text));
  }
  return built;
}

std::optional<forge::PullRequest> OpenFor(const std::vector<forge::PullRequest>& pulls,
                                          const std::string& branch) {
  for (const auto& pr : pulls)
    if (pr.open && pr.head == branch) return pr;
  return std::nullopt;
}

// Closes the job's other open Prometheus pull requests (an older set of its
// fixes), unless someone else committed to their branch: their body's
// marker becomes "superseded" first, so that closing them declines nothing.
Status Supersede(forge::Forge& forge, const std::vector<forge::PullRequest>& pulls,
                 const JobKey& job, JobProposal& proposal, int64_t by,
                 const git::Identity& identity, git::Repository& repo, const std::string& remote) {
  const std::string prefix = fmt::format("prometheus/{}/", job.slug);
  for (const auto& pr : pulls) {
    if (!pr.open || pr.number == by || !pr.head.starts_with(prefix)) continue;
    auto marker = ReadMarker(pr.body);
    if (!marker || marker->kind != "fixes") continue;
    auto tip = repo.Resolve(fmt::format("refs/remotes/{}/{}", remote, pr.head));
    if (tip) {
      auto commits = repo.Log(*tip, proposal.base);
      if (!commits) return std::unexpected(commits.error());
      if (std::any_of(commits->begin(), commits->end(),
                      [&](const auto& c) { return c.committer_email != identity.email; }))
        continue;
    }
    marker->kind = "superseded";
    std::string body = pr.body.substr(0, pr.body.rfind("<!-- prometheus-loop ")) + WriteMarker(*marker) + "\n";
    PROM_TRY(forge.Update(pr.number, pr.title, body));
    PROM_TRY(forge.AddComment(pr.number, fmt::format("{}\nSuperseded by #{}, which carries this job's "
                                                    "current set of fixes.\n",
                                                    CommentTag("superseded"), by)));
    PROM_TRY(forge.Close(pr.number));
    proposal.notes.push_back(fmt::format("closed #{}: superseded", pr.number));
  }
  return Ok();
}

}  // namespace

Result<ProposeReport> Propose(const ProposeOptions& options, git::Repository& repo,
                              forge::Forge* forge) {
  PROM_ASSIGN_OR_RETURN(LakeView view, ReadLake(options.store));
  // Safe fixes only, grouped per job.
  std::map<std::string, std::pair<JobKey, std::vector<Candidate>>> groups;
  for (const lake::StoredRecommendation* r : view.recommendations) {
    json fix = json::parse(r->fix, nullptr, false);
    json scope = {{"app_id", r->app_id}};
    if (r->entry_point) scope["entry_point"] = *r->entry_point;
    if (r->call_sites) {
      json sites = json::parse(*r->call_sites, nullptr, false);
      if (sites.is_array()) scope["call_sites"] = sites;
    }
    auto request = rewrite::ReadFixRequest(
        {{"id", r->recommendation_id}, {"rule", r->rule}, {"scope", scope}, {"fix", fix}});
    if (!request || fix::SafetyOf(request->fix) != fix::Safety::kSafe) continue;
    JobKey job = JobOf(*r, view.by_app);
    auto& group = groups[job.slug];
    group.first = job;
    group.second.push_back({r, std::move(*request), FindingId(r->rule, r->fix)});
  }

  // The remote's default branch's tip (the local HEAD in a dry run
  // without a reachable remote).
  ProposeReport report;
  std::string default_branch, base;
  bool has_remote = static_cast<bool>(repo.RemoteUrl(options.remote));
  if (has_remote) {
    auto fetched = repo.Fetch(options.remote,
                              {fmt::format("+refs/heads/*:refs/remotes/{}/*", options.remote)},
                              options.credentials);
    if (!fetched && forge != nullptr) return std::unexpected(fetched.error());
    if (!fetched) {
      report.warning = fmt::format("{}; proposing from the local HEAD", fetched.error().message);
    } else {
      default_branch = *fetched;
      PROM_ASSIGN_OR_RETURN(base, repo.Resolve(fmt::format("refs/remotes/{}/{}", options.remote,
                                                           default_branch)));
    }
  } else if (forge != nullptr) {
    return Fail(ErrorCode::kInvalidArgument, "{}: no remote named {}", repo.path().string(),
                options.remote);
  }
  if (base.empty()) {
    PROM_ASSIGN_OR_RETURN(base, repo.Resolve("HEAD"));
    default_branch = repo.HeadRef();
    constexpr std::string_view kHeads = "refs/heads/";
    if (default_branch.starts_with(kHeads)) default_branch.erase(0, kHeads.size());
  }

  std::vector<forge::PullRequest> pulls;
  if (forge != nullptr) {
    PROM_ASSIGN_OR_RETURN(pulls, forge->PullRequests("prometheus/"));
  }
  // Findings and recommendations of pull requests closed without merging.
  std::map<std::string, std::pair<double, int64_t>> declined;  // finding -> impact, number
  std::map<std::string, int64_t> declined_ids;
  for (const auto& pr : pulls) {
    if (pr.open || pr.merged) continue;
    if (auto marker = ReadMarker(pr.body); marker && marker->kind == "fixes") {
      for (const auto& [finding, impact] : marker->impact_by_finding)
        declined.emplace(finding, std::pair{impact, pr.number});
      for (const auto& id : marker->recommendation_ids) declined_ids.emplace(id, pr.number);
    }
  }
  int open_count = static_cast<int>(std::count_if(pulls.begin(), pulls.end(),
                                                  [](const auto& pr) { return pr.open; }));

  for (auto& [slug, group] : groups) {
    auto& [job, fixes] = group;
    std::erase_if(fixes, [&](const Candidate& c) {
      int64_t number = 0;
      if (auto id = declined_ids.find(c.recommendation->recommendation_id); id != declined_ids.end()) {
        number = id->second;
      } else if (auto it = declined.find(c.finding);
                 it != declined.end() && SameEvidence(it->second.first, c.recommendation->impact_task_seconds)) {
        number = it->second.second;
      }
      if (number == 0) return false;
      report.suppressed.push_back(fmt::format("{} ({}): closed without merging in #{}",
                                              c.recommendation->recommendation_id, c.recommendation->rule,
                                              number));
      return true;
    });
    if (fixes.empty()) continue;
    std::sort(fixes.begin(), fixes.end(), [](const Candidate& a, const Candidate& b) {
      return std::tie(a.finding, a.recommendation->recommendation_id) <
             std::tie(b.finding, b.recommendation->recommendation_id);
    });
    JobProposal proposal;
    proposal.job = job.label;
    proposal.branch = fmt::format("prometheus/{}/{}", job.slug, ShortId(fixes));
    proposal.base = base;
    PROM_ASSIGN_OR_RETURN(Built built, BuildCommits(repo, base, job, fixes, options.identity));
    proposal.notes = built.notes;
    if (built.ids.empty()) {
      proposal.action = "nothing to change: no fix applies to the default branch";
      report.jobs.push_back(std::move(proposal));
      continue;
    }
    proposal.tip = built.tip;
    proposal.commits = built.summaries;
    proposal.ids = built.ids;
    Marker marker{"fixes", job, {}, {}, 0};
    for (const Candidate& c : fixes) {
      marker.impact_by_finding.emplace(c.finding, c.recommendation->impact_task_seconds);
      marker.recommendation_ids.push_back(c.recommendation->recommendation_id);
    }
    std::sort(marker.recommendation_ids.begin(), marker.recommendation_ids.end());
    std::vector<const lake::StoredApplication*> runs = RunsOf(job, view.applications, view.entry_point_by_app);
    if (runs.size() > 10) runs.erase(runs.begin(), runs.end() - 10);
    proposal.title = PullRequestTitle(job, built.texts.size());
    proposal.body = PullRequestBody(job, MedianFigures(runs), built.texts, marker);
    PROM_ASSIGN_OR_RETURN(proposal.diff, repo.Diff(base, built.tip));
    if (forge == nullptr) {
      proposal.action = "dry run";
      report.jobs.push_back(std::move(proposal));
      continue;
    }

    std::optional<forge::PullRequest> open = OpenFor(pulls, proposal.branch);
    const std::string remote_ref = fmt::format("refs/remotes/{}/{}", options.remote, proposal.branch);
    auto remote_tip = repo.Resolve(remote_ref);
    if (remote_tip) {
      PROM_ASSIGN_OR_RETURN(auto commits, repo.Log(*remote_tip, base));
      auto human = std::find_if(commits.begin(), commits.end(), [&](const git::CommitInfo& c) {
        return c.committer_email != options.identity.email;
      });
      if (human != commits.end()) {
        proposal.action = fmt::format("skipped: {} committed {} to the branch; Prometheus leaves it alone",
                                      human->committer_email, human->id.substr(0, 12));
        if (open) {
          PROM_ASSIGN_OR_RETURN(auto comments, forge->Comments(open->number));
          bool said = std::any_of(comments.begin(), comments.end(),
                                  [](const auto& c) { return HasCommentTag(c.body, "hands-off"); });
          if (!said) {
            PROM_TRY(forge->AddComment(
                open->number,
                fmt::format("{}\nSomeone else has committed to `{}` ({}), so Prometheus will not "
                            "update this pull request any more. Close it to let Prometheus "
                            "propose these fixes afresh.\n",
                            CommentTag("hands-off"), proposal.branch, human->id.substr(0, 12))));
          }
        }
        report.jobs.push_back(std::move(proposal));
        continue;
      }
    }
    if (!open && open_count >= options.max_open) {
      proposal.action = fmt::format("skipped: {} Prometheus pull requests are open (--max-open {})",
                                    open_count, options.max_open);
      report.jobs.push_back(std::move(proposal));
      continue;
    }
    bool same = remote_tip && (*remote_tip == built.tip ||
                               (repo.SameTree(*remote_tip, built.tip).value_or(false) &&
                                repo.MergeBase(*remote_tip, base).value_or("") == base));
    if (!same) {
      const std::string local_ref = "refs/heads/" + proposal.branch;
      if (repo.HeadRef() == local_ref) {
        return Fail(ErrorCode::kConflict, "{} is checked out in {}: check out another branch",
                    proposal.branch, repo.path().string());
      }
      PROM_TRY(repo.SetRef(local_ref, built.tip, "prometheus propose"));
      PROM_TRY(repo.Push(options.remote, {fmt::format("+{0}:{0}", local_ref)}, options.credentials));
    }
    const std::vector<std::string> labels = {"prometheus", HighestSeverity(fixes)};
    if (!open) {
      auto created = forge->Create({proposal.branch, default_branch, proposal.title, proposal.body});
      if (!created && created.error().code == ErrorCode::kConflict) {
        // Opened meanwhile (or the list was stale): update that one.
        PROM_ASSIGN_OR_RETURN(pulls, forge->PullRequests("prometheus/"));
        open = OpenFor(pulls, proposal.branch);
        if (!open) return std::unexpected(created.error());
      } else if (!created) {
        return std::unexpected(created.error());
      } else {
        ++open_count;
        PROM_TRY(forge->AddLabels(created->number, labels));
        proposal.action = fmt::format("opened #{}", created->number);
        PROM_TRY(Supersede(*forge, pulls, job, proposal, created->number, options.identity, repo,
                           options.remote));
        report.jobs.push_back(std::move(proposal));
        continue;
      }
    }
    bool changed = open->title != proposal.title || open->body != proposal.body;
    if (changed) PROM_TRY(forge->Update(open->number, proposal.title, proposal.body));
    if (!std::all_of(labels.begin(), labels.end(), [&](const std::string& l) {
          return std::find(open->labels.begin(), open->labels.end(), l) != open->labels.end();
        })) {
      PROM_TRY(forge->AddLabels(open->number, labels));
    }
    proposal.action = fmt::format("{} #{}", changed || !same ? "updated" : "unchanged", open->number);
    PROM_TRY(Supersede(*forge, pulls, job, proposal, open->number, options.identity, repo,
                       options.remote));
    report.jobs.push_back(std::move(proposal));
  }
  return report;
}

}  // namespace prometheus::loop

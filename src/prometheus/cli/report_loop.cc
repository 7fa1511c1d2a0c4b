#include "prometheus/cli/report_loop.h"

#include <algorithm>
#include <map>

#include "prometheus/loop/jobs.h"
#include "prometheus/loop/marker.h"
#include "prometheus/loop/verify.h"
#include "prometheus/report/fix_report.h"
#include "prometheus/rewrite/fix_batch.h"
#include "prometheus/rewrite/fix_request.h"

namespace prometheus::cli {
namespace {

std::string StateOf(const forge::PullRequest& pr) {
  return pr.merged ? "merged" : pr.open ? "open" : "closed";
}

// The report's job key (report::JobKey) of a loop job.
std::string ReportJob(const loop::JobKey& job) {
  if (job.job_id) return "job " + std::to_string(*job.job_id);
  return job.app_name;
}

}  // namespace

std::string ProposedDiff(const git::Repository& repo, const std::string& head) {
  const std::string prometheus_email = git::Identity{}.email;
  std::string tip, base;
  std::string at = head;
  for (int i = 0; i < 100 && !at.empty(); ++i) {
    auto commit = repo.Commit(at);
    if (!commit) return "";
    if (commit->committer_email != prometheus_email) {
      if (!tip.empty()) {
        base = at;
        break;
      }
    } else if (tip.empty()) {
      tip = at;
    }
    if (commit->parents.empty()) break;
    at = commit->parents.front();
  }
  if (tip.empty() || base.empty()) return "";
  return repo.Diff(base, tip).value_or("");
}

Result<std::vector<report::LoopPull>> LoopPulls(
    forge::Forge& forge, const git::Repository* repo,
    const std::vector<lake::StoredApplication>& applications,
    const std::vector<lake::StoredRecommendation>& recommendations) {
  // The entry point each application's newest recommendations name, as the
  // loop reads it (loop::ReadLake).
  std::vector<const lake::StoredRecommendation*> newest;
  for (const auto& r : recommendations) newest.push_back(&r);
  std::ranges::stable_sort(newest, std::greater<>{}, [](const auto* r) {
    return r->created_at.value.value_or(0);
  });
  std::map<std::string, std::string> entry_point_by_app;
  for (const auto* r : newest)
    if (r->entry_point) entry_point_by_app.emplace(r->app_id, *r->entry_point);

  PROM_ASSIGN_OR_RETURN(auto pulls, forge.PullRequests("prometheus/"));
  std::vector<report::LoopPull> out;
  std::map<int64_t, const forge::PullRequest*> revert_of;
  const loop::VerifyOptions defaults;
  for (const auto& pr : pulls) {
    auto marker = loop::ReadMarker(pr.body);
    if (!marker) continue;
    if (marker->kind == "revert") {
      if (marker->reverts) revert_of.emplace(marker->reverts, &pr);
      continue;
    }
    if (marker->kind != "fixes") continue;
    report::LoopPull pull;
    pull.number = pr.number;
    pull.url = pr.url;
    pull.title = pr.title;
    pull.state = StateOf(pr);
    pull.job = ReportJob(marker->job);
    pull.recommendation_ids = marker->recommendation_ids;
    if (repo != nullptr && !pr.head_sha.empty()) pull.diff = ProposedDiff(*repo, pr.head_sha);
    if (pr.merged) {
      pull.merged_at_ms = pr.merged_at_ms;
      auto runs = loop::RunsOf(marker->job, applications, entry_point_by_app);
      loop::Comparison c = loop::Compare(runs, pr.merged_at_ms, pr.merge_commit, repo,
                                         defaults.min_runs, defaults.max_runs);
      pull.verdict = std::string(loop::VerdictName(c.verdict));
      pull.runs_before = c.runs_before;
      pull.runs_after = c.runs_after;
      pull.split = c.how;
      for (const auto& d : c.deltas)
        pull.changes.push_back({d.name, d.before, d.after, d.band, d.bytes});
    }
    out.push_back(std::move(pull));
  }
  for (auto& pull : out) {
    auto revert = revert_of.find(pull.number);
    if (revert == revert_of.end()) continue;
    pull.revert_number = revert->second->number;
    pull.revert_url = revert->second->url;
    pull.revert_state = StateOf(*revert->second);
  }
  return out;
}

std::map<std::string, std::string> WouldFixDiffs(const std::filesystem::path& repo,
                                                 const std::vector<nlohmann::json>& records,
                                                 size_t max_trees) {
  std::map<std::string, std::string> out;
  std::map<std::string, std::string> diff_of_fix;
  for (const auto& record : records) {
    auto request = rewrite::ReadFixRequest(record);
    if (!request || fix::SafetyOf(request->fix) != fix::Safety::kSafe) continue;
    std::string key = record.value("fix", nlohmann::json()).dump() + "\n" +
                      record.value("scope", nlohmann::json::object()).value("entry_point", "");
    auto known = diff_of_fix.find(key);
    if (known == diff_of_fix.end()) {
      if (diff_of_fix.size() >= max_trees) continue;
      rewrite::SourceTree tree(repo);
      rewrite::FixBatch batch(tree);
      batch.Run(*request);
      known = diff_of_fix.emplace(key, report::RenderFixDiff(tree, false)).first;
    }
    out[request->id] = known->second;
  }
  return out;
}

}  // namespace prometheus::cli

#include "prometheus/loop/verify.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "prometheus/loop/marker.h"
#include "prometheus/loop/store.h"

namespace prometheus::loop {
namespace {

// A metric's values on each side, its median change and noise band: twice
// the larger relative spread of the two sides, and never under 5%.
Delta MakeDelta(std::string name, const std::vector<double>& before,
                const std::vector<double>& after, bool bytes) {
  Delta d;
  d.name = std::move(name);
  d.before = Median(before);
  d.after = Median(after);
  d.band = std::max(0.05, 2 * std::max(RelativeSpread(before), RelativeSpread(after)));
  d.bytes = bytes;
  return d;
}

std::vector<Delta> Deltas(const std::vector<const lake::StoredApplication*>& before,
                          const std::vector<const lake::StoredApplication*>& after) {
  auto values = [](const auto& runs, auto field) {
    std::vector<double> out;
    for (const auto* run : runs) out.push_back(field(*run));
    return out;
  };
  auto duration = [](const lake::StoredApplication& a) { return a.duration_ms.value_or(0) / 1000.0; };
  auto task = [](const lake::StoredApplication& a) { return a.task_time_ms / 1000.0; };
  auto spill = [](const lake::StoredApplication& a) { return double(a.disk_bytes_spilled); };
  auto shuffle = [](const lake::StoredApplication& a) {
    return double(a.shuffle_read_bytes + a.shuffle_write_bytes);
  };
  return {MakeDelta("duration", values(before, duration), values(after, duration), false),
          MakeDelta("task time", values(before, task), values(after, task), false),
          MakeDelta("spill", values(before, spill), values(after, spill), true),
          MakeDelta("shuffle", values(before, shuffle), values(after, shuffle), true)};
}

bool Beyond(const Delta& d, int sign) { return sign * d.Change() > d.band; }

// The work figures (task time, spill, shuffle) that moved beyond their own
// noise band in the direction `sign`, as "task time -18.0%, shuffle -99.9%".
std::string WorkMoved(const std::vector<Delta>& deltas, int sign) {
  std::string out;
  for (size_t i = 1; i < deltas.size(); ++i) {
    if (!Beyond(deltas[i], sign)) continue;
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {:+.1f}%", deltas[i].name, 100 * deltas[i].Change());
  }
  return out;
}

std::string Verdictwords(const Comparison& c) {
  const Delta& duration = c.deltas[0];
  const std::string wall = fmt::format("its median duration changed by {:+.1f}%, {} the ±{:.1f}% noise "
                                       "band of its runs",
                                       100 * duration.Change(),
                                       Beyond(duration, 1) || Beyond(duration, -1) ? "beyond" : "within",
                                       100 * duration.band);
  const std::string less = WorkMoved(c.deltas, -1), more = WorkMoved(c.deltas, 1);
  switch (c.verdict) {
    case Verdict::kImproved:
      if (Beyond(duration, -1)) return fmt::format("The job got faster: {}.", wall);
      return fmt::format("The job does less work ({}, beyond their noise bands), and {}.", less, wall);
    case Verdict::kWorse:
      return fmt::format("The job got slower: {}{}.", wall,
                         more.empty() ? "" : fmt::format(" ({})", more));
    case Verdict::kWithinNoise:
      if (!less.empty() && !more.empty())
        return fmt::format("Mixed: {} fell and {} grew beyond their noise bands; {}.", less, more, wall);
      if (!less.empty() || !more.empty())
        return fmt::format("Mixed: {} {} beyond their noise bands, but {}.", less.empty() ? more : less,
                           less.empty() ? "grew" : "fell", wall);
      return fmt::format("No measurable change: {}.", wall);
    case Verdict::kNotEnoughRuns: break;
  }
  return "";
}

}  // namespace

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kNotEnoughRuns: return "not enough runs yet";
    case Verdict::kImproved: return "improved";
    case Verdict::kWithinNoise: return "within noise";
    case Verdict::kWorse: return "worse";
  }
  return "";
}

Comparison Compare(const std::vector<const lake::StoredApplication*>& runs, int64_t merged_at_ms,
                   const std::string& merge_commit, const git::Repository* repo, size_t min_runs,
                   size_t max_runs) {
  Comparison out;
  std::vector<const lake::StoredApplication*> before, after;
  bool by_commit = false, by_time = false;
  for (const auto* run : runs) {
    std::optional<bool> is_after;
    if (repo != nullptr && run->git_commit && !merge_commit.empty()) {
      if (auto contains = repo->Contains(*run->git_commit, merge_commit)) is_after = *contains;
    }
    if (is_after) by_commit = true;
    else {
      by_time = true;
      is_after = run->start_time.value.value_or(0) >= merged_at_ms;
    }
    (*is_after ? after : before).push_back(run);
  }
  out.how = by_commit && by_time ? "by commit, else by time" : by_commit ? "by commit" : "by time";
  // The most recent runs of each side (runs are oldest first).
  if (before.size() > max_runs) before.erase(before.begin(), before.end() - max_runs);
  if (after.size() > max_runs) after.resize(max_runs);
  out.runs_before = before.size();
  out.runs_after = after.size();
  if (before.size() < min_runs || after.size() < min_runs) return out;
  out.deltas = Deltas(before, after);
  out.verdict = VerdictOf(out.deltas);
  return out;
}

Verdict VerdictOf(const std::vector<Delta>& deltas) {
  const Delta& duration = deltas[0];
  const Delta& task_time = deltas[1];
  if (Beyond(duration, 1)) return Beyond(task_time, -1) ? Verdict::kWithinNoise : Verdict::kWorse;
  if (Beyond(duration, -1)) return Beyond(task_time, 1) ? Verdict::kWithinNoise : Verdict::kImproved;
  if (Beyond(task_time, -1)) return Verdict::kImproved;
  if (Beyond(task_time, 1)) return Verdict::kWithinNoise;
  // Time and cost within their noise: the spill and the shuffle decide.
  return !WorkMoved(deltas, -1).empty() && WorkMoved(deltas, 1).empty() ? Verdict::kImproved
                                                                         : Verdict::kWithinNoise;
}

namespace {

// A revert of the merge on a fresh branch from the default branch, pushed,
// and its pull request. Returns the action.
Result<std::string> OpenRevert(const VerifyOptions& options, git::Repository& repo,
                               forge::Forge& forge, const forge::PullRequest& pr,
                               const Marker& marker, const std::string& evidence) {
  const std::string branch = fmt::format("prometheus/revert-{}", pr.number);
  PROM_ASSIGN_OR_RETURN(auto pulls, forge.PullRequests(branch));
  for (const auto& existing : pulls)
    if (existing.head == branch) return fmt::format("revert already proposed in #{}", existing.number);
  PROM_ASSIGN_OR_RETURN(std::string default_branch,
                        repo.Fetch(options.remote,
                                   {fmt::format("+refs/heads/*:refs/remotes/{}/*", options.remote)},
                                   options.credentials));
  PROM_ASSIGN_OR_RETURN(std::string base, repo.Resolve(fmt::format("refs/remotes/{}/{}", options.remote,
                                                                   default_branch)));
  PROM_ASSIGN_OR_RETURN(git::CommitInfo base_info, repo.Commit(base));
  PROM_ASSIGN_OR_RETURN(
      std::string commit,
      repo.Revert(pr.merge_commit, base,
                  fmt::format("Revert \"{}\"\n\nPrometheus measured the job slower after #{} "
                              "was merged.\n\nReverts: {}\n",
                              pr.title, pr.number, pr.merge_commit),
                  options.identity, base_info.time));
  PROM_TRY(repo.SetRef("refs/heads/" + branch, commit, "prometheus verify"));
  PROM_TRY(repo.Push(options.remote, {fmt::format("+refs/heads/{0}:refs/heads/{0}", branch)},
                     options.credentials));
  Marker revert{"revert", marker.job, {}, {}, pr.number};
  std::string body = fmt::format(
      "#{} made **{}** slower. Prometheus measured its runs before and after the merge:\n\n{}\n"
      "This reverts {} ({}).\n\n{}\n",
      pr.number, marker.job.label, evidence, pr.merge_commit, pr.title, WriteMarker(revert));
  PROM_ASSIGN_OR_RETURN(forge::PullRequest created,
                        forge.Create({branch, default_branch,
                                      fmt::format("Revert #{}: {} got slower", pr.number, marker.job.label),
                                      body}));
  PROM_TRY(forge.AddLabels(created.number, {"prometheus", "revert"}));
  return fmt::format("revert opened #{}", created.number);
}

}  // namespace

Result<std::vector<PullVerification>> Verify(const VerifyOptions& options, git::Repository* repo,
                                             forge::Forge& forge) {
  PROM_ASSIGN_OR_RETURN(LakeView view, ReadLake(options.store));
  PROM_ASSIGN_OR_RETURN(auto pulls, forge.PullRequests("prometheus/"));
  std::vector<PullVerification> out;
  for (const auto& pr : pulls) {
    if (!pr.merged) continue;
    auto marker = ReadMarker(pr.body);
    if (!marker || marker->kind != "fixes") continue;
    PullVerification result;
    result.number = pr.number;
    result.job = marker->job.label;
    auto runs = RunsOf(marker->job, view.applications, view.entry_point_by_app);
    result.comparison = Compare(runs, pr.merged_at_ms, pr.merge_commit, repo, options.min_runs,
                                options.max_runs);
    const Comparison& c = result.comparison;
    PROM_ASSIGN_OR_RETURN(auto comments, forge.Comments(pr.number));
    auto said = [&](const std::string& tag) {
      return std::any_of(comments.begin(), comments.end(),
                         [&](const auto& comment) { return HasCommentTag(comment.body, tag); });
    };
    if (said("verdict")) {
      result.action = "already verified";
      out.push_back(std::move(result));
      continue;
    }
    std::string tag;
    if (c.verdict == Verdict::kNotEnoughRuns) {
      tag = fmt::format("waiting {}/{}", c.runs_before, c.runs_after);
      result.comment = fmt::format(
          "{}\nNot enough runs yet to measure this change: {} run{} before the merge and {} "
          "after ({} each side needed).\n",
          CommentTag(tag), c.runs_before, c.runs_before == 1 ? "" : "s", c.runs_after,
          options.min_runs);
    } else {
      tag = "verdict";
      result.comment = fmt::format(
          "{}\n**Prometheus verified this change on the job's runs ({}):** {}\n\n{}\nRuns are "
          "split at the merge {}; medians of the latest {} runs at most each side.\n",
          CommentTag(tag), VerdictName(c.verdict), Verdictwords(c),
          DeltaTable(c.deltas, c.runs_before, c.runs_after), c.how, options.max_runs);
    }
    if (said(tag)) {
      result.action = "unchanged";
      result.comment.clear();
    } else if (!options.push) {
      result.action = "would comment";
    } else {
      PROM_TRY(forge.AddComment(pr.number, result.comment));
      result.action = "commented";
    }
    if (c.verdict == Verdict::kWorse) {
      if (!options.push) {
        result.action += "; would open a revert";
      } else if (repo == nullptr) {
        result.action += "; no --repo to revert in";
      } else {
        PROM_ASSIGN_OR_RETURN(std::string revert,
                              OpenRevert(options, *repo, forge, pr, *marker,
                                         DeltaTable(c.deltas, c.runs_before, c.runs_after)));
        result.action += "; " + revert;
      }
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace prometheus::loop

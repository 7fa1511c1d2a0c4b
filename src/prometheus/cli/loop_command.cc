#include "prometheus/cli/loop_command.h"

#include <fmt/format.h>

#include <memory>

#include "prometheus/cli/exit_codes.h"
#include "prometheus/cli/terminal.h"
#include "prometheus/forge/remote.h"
#include "prometheus/git/repository.h"
#include "prometheus/http/curl_transport.h"
#include "prometheus/loop/propose.h"
#include "prometheus/loop/verify.h"
#include "prometheus/pipeline/observe.h"
#include "prometheus/pipeline/recommend.h"
#include "prometheus/pipeline/rule_options.h"

namespace prometheus::cli {
namespace {

struct LoopOptions {
  std::string store;
  std::string repo;
  std::string remote = "origin";
  std::string forge;  // --forge, "" to guess
  bool push = false;
  int max_open = 5;
  size_t min_runs = 3;
  // run only:
  std::vector<std::string> sources;
  std::vector<std::string> disabled_rules;
  std::vector<std::string> thresholds;
};

// The forge of the repository's remote, its client and the git credentials
// for it. Without --push a missing token is no error: no forge, no
// credentials (a dry run fetches anonymously).
struct Connection {
  std::unique_ptr<http::Transport> transport;
  std::unique_ptr<forge::Forge> forge;
  git::Credentials credentials;
};

Result<Connection> Connect(const LoopOptions& options, git::Repository* repo, bool need_forge) {
  Connection out;
  std::string url = repo != nullptr ? repo->RemoteUrl(options.remote).value_or("") : "";
  auto config = forge::ResolveForge(url, options.forge, forge::ProcessEnvironment());
  if (!config) {
    if (need_forge) return std::unexpected(config.error());
    return out;
  }
  out.credentials = {config->git_username, config->token};
  if (need_forge) {
    out.transport = http::CurlTransport();
    out.forge = forge::Connect(*config, *out.transport);
  }
  return out;
}

void PrintProposals(const loop::ProposeReport& report, bool dry_run) {
  if (!report.warning.empty()) Write(Err(), fmt::format("prometheus: warning: {}\n", report.warning));
  for (const auto& job : report.jobs) {
    Write(Out(), fmt::format("{}  {}: {}\n", job.branch, job.job, job.action));
    if (!job.tip.empty()) {
      Write(Out(), fmt::format("  from {} ({} commit{}):\n", job.base.substr(0, 12), job.commits.size(),
                                job.commits.size() == 1 ? "" : "s"));
      for (size_t i = 0; i < job.commits.size(); ++i)
        Write(Out(), fmt::format("    {} [{}]\n", job.commits[i], job.ids[i]));
    }
    for (const auto& note : job.notes) Write(Out(), fmt::format("  {}\n", note));
    if (dry_run && !job.tip.empty()) {
      Write(Out(), "\n" + job.diff);
      Write(Out(), fmt::format("\n--- pull request: {}\n\n{}\n", job.title, job.body));
    }
  }
  for (const auto& line : report.suppressed) Write(Out(), fmt::format("suppressed {}\n", line));
  if (report.jobs.empty()) Write(Out(), "nothing to propose: no safe fix in the lake\n");
}

void PrintVerifications(const std::vector<loop::PullVerification>& results, bool push) {
  for (const auto& r : results) {
    Write(Out(), fmt::format("#{}  {}: {} ({} runs before, {} after); {}\n", r.number, r.job,
                              loop::VerdictName(r.comparison.verdict), r.comparison.runs_before,
                              r.comparison.runs_after, r.action));
    if (!push && !r.comment.empty()) Write(Out(), r.comment + "\n");
  }
  if (results.empty()) Write(Out(), "nothing to verify: no merged Prometheus pull request\n");
}

Result<loop::ProposeReport> DoPropose(const LoopOptions& options) {
  PROM_ASSIGN_OR_RETURN(git::Repository repo, git::Repository::Open(options.repo));
  PROM_ASSIGN_OR_RETURN(Connection connection, Connect(options, &repo, options.push));
  loop::ProposeOptions propose;
  propose.store = options.store;
  propose.remote = options.remote;
  propose.max_open = options.max_open;
  propose.credentials = connection.credentials;
  return loop::Propose(propose, repo, connection.forge.get());
}

Result<std::vector<loop::PullVerification>> DoVerify(const LoopOptions& options) {
  std::optional<git::Repository> repo;
  if (!options.repo.empty()) {
    PROM_ASSIGN_OR_RETURN(git::Repository opened, git::Repository::Open(options.repo));
    repo = std::move(opened);
  }
  PROM_ASSIGN_OR_RETURN(Connection connection, Connect(options, repo ? &*repo : nullptr, true));
  loop::VerifyOptions verify;
  verify.store = options.store;
  verify.min_runs = options.min_runs;
  verify.push = options.push;
  verify.remote = options.remote;
  verify.credentials = connection.credentials;
  return loop::Verify(verify, repo ? &*repo : nullptr, *connection.forge);
}

void AddForgeOptions(CLI::App* command, LoopOptions& options) {
  command->add_option("--remote", options.remote, "The git remote to fetch from and push to")
      ->capture_default_str();
  command->add_option("--forge", options.forge,
                      "github, gitlab or azure (default: from the remote's URL, or "
                      "GITHUB_REPOSITORY / CI_PROJECT_PATH / SYSTEM_COLLECTIONURI)")
      ->check(CLI::IsMember({"github", "gitlab", "azure"}));
}

constexpr const char* kTokens =
    "Tokens come from the environment only: GITHUB_TOKEN or GH_TOKEN, GITLAB_TOKEN, "
    "AZURE_DEVOPS_TOKEN or SYSTEM_ACCESSTOKEN; API bases from GITHUB_API_URL, GITLAB_API_URL "
    "(or CI_API_V4_URL), SYSTEM_COLLECTIONURI. They are never printed. docs/LOOP.md.";

}  // namespace

void AddLoopCommands(CLI::App& app, int& exit_code) {
  auto propose_options = std::make_shared<LoopOptions>();
  CLI::App* propose = app.add_subcommand(
      "propose",
      "Commit the lake's safe fixes per job on a branch prometheus/<job>/<id> from the default "
      "branch's tip, one commit per fix, and (with --push) push it and open or update its pull "
      "request. Without --push: a dry run printing branches, diffs and pull request bodies.");
  propose->add_option("--store", propose_options->store, "The lake to read recommendations from")
      ->required()->check(CLI::ExistingDirectory);
  propose->add_option("--repo", propose_options->repo, "The git repository of the jobs' code")
      ->required()->check(CLI::ExistingDirectory);
  AddForgeOptions(propose, *propose_options);
  propose->add_flag("--push", propose_options->push, "Push the branches and open pull requests");
  propose->add_option("--max-open", propose_options->max_open,
                      "Open no pull request while this many Prometheus ones are open")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  propose->footer(std::string(kTokens) +
                  "\n\nExit codes: 0 done (skipped jobs are reported, not failures); 1 git, the "
                  "forge or the lake failed; 2 bad arguments or no recommendations.");
  propose->callback([propose_options, &exit_code] {
    auto report = DoPropose(*propose_options);
    if (!report) {
      exit_code = ExitWith(report.error());
      return;
    }
    PrintProposals(*report, !propose_options->push);
    exit_code = kExitOk;
  });

  auto verify_options = std::make_shared<LoopOptions>();
  CLI::App* verify = app.add_subcommand(
      "verify",
      "For each merged Prometheus pull request, compare the job's runs after the merge with those "
      "before (medians, with a noise band from the job's run-to-run spread) and (with --push) "
      "comment the deltas; when the job got worse beyond the noise, open a revert pull request.");
  verify->add_option("--store", verify_options->store, "The lake holding the job's runs")
      ->required()->check(CLI::ExistingDirectory);
  verify->add_option("--repo", verify_options->repo,
                     "The git repository: its remote names the forge, runs are placed by their "
                     "commit, reverts are made in it");
  AddForgeOptions(verify, *verify_options);
  verify->add_option("--min-runs", verify_options->min_runs, "Runs needed on each side")
      ->capture_default_str()->check(CLI::PositiveNumber);
  verify->add_flag("--push", verify_options->push, "Comment on the pull requests and open reverts");
  verify->footer(std::string(kTokens) +
                 "\n\nExit codes: 0 done; 1 git, the forge or the lake failed; 2 bad arguments.");
  verify->callback([verify_options, &exit_code] {
    auto results = DoVerify(*verify_options);
    if (!results) {
      exit_code = ExitWith(results.error());
      return;
    }
    PrintVerifications(*results, verify_options->push);
    exit_code = kExitOk;
  });

  auto run_options = std::make_shared<LoopOptions>();
  CLI::App* run = app.add_subcommand(
      "run",
      "The nightly loop: observe the --source logs into the lake, recommend, propose and verify. "
      "Prints one summary line per step.");
  run->add_option("--store", run_options->store, "The lake")->required();
  run->add_option("--repo", run_options->repo, "The git repository of the jobs' code")
      ->required()->check(CLI::ExistingDirectory);
  run->add_option("--source", run_options->sources, "Event logs to observe first; repeatable");
  AddForgeOptions(run, *run_options);
  run->add_flag("--push", run_options->push, "Push, open pull requests, comment, revert");
  run->add_option("--max-open", run_options->max_open, "As for propose")->capture_default_str();
  run->add_option("--min-runs", run_options->min_runs, "As for verify")->capture_default_str();
  run->add_option("--disable", run_options->disabled_rules, "Switch a rule off by id; repeatable");
  run->add_option("--threshold", run_options->thresholds, "rule.name=value; repeatable");
  run->footer(std::string(kTokens) +
              "\n\nExit codes: 0 every step done; 1 a step failed (the summary says which; later "
              "steps still run when they can); 2 bad arguments.");
  run->callback([run_options, &exit_code] {
    const LoopOptions& o = *run_options;
    int worst = kExitOk;
    auto failed = [&](std::string_view step, const Error& error) {
      Write(Err(), fmt::format("prometheus run: {} failed: {}\n", step, error.message));
      worst = std::max(worst, ExitCode(error.code));
    };
    if (!o.sources.empty()) {
      pipeline::ObserveRequest observe;
      for (const auto& source : o.sources) observe.sources.emplace_back(source);
      observe.store = o.store;
      auto batch = pipeline::CollectNewLogs(observe, nullptr);
      if (!batch) {
        failed("observe", batch.error());
      } else if (auto stored = pipeline::StoreBatch(o.store, *batch); !stored) {
        failed("observe", stored.error());
      } else {
        Write(Out(), fmt::format("observe: {} new application{}\n", batch->analyses.size(),
                                  batch->analyses.size() == 1 ? "" : "s"));
      }
    }
    pipeline::RecommendRequest recommend;
    recommend.store = o.store;
    recommend.rules = {{}, o.disabled_rules, o.thresholds};
    auto recommended = pipeline::RecommendStored(recommend, nullptr);
    if (!recommended) {
      failed("recommend", recommended.error());
    } else if (auto stored = pipeline::StoreRecommendations(recommend, *recommended); !stored) {
      failed("recommend", stored.error());
    } else {
      size_t count = 0;
      for (const auto& recs : recommended->analyzed.recommendations) count += recs.size();
      Write(Out(), fmt::format("recommend: {} recommendation{}\n", count, count == 1 ? "" : "s"));
    }
    if (auto report = DoPropose(o); !report) {
      failed("propose", report.error());
    } else {
      Write(Out(), "propose:\n");
      PrintProposals(*report, false);
    }
    if (o.push) {
      if (auto results = DoVerify(o); !results) {
        failed("verify", results.error());
      } else {
        Write(Out(), "verify:\n");
        PrintVerifications(*results, true);
      }
    }
    exit_code = worst;
  });
}

}  // namespace prometheus::cli

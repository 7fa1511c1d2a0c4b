#include "prometheus/forge/github.h"

#include <fmt/format.h>

#include "prometheus/forge/api.h"
#include "prometheus/http/url.h"

namespace prometheus::forge {
namespace {

using nlohmann::json;

std::string Text(const json& object, const char* key) {
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

PullRequest FromJson(const json& pr) {
  PullRequest out;
  out.number = pr.value("number", int64_t{0});
  out.open = Text(pr, "state") == "open";
  out.merge_commit = Text(pr, "merge_commit_sha");
  out.merged_at_ms = ParseIsoMillis(Text(pr, "merged_at"));
  out.merged = out.merged_at_ms > 0 || (pr.contains("merged") && pr["merged"] == true);
  if (pr.contains("head") && pr["head"].is_object()) {
    out.head = Text(pr["head"], "ref");
    out.head_sha = Text(pr["head"], "sha");
  }
  if (pr.contains("base") && pr["base"].is_object()) out.base = Text(pr["base"], "ref");
  out.title = Text(pr, "title");
  out.body = Text(pr, "body");
  out.url = Text(pr, "html_url");
  if (pr.contains("labels") && pr["labels"].is_array()) {
    for (const auto& label : pr["labels"])
      if (label.is_object()) out.labels.push_back(Text(label, "name"));
  }
  return out;
}

class GitHubForge : public Forge {
 public:
  GitHubForge(const ForgeConfig& config, http::Transport& transport, Pacing pacing)
      : api_(transport, std::move(pacing),
             {{"Authorization", "Bearer " + config.token},
              {"Accept", "application/vnd.github+json"},
              {"X-GitHub-Api-Version", "2022-11-28"},
              {"User-Agent", "prometheus/0.1.0"}}),
        repo_(fmt::format("{}/repos/{}", config.api_base, config.repository)) {}

  Result<std::string> DefaultBranch() override {
    PROM_ASSIGN_OR_RETURN(json repo, api_.Call("GET", repo_));
    std::string branch = repo.is_object() ? Text(repo, "default_branch") : "";
    if (branch.empty())
      return Fail(ErrorCode::kCorrupt, "GET {}: no default_branch in the answer", repo_);
    return branch;
  }

  Result<std::vector<PullRequest>> PullRequests(std::string_view head_prefix) override {
    PROM_ASSIGN_OR_RETURN(
        json pulls, api_.CallPages(repo_ + "/pulls?state=all&sort=created&direction=desc&per_page=100"));
    std::vector<PullRequest> out;
    for (const auto& pr : pulls) {
      PullRequest read = FromJson(pr);
      if (read.head.starts_with(head_prefix)) out.push_back(std::move(read));
    }
    return out;
  }

  Result<PullRequest> Create(const NewPullRequest& request) override {
    json body = {{"title", request.title}, {"head", request.head}, {"base", request.base},
                 {"body", request.body}, {"maintainer_can_modify", true}};
    PROM_ASSIGN_OR_RETURN(http::Response response, api_.Send("POST", repo_ + "/pulls", body));
    if (response.status == 422 && response.body.find("already exists") != std::string::npos) {
      return Fail(ErrorCode::kConflict, "POST {}/pulls: {}", repo_, ErrorDetail(response.body));
    }
    if (response.status != 201 && response.status != 200) {
      return std::unexpected(http::StatusError({"POST", repo_ + "/pulls"}, response,
                                               ErrorDetail(response.body)));
    }
    json created = json::parse(response.body, nullptr, false);
    if (!created.is_object())
      return Fail(ErrorCode::kCorrupt, "POST {}/pulls: the answer is not a JSON object", repo_);
    return FromJson(created);
  }

  Status Update(int64_t number, const std::string& title, const std::string& body) override {
    PROM_TRY(api_.Call("PATCH", fmt::format("{}/pulls/{}", repo_, number),
                       json{{"title", title}, {"body", body}}));
    return Ok();
  }

  Status AddLabels(int64_t number, const std::vector<std::string>& labels) override {
    PROM_TRY(api_.Call("POST", fmt::format("{}/issues/{}/labels", repo_, number),
                       json{{"labels", labels}}));
    return Ok();
  }

  Result<std::vector<Comment>> Comments(int64_t number) override {
    PROM_ASSIGN_OR_RETURN(json comments,
                          api_.CallPages(fmt::format("{}/issues/{}/comments?per_page=100", repo_, number)));
    std::vector<Comment> out;
    for (const auto& comment : comments)
      out.push_back({comment.value("id", int64_t{0}), Text(comment, "body")});
    return out;
  }

  Status AddComment(int64_t number, const std::string& body) override {
    PROM_TRY(api_.Call("POST", fmt::format("{}/issues/{}/comments", repo_, number),
                       json{{"body", body}}));
    return Ok();
  }

  Status Close(int64_t number) override {
    PROM_TRY(api_.Call("PATCH", fmt::format("{}/pulls/{}", repo_, number), json{{"state", "closed"}}));
    return Ok();
  }

 private:
  Api api_;
  std::string repo_;  // .../repos/owner/name
};

}  // namespace

std::unique_ptr<Forge> GitHub(const ForgeConfig& config, http::Transport& transport, Pacing pacing) {
  return std::make_unique<GitHubForge>(config, transport, std::move(pacing));
}

}  // namespace prometheus::forge

#include "prometheus/forge/azure.h"

#include <fmt/format.h>

#include "prometheus/base/base64.h"
#include "prometheus/forge/api.h"
#include "prometheus/http/url.h"

namespace prometheus::forge {
namespace {

using nlohmann::json;

constexpr std::string_view kHeads = "refs/heads/";
constexpr std::string_view kVersion = "api-version=7.1";

std::string Text(const json& object, const char* key) {
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

std::string Branch(std::string ref) {
  if (ref.starts_with(kHeads)) ref.erase(0, kHeads.size());
  return ref;
}

PullRequest FromJson(const json& pr) {
  PullRequest out;
  out.number = pr.value("pullRequestId", int64_t{0});
  out.open = Text(pr, "status") == "active";
  out.merged = Text(pr, "status") == "completed";
  if (pr.contains("lastMergeCommit") && pr["lastMergeCommit"].is_object())
    out.merge_commit = Text(pr["lastMergeCommit"], "commitId");
  if (pr.contains("lastMergeSourceCommit") && pr["lastMergeSourceCommit"].is_object())
    out.head_sha = Text(pr["lastMergeSourceCommit"], "commitId");
  out.merged_at_ms = out.merged ? ParseIsoMillis(Text(pr, "closedDate")) : 0;
  out.head = Branch(Text(pr, "sourceRefName"));
  out.base = Branch(Text(pr, "targetRefName"));
  out.title = Text(pr, "title");
  out.body = Text(pr, "description");
  out.url = Text(pr, "url");
  if (pr.contains("labels") && pr["labels"].is_array())
    for (const auto& label : pr["labels"])
      if (label.is_object()) out.labels.push_back(Text(label, "name"));
  return out;
}

class AzureForge : public Forge {
 public:
  AzureForge(const ForgeConfig& config, http::Transport& transport, Pacing pacing)
      : api_(transport, std::move(pacing),
             {{"Authorization", "Basic " + Base64Encode(":" + config.token)},
              {"User-Agent", "prometheus/0.1.0"}}) {
    // repository is "organization/project/name"; api_base the collection.
    const std::string& path = config.repository;
    size_t first = path.find('/');
    size_t second = path.find('/', first + 1);
    repo_ = fmt::format("{}/{}/_apis/git/repositories/{}", config.api_base,
                        http::PercentEncode(path.substr(first + 1, second - first - 1)),
                        http::PercentEncode(path.substr(second + 1)));
  }

  Result<std::string> DefaultBranch() override {
    PROM_ASSIGN_OR_RETURN(json repo, api_.Call("GET", fmt::format("{}?{}", repo_, kVersion)));
    std::string branch = repo.is_object() ? Branch(Text(repo, "defaultBranch")) : "";
    if (branch.empty())
      return Fail(ErrorCode::kCorrupt, "GET {}: no defaultBranch in the answer", repo_);
    return branch;
  }

  Result<std::vector<PullRequest>> PullRequests(std::string_view head_prefix) override {
    PROM_ASSIGN_OR_RETURN(json prs, api_.CallPages(fmt::format(
                                        "{}/pullrequests?searchCriteria.status=all&$top=1000&{}",
                                        repo_, kVersion)));
    std::vector<PullRequest> out;
    for (const auto& pr : prs) {
      PullRequest read = FromJson(pr);
      if (read.head.starts_with(head_prefix)) out.push_back(std::move(read));
    }
    return out;
  }

  Result<PullRequest> Create(const NewPullRequest& request) override {
    json body = {{"sourceRefName", std::string(kHeads) + request.head},
                 {"targetRefName", std::string(kHeads) + request.base},
                 {"title", request.title}, {"description", request.body}};
    const std::string url = fmt::format("{}/pullrequests?{}", repo_, kVersion);
    PROM_ASSIGN_OR_RETURN(http::Response response, api_.Send("POST", url, body));
    if (response.status == 409)
      return Fail(ErrorCode::kConflict, "POST {}/pullrequests: {}", repo_, ErrorDetail(response.body));
    if (response.status != 201 && response.status != 200)
      return std::unexpected(http::StatusError({"POST", url}, response, ErrorDetail(response.body)));
    json created = json::parse(response.body, nullptr, false);
    if (!created.is_object())
      return Fail(ErrorCode::kCorrupt, "POST {}/pullrequests: the answer is not a JSON object", repo_);
    return FromJson(created);
  }

  Status Update(int64_t number, const std::string& title, const std::string& body) override {
    PROM_TRY(api_.Call("PATCH", fmt::format("{}/pullrequests/{}?{}", repo_, number, kVersion),
                       json{{"title", title}, {"description", body}}));
    return Ok();
  }

  Status AddLabels(int64_t number, const std::vector<std::string>& labels) override {
    for (const std::string& label : labels) {
      PROM_TRY(api_.Call("POST", fmt::format("{}/pullRequests/{}/labels?{}", repo_, number, kVersion),
                         json{{"name", label}}));
    }
    return Ok();
  }

  Result<std::vector<Comment>> Comments(int64_t number) override {
    PROM_ASSIGN_OR_RETURN(json threads, api_.CallPages(fmt::format(
                                            "{}/pullRequests/{}/threads?{}", repo_, number, kVersion)));
    std::vector<Comment> out;
    for (const auto& thread : threads) {
      if (!thread.contains("comments") || !thread["comments"].is_array()) continue;
      for (const auto& comment : thread["comments"])
        out.push_back({comment.value("id", int64_t{0}), Text(comment, "content")});
    }
    return out;
  }

  Status AddComment(int64_t number, const std::string& body) override {
    json thread = {{"comments", json::array({{{"parentCommentId", 0},
                                              {"content", body},
                                              {"commentType", 1}}})},
                   {"status", 1}};
    PROM_TRY(api_.Call("POST", fmt::format("{}/pullRequests/{}/threads?{}", repo_, number, kVersion),
                       thread));
    return Ok();
  }

  Status Close(int64_t number) override {
    PROM_TRY(api_.Call("PATCH", fmt::format("{}/pullrequests/{}?{}", repo_, number, kVersion),
                       json{{"status", "abandoned"}}));
    return Ok();
  }

 private:
  Api api_;
  std::string repo_;  // .../_apis/git/repositories/<name>
};

}  // namespace

std::unique_ptr<Forge> Azure(const ForgeConfig& config, http::Transport& transport, Pacing pacing) {
  return std::make_unique<AzureForge>(config, transport, std::move(pacing));
}

}  // namespace prometheus::forge

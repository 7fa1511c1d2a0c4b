#include "prometheus/forge/gitlab.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "prometheus/forge/api.h"
#include "prometheus/http/url.h"

namespace prometheus::forge {
namespace {

using nlohmann::json;

std::string Text(const json& object, const char* key) {
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

PullRequest FromJson(const json& mr) {
  PullRequest out;
  out.number = mr.value("iid", int64_t{0});
  out.open = Text(mr, "state") == "opened";
  out.merged = Text(mr, "state") == "merged";
  out.merge_commit = Text(mr, "merge_commit_sha");
  if (out.merge_commit.empty()) out.merge_commit = Text(mr, "squash_commit_sha");
  out.merged_at_ms = ParseIsoMillis(Text(mr, "merged_at"));
  out.head = Text(mr, "source_branch");
  out.base = Text(mr, "target_branch");
  out.head_sha = Text(mr, "sha");
  out.title = Text(mr, "title");
  out.body = Text(mr, "description");
  out.url = Text(mr, "web_url");
  if (mr.contains("labels") && mr["labels"].is_array())
    for (const auto& label : mr["labels"])
      if (label.is_string()) out.labels.push_back(label.get<std::string>());
  return out;
}

class GitLabForge : public Forge {
 public:
  GitLabForge(const ForgeConfig& config, http::Transport& transport, Pacing pacing)
      : api_(transport, std::move(pacing),
             {{"PRIVATE-TOKEN", config.token}, {"User-Agent", "prometheus/0.1.0"}}),
        project_(fmt::format("{}/projects/{}", config.api_base,
                             http::PercentEncode(config.repository))) {}

  Result<std::string> DefaultBranch() override {
    PROM_ASSIGN_OR_RETURN(json project, api_.Call("GET", project_));
    std::string branch = project.is_object() ? Text(project, "default_branch") : "";
    if (branch.empty())
      return Fail(ErrorCode::kCorrupt, "GET {}: no default_branch in the answer", project_);
    return branch;
  }

  Result<std::vector<PullRequest>> PullRequests(std::string_view head_prefix) override {
    PROM_ASSIGN_OR_RETURN(json mrs, api_.CallPages(project_ + "/merge_requests?state=all&per_page=100"));
    std::vector<PullRequest> out;
    for (const auto& mr : mrs) {
      PullRequest read = FromJson(mr);
      if (read.head.starts_with(head_prefix)) out.push_back(std::move(read));
    }
    return out;
  }

  Result<PullRequest> Create(const NewPullRequest& request) override {
    json body = {{"source_branch", request.head}, {"target_branch", request.base},
                 {"title", request.title}, {"description", request.body}};
    PROM_ASSIGN_OR_RETURN(http::Response response, api_.Send("POST", project_ + "/merge_requests", body));
    if (response.status == 409)
      return Fail(ErrorCode::kConflict, "POST {}/merge_requests: {}", project_, ErrorDetail(response.body));
    if (response.status != 201)
      return std::unexpected(http::StatusError({"POST", project_ + "/merge_requests"}, response,
                                               ErrorDetail(response.body)));
    json created = json::parse(response.body, nullptr, false);
    if (!created.is_object())
      return Fail(ErrorCode::kCorrupt, "POST {}/merge_requests: the answer is not a JSON object", project_);
    return FromJson(created);
  }

  Status Update(int64_t number, const std::string& title, const std::string& body) override {
    PROM_TRY(api_.Call("PUT", fmt::format("{}/merge_requests/{}", project_, number),
                       json{{"title", title}, {"description", body}}));
    return Ok();
  }

  Status AddLabels(int64_t number, const std::vector<std::string>& labels) override {
    PROM_TRY(api_.Call("PUT", fmt::format("{}/merge_requests/{}", project_, number),
                       json{{"add_labels", fmt::format("{}", fmt::join(labels, ","))}}));
    return Ok();
  }

  Result<std::vector<Comment>> Comments(int64_t number) override {
    PROM_ASSIGN_OR_RETURN(json notes, api_.CallPages(fmt::format(
                                          "{}/merge_requests/{}/notes?per_page=100", project_, number)));
    std::vector<Comment> out;
    for (const auto& note : notes) out.push_back({note.value("id", int64_t{0}), Text(note, "body")});
    return out;
  }

  Status AddComment(int64_t number, const std::string& body) override {
    PROM_TRY(api_.Call("POST", fmt::format("{}/merge_requests/{}/notes", project_, number),
                       json{{"body", body}}));
    return Ok();
  }

  Status Close(int64_t number) override {
    PROM_TRY(api_.Call("PUT", fmt::format("{}/merge_requests/{}", project_, number),
                       json{{"state_event", "close"}}));
    return Ok();
  }

 private:
  Api api_;
  std::string project_;  // .../projects/<url-encoded path>
};

}  // namespace

std::unique_ptr<Forge> GitLab(const ForgeConfig& config, http::Transport& transport, Pacing pacing) {
  return std::make_unique<GitLabForge>(config, transport, std::move(pacing));
}

}  // namespace prometheus::forge

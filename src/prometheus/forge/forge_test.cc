// The three forges' wire formats through a scripted transport: what each
// request sends and how each answer reads.
#include "prometheus/forge/forge.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "prometheus/databricks/routed_transport_for_test.h"

namespace prometheus::forge {
namespace {

using databricks::RoutedTransport;
using nlohmann::json;

Pacing NoWait() {
  Pacing pacing;
  pacing.now_unix_seconds = [] { return int64_t{0}; };
  pacing.sleep = [](std::chrono::seconds) {};
  return pacing;
}

std::string HeaderOf(const http::Request& request, const std::string& name) {
  for (const auto& [key, value] : request.headers)
    if (key == name) return value;
  return "";
}

TEST(GitHubForge, OpensListsAndReadsPullRequests) {
  RoutedTransport transport;
  transport.Route("GET", "https://api.github.com/repos/acme/etl/pulls", [](const http::Request&) {
    return http::Response{200, {}, R"([
      {"number": 3, "state": "closed", "merged_at": "2026-12-01T10:00:00Z", "merge_commit_sha": "abc",
       "head": {"ref": "prometheus/job-1/aa", "sha": "h1"}, "base": {"ref": "main"},
       "title": "t", "body": "b", "html_url": "u", "labels": [{"name": "prometheus"}]},
      {"number": 2, "state": "open", "merged_at": null, "head": {"ref": "feature/x"}, "base": {"ref": "main"}}])"};
  });
  transport.Route("POST", "https://api.github.com/repos/acme/etl/pulls", [](const http::Request& r) {
    json body = json::parse(r.body);
    if (body["head"] == "prometheus/dup")
      return http::Response{422, {}, R"({"message":"Validation Failed","errors":[{"resource":"PullRequest",
        "code":"custom","message":"A pull request already exists for acme:prometheus/dup."}]})"};
    return http::Response{201, {}, json{{"number", 4}, {"state", "open"}, {"head", {{"ref", body["head"]}}},
                                        {"base", {{"ref", body["base"]}}}, {"title", body["title"]}}.dump()};
  });
  ForgeConfig config{ForgeKind::kGitHub, "https://api.github.com", "acme/etl", "ghs_x", "x-access-token", "GITHUB_TOKEN"};
  auto forge = Connect(config, transport, NoWait());
  auto pulls = forge->PullRequests("prometheus/");
  ASSERT_TRUE(pulls) << pulls.error().message;
  ASSERT_EQ(pulls->size(), 1u);  // only Prometheus' branches
  EXPECT_TRUE((*pulls)[0].merged);
  EXPECT_EQ((*pulls)[0].merged_at_ms, 1796119200000);
  EXPECT_EQ((*pulls)[0].merge_commit, "abc");
  EXPECT_EQ((*pulls)[0].labels, std::vector<std::string>{"prometheus"});
  auto created = forge->Create({"prometheus/job-1/bb", "main", "title", "body"});
  ASSERT_TRUE(created);
  EXPECT_EQ(created->number, 4);
  EXPECT_TRUE(created->open);
  const http::Request& sent = transport.sent.back();
  EXPECT_EQ(HeaderOf(sent, "Authorization"), "Bearer ghs_x");
  EXPECT_EQ(HeaderOf(sent, "X-GitHub-Api-Version"), "2022-11-28");
  EXPECT_FALSE(HeaderOf(sent, "User-Agent").empty());
  transport.Route("PATCH", "https://api.github.com/repos/acme/etl/pulls/4", [](const http::Request&) {
    return http::Response{200, {}, "{}"};
  });
  ASSERT_TRUE(forge->Close(4));
  EXPECT_EQ(json::parse(transport.sent.back().body), json({{"state", "closed"}}));
  auto duplicate = forge->Create({"prometheus/dup", "main", "title", "body"});
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kConflict);
  EXPECT_NE(duplicate.error().message.find("already exists"), std::string::npos);
}

TEST(GitLabForge, SpeaksMergeRequests) {
  RoutedTransport transport;
  const std::string project = "https://gitlab.example.com/api/v4/projects/group%2Fetl";
  transport.Route("GET", project + "/merge_requests", [](const http::Request&) {
    return http::Response{200, {}, R"([{"iid": 7, "state": "merged", "merged_at": "2026-12-01T10:00:00.000Z",
      "merge_commit_sha": "m", "source_branch": "prometheus/a/b", "target_branch": "main",
      "description": "d", "labels": ["prometheus", "high"]}])"};
  });
  transport.Route("POST", project + "/merge_requests", [](const http::Request&) {
    return http::Response{409, {}, R"({"message":["Another open merge request already exists for this source branch: !7"]})"};
  });
  transport.Route("PUT", project + "/merge_requests/7", [](const http::Request&) {
    return http::Response{200, {}, "{}"};
  });
  transport.Route("GET", project, [](const http::Request&) {
    return http::Response{200, {}, R"({"default_branch": "trunk"})"};
  });
  ForgeConfig config{ForgeKind::kGitLab, "https://gitlab.example.com/api/v4", "group/etl", "glpat", "oauth2", "GITLAB_TOKEN"};
  auto forge = Connect(config, transport, NoWait());
  EXPECT_EQ(*forge->DefaultBranch(), "trunk");
  EXPECT_EQ(HeaderOf(transport.sent.back(), "PRIVATE-TOKEN"), "glpat");
  auto mrs = forge->PullRequests("prometheus/");
  ASSERT_TRUE(mrs);
  ASSERT_EQ(mrs->size(), 1u);
  EXPECT_EQ((*mrs)[0].number, 7);
  EXPECT_TRUE((*mrs)[0].merged);
  EXPECT_EQ((*mrs)[0].body, "d");
  auto created = forge->Create({"prometheus/a/b", "main", "t", "b"});
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, ErrorCode::kConflict);
  ASSERT_TRUE(forge->AddLabels(7, {"prometheus", "low"}));
  EXPECT_EQ(json::parse(transport.sent.back().body)["add_labels"], "prometheus,low");
  ASSERT_TRUE(forge->Close(7));
  EXPECT_EQ(json::parse(transport.sent.back().body)["state_event"], "close");
}

TEST(AzureForge, SpeaksPullRequestsAndThreads) {
  RoutedTransport transport;
  const std::string repo = "https://dev.azure.com/acme/Data/_apis/git/repositories/etl";
  transport.Route("GET", repo + "/pullrequests", [](const http::Request&) {
    return http::Response{200, {}, R"({"value": [{"pullRequestId": 12, "status": "completed",
      "closedDate": "2026-12-01T10:00:00Z", "lastMergeCommit": {"commitId": "mc"},
      "sourceRefName": "refs/heads/prometheus/a/b", "targetRefName": "refs/heads/main",
      "description": "d", "labels": [{"name": "prometheus"}]}], "count": 1})"};
  });
  transport.Route("POST", repo + "/pullRequests/12/threads", [](const http::Request&) {
    return http::Response{200, {}, "{}"};
  });
  transport.Route("POST", repo + "/pullrequests", [](const http::Request& r) {
    EXPECT_EQ(json::parse(r.body)["sourceRefName"], "refs/heads/prometheus/c/d");
    return http::Response{201, {}, R"({"pullRequestId": 13, "status": "active",
      "sourceRefName": "refs/heads/prometheus/c/d", "targetRefName": "refs/heads/main"})"};
  });
  ForgeConfig config{ForgeKind::kAzure, "https://dev.azure.com/acme", "acme/Data/etl", "pat", "prometheus", "AZURE_DEVOPS_TOKEN"};
  auto forge = Connect(config, transport, NoWait());
  auto prs = forge->PullRequests("prometheus/");
  ASSERT_TRUE(prs) << prs.error().message;
  ASSERT_EQ(prs->size(), 1u);
  EXPECT_TRUE((*prs)[0].merged);
  EXPECT_EQ((*prs)[0].merge_commit, "mc");
  EXPECT_EQ((*prs)[0].head, "prometheus/a/b");
  EXPECT_NE(transport.sent.back().url.find("api-version=7.1"), std::string::npos);
  EXPECT_EQ(HeaderOf(transport.sent.back(), "Authorization"), "Basic OnBhdA==");  // ":pat"
  ASSERT_TRUE(forge->AddComment(12, "hello"));
  EXPECT_EQ(json::parse(transport.sent.back().body)["comments"][0]["content"], "hello");
  transport.Route("PATCH", repo + "/pullrequests/12", [](const http::Request&) {
    return http::Response{200, {}, "{}"};
  });
  ASSERT_TRUE(forge->Close(12));
  EXPECT_EQ(json::parse(transport.sent.back().body)["status"], "abandoned");
  auto created = forge->Create({"prometheus/c/d", "main", "t", "b"});
  ASSERT_TRUE(created);
  EXPECT_EQ(created->number, 13);
  EXPECT_TRUE(created->open);
}

}  // namespace
}  // namespace prometheus::forge
